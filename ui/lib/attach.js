// @ts-check
/**
 * Images a person attaches to a message (pasted, dropped or picked): read into data: URLs, the
 * form OpenCode stores in a file part and hands to the model. Limits keep one message inside the
 * bridge's frame limit (32 MiB, and base64 grows data by a third).
 */

/** One image waiting in the composer. */
/** @typedef {{ id: string, mime: string, filename: string, url: string, size: number }} Attachment */

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 20 * 1024 * 1024;
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

let seq = 0;

/** @param {number} n */
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** @param {Blob} blob @returns {Promise<string>} */
function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.readAsDataURL(blob);
  });
}

/**
 * Throws unless the browser can decode the image: the server refuses the whole message (and the
 * person's text with it) over one broken image.
 * @param {Blob} blob
 */
async function decodable(blob) {
  try {
    (await createImageBitmap(blob)).close();
  } catch {
    throw new Error("not a readable image");
  }
}

/** A name for a pasted image, which has none of its own ("image.png" for every paste). */
function nameFor(/** @type {File} */ file) {
  const ext = file.type.split("/")[1]?.replace("jpeg", "jpg") ?? "img";
  if (file.name && file.name !== "image.png") return file.name;
  const t = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `pasted-${pad(t.getHours())}${pad(t.getMinutes())}${pad(t.getSeconds())}-${++seq}.${ext}`;
}

/**
 * Reads the images among `files`, next to the ones already attached; everything else is refused
 * with a reason the person can act on.
 * @param {Iterable<File>} files
 * @param {Attachment[]} already
 * @returns {Promise<{ added: Attachment[], refused: string[] }>}
 */
export async function readImages(files, already) {
  let total = already.reduce((n, a) => n + a.size, 0);
  /** @type {Attachment[]} */
  const added = [];
  /** @type {string[]} */
  const refused = [];
  for (const file of files) {
    const name = file.name || file.type || "file";
    if (!IMAGE_TYPES.has(file.type)) {
      refused.push(`${name}: only PNG, JPEG, GIF and WebP images can be attached`);
    } else if (file.size > MAX_IMAGE_BYTES) {
      refused.push(
        `${name}: ${formatBytes(file.size)} is over the ${formatBytes(MAX_IMAGE_BYTES)} limit`,
      );
    } else if (total + file.size > MAX_TOTAL_BYTES) {
      refused.push(`${name}: one message can carry ${formatBytes(MAX_TOTAL_BYTES)} of images`);
    } else {
      try {
        await decodable(file);
        const url = await dataUrl(file);
        total += file.size;
        added.push({
          id: `att-${++seq}`,
          mime: file.type,
          filename: nameFor(file),
          url,
          size: file.size,
        });
      } catch (err) {
        refused.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return { added, refused };
}

/** Whether a part's URL may be shown as an image: only inline raster data, never a fetch. */
export function isInlineImage(/** @type {string} */ mime, /** @type {string} */ url) {
  return IMAGE_TYPES.has(mime) && url.startsWith(`data:${mime};base64,`);
}
