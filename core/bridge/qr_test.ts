import { assert, assertEquals } from "../../tests/support/assert.ts";
import { qrSvg, qrTerminal } from "./qr.ts";
import { decodeTerminalQr } from "../../tests/support/qr_decode.ts";

Deno.test("qr terminal text decodes to the URL it was made from", () => {
  const url = "https://192.168.1.20:41234/#token=" + "a".repeat(43);
  assertEquals(decodeTerminalQr(qrTerminal(url)), url);
});

Deno.test("qr svg is one path of modules on white", () => {
  const svg = qrSvg("http://10.0.0.2:1/#token=x");
  assert(svg.startsWith("<svg") && svg.includes('fill="#fff"') && svg.includes('<path d="M'));
});
