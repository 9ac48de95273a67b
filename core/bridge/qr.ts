/**
 * The URL another device opens, as a QR code: text for the terminal (two rows of modules per
 * line, light on dark colours set explicitly so any terminal theme scans) and an SVG document
 * for the window's "Open on phone" dialog.
 */
// @ts-types="npm:@types/qrcode@1.5.6"
import QRCode from "qrcode";

/** The modules of a QR code: `size` × `size`, true for dark. */
export interface QrMatrix {
  size: number;
  dark: (x: number, y: number) => boolean;
}

/** Modules of light margin around the code, as scanners expect. */
const QUIET = 2;

/** Encodes `text` (error correction level M). */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, dark: (x, y) => !!modules.get(y, x) };
}

/**
 * The code as terminal lines: each character is two modules stacked (▀ ▄ █ or space for the
 * light ones), drawn in white on black so it reads the same on light and dark terminals.
 */
export function qrTerminal(text: string): string[] {
  const m = qrMatrix(text);
  const light = (x: number, y: number) =>
    x < 0 || y < 0 || x >= m.size || y >= m.size || !m.dark(x, y);
  const lines: string[] = [];
  for (let y = -QUIET; y < m.size + QUIET; y += 2) {
    let line = "\x1b[97;40m";
    for (let x = -QUIET; x < m.size + QUIET; x++) {
      const top = light(x, y);
      const bottom = light(x, y + 1);
      line += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
    }
    lines.push(line + "\x1b[0m");
  }
  return lines;
}

/** The code as an SVG document (black on white, one path). */
export function qrSvg(text: string): string {
  const m = qrMatrix(text);
  const full = m.size + 2 * QUIET;
  let d = "";
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) {
      if (m.dark(x, y)) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" ` +
    `shape-rendering="crispEdges"><rect width="${full}" height="${full}" fill="#fff"/>` +
    `<path d="${d}" fill="#000"/></svg>`;
}
