/**
 * Pairing and the browsers' token, end to end: the QR code printed at start decodes to the URL
 * another machine opens; the token survives a restart (an open tab and a reload keep working);
 * a new link made in the settings drops every other browser on the old one, which says so, and
 * the old token is refused. `main.ts --headless --host 0.0.0.0` as a child process, Chromium.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import { launchBrowser, openConnectedPage } from "./support/browser.ts";
import { decodeTerminalQr } from "./support/qr_decode.ts";
import { connect } from "./support/ws_client.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";
import { CLOSE_REVOKED } from "../proto/envelope.js";

const oc = await startOpencode({});
const stateDir = await Deno.makeTempDir({ prefix: "token-state-" });
const port = (() => {
  const l = Deno.listen({ hostname: "0.0.0.0", port: 0 });
  const p = (l.addr as Deno.NetAddr).port;
  l.close();
  return p;
})();
const start = () =>
  startAppProcess({
    args: ["--headless", "--server", oc.url, "--host", "0.0.0.0", "--port", String(port)],
    env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
  });
let app: AppProcess = await start();
const browser = await launchBrowser();
const opts = { sanitizeOps: false, sanitizeResources: false };

/** The QR code printed at start, decoded, and the URL printed for other machines. */
async function printed(a: AppProcess): Promise<{ qr: string | null; remote: string }> {
  const lines = await waitFor(() => {
    const out = a.output();
    const at = out.findIndex((l) => l.includes("scan to open"));
    return at >= 0 && out.length > at + 10 ? out : null;
  }, "the QR code in the output");
  const at = lines.findIndex((l) => l.includes("scan to open"));
  const qr = lines.slice(at + 1).filter((l) => l.includes("\x1b[97;40m"));
  const remote = lines.map((l) => /from another machine: (\S+)/.exec(l)?.[1]).find(Boolean);
  return { qr: decodeTerminalQr(qr), remote: remote ?? "" };
}

const connected = (page: import("playwright-core").Page) =>
  page.getByRole("status", { name: "Connection status" }).getByText("Connected");

let shareUrl = "";

Deno.test({
  name: "token: the QR code printed at start opens the app from another machine's address",
  ...opts,
  fn: async () => {
    const { qr, remote } = await printed(app);
    assertMatch(remote, /^http:\/\/(?!127\.)[0-9.]+:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    assertEquals(qr, remote, "the QR code is the URL for other machines");
    shareUrl = remote;
    const { page } = await openConnectedPage(browser, shareUrl);
    // Over plain http from another machine's address the page says what it cannot offer.
    await page.getByRole("note").getByText(/no microphone, no notifications and no "install app"/)
      .waitFor();
    await page.close();
    const info = await Deno.stat(`${stateDir}/token`);
    assertEquals(info.mode! & 0o777, 0o600, "the kept token is private to its owner");
  },
});

Deno.test({
  name: "token: after a restart the same URL works, and an open tab reconnects by itself",
  ...opts,
  fn: async () => {
    const { page } = await openConnectedPage(browser, shareUrl);
    await app.stop();
    await page.getByRole("status", { name: "Connection status" }).getByText(/Reconnecting/)
      .waitFor();
    app = await start();
    assertEquals((await printed(app)).qr, shareUrl, "the same URL after the restart");
    await connected(page).waitFor({ timeout: 20_000 });
    await page.reload();
    await connected(page).waitFor();
    // The installed app and a bookmark open "/" without the fragment: the page kept the token.
    await page.goto(new URL(shareUrl).origin + "/");
    await connected(page).waitFor();
    await page.close();
  },
});

Deno.test({
  name: "token: a new link drops every other browser on the old one, which says so",
  ...opts,
  fn: async () => {
    const keeper = await openConnectedPage(browser, shareUrl);
    const other = await openConnectedPage(browser, shareUrl);
    const old = new URL(shareUrl).hash.slice("#token=".length);
    const raw = await connect(port, { token: old });
    await keeper.page.getByRole("button", { name: "Settings" }).click();
    // "Open on phone" shows the link this browser would share (and its QR code).
    const openOnPhone = keeper.page.getByRole("button", { name: "Open on phone…" });
    await openOnPhone.click();
    const pair = keeper.page.getByRole("dialog", { name: "Open on phone" });
    assertEquals(await pair.getByRole("textbox", { name: "Link" }).inputValue(), shareUrl);
    await pair.getByRole("img", { name: /^QR code of / }).waitFor();
    await pair.getByRole("button", { name: "Close" }).click();
    await waitFor(
      () =>
        keeper.page.evaluate("document.activeElement?.textContent?.trim() === 'Open on phone…'"),
      "focus back on the button that opened it",
    );
    await keeper.page.getByRole("button", { name: "New link…" }).click();
    await keeper.page.getByRole("button", { name: "Cancel" }).last().click();
    assertEquals(await keeper.page.getByRole("button", { name: "Make new link" }).count(), 0);
    assertEquals(await keeper.page.getByText("New link made").count(), 0, "Cancel keeps the link");
    await keeper.page.getByRole("button", { name: "New link…" }).click();
    await keeper.page.getByRole("button", { name: "Make new link" }).click();
    await keeper.page.getByText("New link made").waitFor();
    assertEquals((await raw.closed).code, CLOSE_REVOKED, "an open socket is closed as revoked");
    await other.page.getByRole("heading", { name: "This link no longer opens OpenCode Desk" })
      .waitFor();
    assert(
      (await other.page.getByRole("alert").innerText()).includes("Open on phone"),
      "the page says where to get the new link",
    );
    // The page that asked keeps working, with the new token, even after a reload.
    await keeper.page.keyboard.press("Escape");
    await keeper.page.reload();
    await connected(keeper.page).waitFor();
    // The old token is refused at the door; a page opened with it says so at once.
    let refused = false;
    await connect(port, { token: old }).catch(() => (refused = true));
    assert(refused, "the old token opens no socket");
    const late = await browser.newPage();
    await late.goto(shareUrl);
    await late.getByRole("heading", { name: "This link no longer opens OpenCode Desk" })
      .waitFor();
    const fresh = (await Deno.readTextFile(`${stateDir}/token`)).trim();
    assert(fresh !== old, "a new token is kept for the next start");
    for (const p of [keeper.page, other.page, late]) await p.close();
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
