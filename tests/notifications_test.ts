/**
 * Notifications as a person sees them: with the browser's permission granted, a reply finishing
 * in a session that is not on screen and a permission request there each raise exactly one
 * notification titled with the session; the title bar counts them until the session is looked
 * at; nothing is raised about the session on screen. Real OpenCode with the fake model,
 * `main.ts --headless`, Chromium with `window.Notification` recorded.
 */
import { assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { currentSession, launchBrowser, watchErrors } from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";
import {
  createSession as serverSession,
  promptOnServer as serverPrompt,
  storedMessages,
} from "./support/server_sessions.ts";

const oc = await startOpencode({ tokenDelayMs: 5, permission: { edit: "ask" } });
const stateDir = await Deno.makeTempDir({ prefix: "notify-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const opts = { sanitizeOps: false, sanitizeResources: false };

const createSession = (title: string) => serverSession(oc.url, title);
const promptOnServer = (id: string, text: string) => serverPrompt(oc.url, id, text);
const messages = (id: string) => storedMessages(oc.url, id);

/** A turn takes a few seconds on a loaded machine. */
const TURN_MS = 40_000;

const looking = await createSession("Looking here");
const away = await createSession("Background work");
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await context.grantPermissions(["notifications"], { origin: new URL(app.url).origin });
// Every notification the page raises, as {title, body}; nothing reaches the desktop.
await context.addInitScript(`(() => {
  const seen = [];
  globalThis.__notes = seen;
  const Real = globalThis.Notification;
  function Recorded(title, options) {
    seen.push({ title, body: options?.body ?? "" });
    return { close() {}, onclick: null };
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = () => Real.requestPermission();
  globalThis.Notification = Recorded;
})()`);
const page = await context.newPage();
const errors = watchErrors(page);
await page.goto(app.url);
await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();

const notes = async () =>
  await page.evaluate("globalThis.__notes") as { title: string; body: string }[];

/** Opens a session from the history and waits until it is on screen. */
async function show(id: string, title: string): Promise<void> {
  await page.getByRole("navigation", { name: "Session history" })
    .getByRole("button", { name: title, exact: true }).click();
  await waitFor(async () => await currentSession(page) === id, `${title} on screen`);
}

Deno.test({
  name: "notifications: a reply finishing out of sight raises one, titled with its session",
  ...opts,
  fn: async () => {
    await show(away, "Background work");
    await show(looking, "Looking here");
    await promptOnServer(away, "say something");
    const got = await waitFor(
      async () => (await notes()).length ? await notes() : null,
      "one",
      TURN_MS,
    );
    assertEquals(got, [{ title: "Background work", body: "Reply finished" }]);
    await waitFor(async () => await page.title() === "(1) OpenCode Desk", "the badge", TURN_MS);
  },
});

Deno.test({
  name: "notifications: a permission request out of sight raises one",
  ...opts,
  fn: async () => {
    const file = `${oc.dir}/notify.txt`;
    await Deno.writeTextFile(file, "a\n");
    oc.model.enqueue({
      toolCalls: [{ name: "edit", args: { filePath: file, oldString: "a", newString: "b" } }],
    });
    await promptOnServer(away, "edit it");
    await waitFor(async () => (await notes()).length === 2, "a second notification", TURN_MS);
    assertEquals((await notes())[1], {
      title: "Background work",
      body: "Waiting for your permission",
    });
    assertEquals(await page.title(), "(1) OpenCode Desk", "one session waits");
    // Looking at the session clears the badge.
    await page.getByRole("tab", { name: /Background work/ }).click();
    await waitFor(async () => await page.title() === "OpenCode Desk", "the badge cleared");
    await page.getByRole("button", { name: "Reject", exact: true }).click();
  },
});

Deno.test({
  name: "notifications: none about the session on screen in a focused window",
  ...opts,
  fn: async () => {
    await waitFor(
      async () => {
        const res = await fetch(`${oc.url}/session/status`);
        return !(await res.json() as Record<string, unknown>)[away];
      },
      "the rejected turn over",
      TURN_MS,
    );
    const before = (await notes()).length;
    const sent = (await messages(away)).length;
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("reply while I watch");
    await input.press("Enter");
    await waitFor(
      async () => {
        const all = await messages(away);
        return all.length >= sent + 2 && !!all.at(-1)?.info.time?.completed;
      },
      "the watched reply finished",
      TURN_MS,
    );
    // A reply out of sight afterwards: its notification comes after any about the watched one.
    await promptOnServer(looking, "meanwhile here");
    await waitFor(async () => (await notes()).length > before, "the next notification", TURN_MS);
    assertEquals((await notes()).slice(before), [{
      title: "Looking here",
      body: "Reply finished",
    }]);
    assertEquals(errors, []);
  },
});

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [stateDir],
  also: () => context.close().catch(() => {}),
});
