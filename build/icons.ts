/**
 * `deno run -A build/icons.ts`: draws ui/favicon.svg into the installed app's PNG icons
 * (ui/icons/icon-192.png, icon-512.png) with Chromium. Run after changing the favicon and commit
 * the PNGs: the app serves them as they are.
 */
import { chromium } from "playwright-core";
import { CHROMIUM } from "../tests/support/browser.ts";

const root = new URL("../", import.meta.url);
const svg = await Deno.readTextFile(new URL("ui/favicon.svg", root));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const src = `data:image/svg+xml;base64,${btoa(svg)}`;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}</style>` +
        `<img src="${src}" width="${size}" height="${size}" style="display:block">`,
    );
    await page.waitForFunction("document.querySelector('img').complete");
    const png = await page.screenshot({ omitBackground: true, type: "png" });
    await Deno.writeFile(new URL(`ui/icons/icon-${size}.png`, root), png);
    console.error(`icons: wrote ui/icons/icon-${size}.png`);
    await page.close();
  }
} finally {
  await browser.close();
}
