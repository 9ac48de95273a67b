/**
 * One file over HTTP into place: resumed from a `.part` file with a Range request after a cut
 * connection, checked against its SHA-256 before it is renamed into place, deleted when it does
 * not match. Progress is reported per chunk received.
 */
import { createHash } from "node:crypto";
import { dirname } from "node:path";

export class DownloadError extends Error {
  /** Whether trying again may help (a cut connection), as opposed to a wrong file. */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = "DownloadError";
    this.retryable = retryable;
  }
}

export interface FileDownload {
  url: string;
  /** The final path; `<path>.part` holds what arrived so far. */
  path: string;
  sha256: string;
  /** Called with the bytes of each chunk as it arrives (and once with the resumed length). */
  onBytes: (n: number) => void;
  /** Called once the length of the whole file is known. */
  onSize?: (total: number) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Hex SHA-256 of a file, read in a stream. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path);
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return 0;
    throw err;
  }
}

/** Fetches one file (resuming a partial one) and verifies it; throws DownloadError. */
export async function downloadFile(d: FileDownload): Promise<void> {
  const part = `${d.path}.part`;
  await Deno.mkdir(dirname(d.path), { recursive: true });
  let have = await sizeOf(part);
  const headers: HeadersInit = have ? { range: `bytes=${have}-` } : {};
  let res: Response;
  try {
    res = await (d.fetch ?? fetch)(d.url, { headers, signal: d.signal });
  } catch (err) {
    if (d.signal?.aborted) throw err;
    throw new DownloadError(
      `cannot reach ${new URL(d.url).host} (${(err as Error).message})`,
      true,
    );
  }
  if (res.status === 416 && have) {
    // The partial file is no prefix of this one (or is complete): start again.
    await res.body?.cancel();
    await Deno.remove(part);
    return downloadFile(d);
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    throw new DownloadError(
      `the server answered ${res.status} for ${new URL(d.url).pathname}`,
      res.status >= 500,
    );
  }
  if (res.status === 200) have = 0; // no range support: the whole file comes again
  const length = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(length)) d.onSize?.(have + length);
  if (have) d.onBytes(have);
  const file = await Deno.open(part, {
    write: true,
    create: true,
    truncate: have === 0,
    append: have > 0,
  });
  try {
    for await (const chunk of res.body!) {
      await writeAll(file, chunk);
      d.onBytes(chunk.byteLength);
    }
  } catch (err) {
    if (d.signal?.aborted) throw err;
    throw new DownloadError(`the connection was cut (${(err as Error).message})`, true);
  } finally {
    file.close();
  }
  const got = await sha256File(part);
  if (got !== d.sha256) {
    await Deno.remove(part);
    throw new DownloadError(
      `${new URL(d.url).pathname.split("/").pop()} does not match its checksum (expected ${
        d.sha256.slice(0, 12)
      }…, got ${got.slice(0, 12)}…); the file was deleted`,
      false,
    );
  }
  await Deno.rename(part, d.path);
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await file.write(bytes.subarray(at));
}
