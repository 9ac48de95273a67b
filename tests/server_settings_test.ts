/**
 * Settings → Server as a person uses it: the server the app started is shown with its process
 * and directory, and restarted, stopped and started from the dialog; "Use another server"
 * refuses a wrong URL with a reason, switches every window to a second real server (kept for the
 * next start), and goes back. A second launch on the same state file hands over to the first.
 * Real OpenCode with the fake model, `main.ts --headless` as a child process, Chromium.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { createSandbox, DEFAULT_OPENCODE_BIN, startOpencode } from "./support/opencode_server.ts";
import { startFakeModel } from "./support/fake_model.ts";
import { alive, type AppProcess, startAppProcess } from "./support/app_process.ts";
import { launchBrowser, openConnectedPage } from "./support/browser.ts";
import { startPlainWebServer } from "./support/foreign_servers.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const BIN = Deno.env.get("OPENCODE_BIN") ?? DEFAULT_OPENCODE_BIN;
const model = await startFakeModel({ tokenDelayMs: 5 });
const sandbox = await createSandbox({ modelUrl: model.url });
const other = await startOpencode({ model });
const plain = startPlainWebServer();
const stateDir = await Deno.makeTempDir({ prefix: "server-settings-state-" });
const statePath = `${stateDir}/state.json`;
const appEnv = {
  ...sandbox.env,
  PATH: Deno.env.get("PATH") ?? "",
  OPENCODE_BIN: BIN,
  OPENCODE_DESK_NO_DISCOVERY: "1",
  OPENCODE_DESK_STATE: statePath,
};
const app: AppProcess = await startAppProcess({
  args: ["--headless", "--dir", sandbox.dir],
  env: appEnv,
  cwd: sandbox.dir,
});
const browser = await launchBrowser();
const { page } = await openConnectedPage(browser, app.url);

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => other,
  dirs: [stateDir, sandbox.root],
  also: async () => {
    await plain.shutdown();
    await model.close();
  },
});
const opts = { sanitizeOps: false, sanitizeResources: false };

const dialog = page.getByRole("dialog", { name: "Settings" });
const section = dialog.getByRole("region", { name: "Server", exact: true });
const fact = (name: string) => section.locator(`[data-fact="${name}"]`);
const said = section.locator(".server-said");
const pidShown = async () =>
  Number((await fact("owner").textContent())?.match(/process (\d+)/)?.[1]);
const healthy = async (url: string) => {
  try {
    const res = await fetch(`${url}/global/health`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch (err) {
    if (err instanceof TypeError || err instanceof DOMException) return false;
    throw err;
  }
};
/** Clicks a button of the section and waits for the sentence that says it is done. */
async function click(name: string, done: string | RegExp) {
  await section.getByRole("button", { name, exact: true }).click();
  await waitFor(
    async () => {
      const text = (await said.textContent()) ?? "";
      return typeof done === "string" ? text.includes(done) : done.test(text);
    },
    `the section says ${done}`,
    40_000,
  );
}
const savedSettings = async () => {
  try {
    return JSON.parse(await Deno.readTextFile(statePath)).settings;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {}; // nothing saved yet
    throw err;
  }
};

await page.getByRole("button", { name: "Settings" }).click();
await dialog.waitFor();

Deno.test({
  name: "server settings: the server the app started is restarted, stopped and started again",
  ...opts,
  fn: async () => {
    await waitFor(async () => (await fact("state").textContent()) === "Connected", "connected");
    assertEquals(await fact("directory").textContent(), sandbox.dir);
    const first = await pidShown();
    assert(alive(first), `the shown process ${first} runs`);
    const url = (await fact("url").textContent())!;

    await click("Restart", "Restarted.");
    const second = await pidShown();
    assert(second !== first && alive(second), "a new process serves");
    await waitFor(() => !alive(first), "the old process is gone");
    await waitFor(async () => (await fact("state").textContent()) === "Connected", "connected");
    assertEquals(await fact("url").textContent(), url, "on the same URL");

    await click("Stop", "Stopped.");
    await waitFor(async () => (await fact("state").textContent()) === "Stopped", "shown stopped");
    await waitFor(() => !alive(second), "the process is gone");
    assertEquals(await healthy(url), false);

    await click("Start", "Started.");
    await waitFor(async () => (await fact("state").textContent()) === "Connected", "connected");
    assert(await healthy(url), "the server answers again on its URL");
    assert(alive(await pidShown()), "and its process runs");
  },
});

