/** Decodes the QR code the app prints in the terminal, as a phone's camera would. */
import jsQRModule from "jsqr";

// jsqr is CommonJS: under Deno its default export is the module object, whose default is jsQR.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ??
  jsQRModule) as unknown as Decode;

/** Reads the terminal lines back into pixels (4 per module) and decodes them with jsQR. */
export function decodeTerminalQr(lines: string[]): string | null {
  // deno-lint-ignore no-control-regex
  const rows = lines.map((l) => [...l.replace(/\x1b\[[0-9;]*m/g, "")]);
  const width = rows[0].length;
  const height = rows.length * 2;
  const scale = 4;
  const data = new Uint8ClampedArray(width * scale * height * scale * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = rows[y >> 1][x];
      const light = c === "█" || (c === "▀" && y % 2 === 0) || (c === "▄" && y % 2 === 1);
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = ((y * scale + dy) * width * scale + x * scale + dx) * 4;
          data.fill(light ? 255 : 0, i, i + 3);
          data[i + 3] = 255;
        }
      }
    }
  }
  return jsQR(data, width * scale, height * scale)?.data ?? null;
}
