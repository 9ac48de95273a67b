/**
 * The installable app, over https with a certificate the test makes (openssl): Chromium finds
 * the manifest and service worker good enough to install, and the worker keeps the app shell
 * only: never the socket, never the token check, nothing that carries a session. The theme
 * colour follows the theme. `main.ts --headless --tls-cert --tls-key`, Chromium.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { CHROMIUM, openConnectedPage } from "./support/browser.ts";
import { type Browser, chromium } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 5 });
const dir = await Deno.makeTempDir({ prefix: "pwa-" });
const made = await new Deno.Command("openssl", {
  args: [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    `${dir}/key.pem`,
    "-out",
    `${dir}/cert.pem`,
  ],
  stdout: "null",
  stderr: "piped",
}).output();
assert(made.success, new TextDecoder().decode(made.stderr));
const app = await startAppProcess({
  args: [
    "--headless",
    "--server",
    oc.url,
    "--port",
    "0",
    "--tls-cert",
    `${dir}/cert.pem`,
    "--tls-key",
    `${dir}/key.pem`,
  ],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${dir}/state.json` },
});
// A profile on disk: Chromium offers no install in an incognito profile (a fresh context's kind).
const profile = await Deno.makeTempDir({ prefix: "pwa-profile-" });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--ignore-certificate-errors"],
});
const browser = {
  newPage: () => context.newPage(),
  close: () => context.close(),
} as unknown as Browser;
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "pwa: served over https, the app is installable and its worker controls the page",
  ...opts,
  fn: async () => {
    assert(app.url.startsWith("https://127.0.0.1:"), app.url);
    const { page, errors } = await openConnectedPage(browser, app.url);
    await waitFor(
      () => page.evaluate("navigator.serviceWorker.ready.then((r) => !!r.active)"),
      "an active service worker",
    );
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors") as {
      installabilityErrors: { errorId: string }[];
    };
    assertEquals(installabilityErrors, [], "Chromium finds nothing missing to install the app");
    const manifest = await cdp.send("Page.getAppManifest") as { errors: unknown[]; url: string };
    assertEquals(manifest.errors, []);
    assertEquals(errors, []);
    await page.close();
  },
});

Deno.test({
  name: "pwa: the worker caches the app shell only, never the socket or the token check",
  ...opts,
  fn: async () => {
    const { page } = await openConnectedPage(browser, app.url);
    // Controlled by the worker now (a second load): everything the page fetched went through it.
    await waitFor(() => page.evaluate("!!navigator.serviceWorker.controller"), "a controlled page");
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("a message whose session must not be cached");
    await input.press("Enter");
    await page.getByText("a message whose session must not be cached").first().waitFor();
    const status = await page.evaluate(
      `fetch("/auth", { headers: { "x-opencode-desk-token": "wrong" } }).then((r) => r.status)`,
    );
    assertEquals(status, 401);
    const cached = await page.evaluate(`(async () => {
      const urls = [];
      for (const key of await caches.keys()) {
        for (const req of await (await caches.open(key)).keys()) urls.push(new URL(req.url).pathname);
      }
      return urls;
    })()`) as string[];
    assert(cached.includes("/ui/main.js") && cached.includes("/"), `the shell: ${cached}`);
    const shell = /^\/$|^\/(ui|vendor|proto)\/[A-Za-z0-9_./-]+$/;
    assertEquals(cached.filter((p) => !shell.test(p)), [], "nothing but static files");
    assert(!cached.some((p) => p === "/ws" || p === "/auth"), `${cached}`);
    // The theme colour is the page's background, light or dark.
    const color = () => page.evaluate(`document.querySelector('meta[name="theme-color"]').content`);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("radio", { name: "Dark" }).check();
    await waitFor(async () => await color() === "#161615", "the dark theme colour");
    await page.getByRole("radio", { name: "Light" }).check();
    await waitFor(async () => await color() === "#fbfbfa", "the light theme colour");
    await page.getByRole("radio", { name: "System" }).check();
    await page.close();
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [dir, profile] });