Deno.test({
  name: "server settings: a wrong URL is refused with a reason; another server is used, and left",
  ...opts,
  fn: async () => {
    const form = section.getByRole("form", { name: "Use another server" });
    const use = async (url: string, done: string | RegExp) => {
      await form.getByLabel("URL of another server").fill(url);
      await click("Use this server", done);
    };
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const dead = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}`;
    closed.close();
    await use(dead, `Cannot use ${dead}: nothing answers there`);
    await use(plain.url, `Cannot use ${plain.url}: not an OpenCode server`);
    assertEquals((await savedSettings()).serverUrl ?? "", "", "nothing was kept");

    const ownUrl = (await fact("url").textContent())!;
    const ownPid = await pidShown();
    // A session only the second server has: the sidebar shows it once the app switched.
    const created = await fetch(`${other.url}/session?directory=${encodeURIComponent(other.dir)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Only on the second server" }),
    });
    assert(created.ok, "session created on the second server");
    await created.body?.cancel();
    await use(other.url, "Switched.");
    assertEquals(await fact("url").textContent(), other.url);
    assertMatch((await fact("owner").textContent())!, /another program/);
    assertEquals(await fact("directory").textContent(), other.dir);
    await page.getByText("Only on the second server").first().waitFor();
    await waitFor(() => !alive(ownPid), "the server the app started is stopped");
    assertEquals((await savedSettings()).serverUrl, other.url, "kept for the next start");

    await click("Forget it and use a server of its own", "Back on a server of its own.");
    assertMatch((await fact("owner").textContent())!, /this app \(process \d+\)/);
    assertEquals(await fact("directory").textContent(), sandbox.dir);
    assert((await fact("url").textContent()) !== other.url, "no longer on the second server");
    await page.getByText("Only on the second server").waitFor({ state: "detached" });
    assertEquals((await savedSettings()).serverUrl, "", "nothing kept any more");
    assert(await healthy(other.url), "the second server was left running");
    void ownUrl;
  },
});

Deno.test({
  name:
    "app instance: a second launch on the same state file hands over to the running app, or runs beside it",
  ...opts,
  fn: async () => {
    const mtime = async () => (await Deno.stat(statePath).catch(() => null))?.mtime?.getTime();
    const before = await mtime();
    const second = await startAppProcess({
      args: ["--headless", "--server", other.url],
      env: appEnv,
    });
    assertEquals(second.url, app.url, "it prints the running app's URL");
    assertEquals(await second.exited, 0, "and exits");
    assertMatch(
      second.output().join("\n"),
      /already runs on \S+state\.json \(process \d+\); handing over to it/,
    );
    assertEquals(await mtime(), before, "the state file was not written");

    const third = await startAppProcess({
      args: ["--headless", "--server", other.url, "--new-instance"],
      env: appEnv,
    });
    try {
      const line = third.output().find((l) => l.includes("runs separately"));
      assert(line, `it says it runs separately:\n${third.output().join("\n")}`);
      const own = line.match(/its own state in (\S+)/)![1];
      assert(own !== statePath, "with a state file of its own");
      assert(third.url !== app.url, "and a URL of its own");
      await third.stop();
      assertEquals(await Deno.stat(own).catch(() => null), null, "its own state goes with it");
    } finally {
      await third.stop();
    }
    assertEquals(await mtime(), before, "the first app's state file is still untouched");
  },
});
