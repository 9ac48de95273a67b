/**
 * Provider keys as a person meets them: the app started with `.env` keys next to a server another
 * client is streaming a reply on leaves that reply alone (a key the server has is not re-sent; the
 * person is asked before keys are stored on a server the app did not start, and the reload they
 * need waits until no session is busy); a key entered in Settings connects the provider and never
 * comes back to the page; removing it disconnects the provider. Real OpenCode with the fake model,
 * `main.ts --headless` as a child process, Chromium.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import { launchBrowser } from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({
  tokenDelayMs: 10,
  env: {
    OPENCODE_CONFIG_CONTENT: JSON.stringify({ enabled_providers: ["mock", "anthropic", "openai"] }),
  },
});
const stateDir = await Deno.makeTempDir({ prefix: "provider-keys-state-" });
const DOTENV_KEY = "sk-openai-from-dotenv-7c1e93d2";
const ENTERED_KEY = "sk-ant-entered-in-settings-5b8f2e6a";
const q = `?directory=${encodeURIComponent(oc.dir)}`;
const json = { "content-type": "application/json" };
const REPLY = Array.from({ length: 120 }, (_, i) => `word${i}`).join(" ");

/** Another client (plain HTTP) starts a streamed reply; resolves once tokens flow. */
async function otherClientStreams(): Promise<string> {
  const s =
    await (await fetch(`${oc.url}/session${q}`, { method: "POST", headers: json, body: "{}" }))
      .json();
  const before = oc.model.tokens().length;
  oc.model.enqueue({ text: REPLY, tokenDelayMs: 25 });
  const res = await fetch(`${oc.url}/session/${s.id}/prompt_async${q}`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ parts: [{ type: "text", text: "tell me something long" }] }),
  });
  assert(res.ok, "the other client's prompt was taken");
  await res.body?.cancel();
  // A fresh server's first prompt starts its instance: seconds on a busy machine.
  await waitFor(
    () => oc.model.tokens().length > before + 5,
    "the other client's reply streams",
    30_000,
  );
  return s.id;
}

/** The reply's final text and error, once the session has gone idle. */
async function finishedReply(id: string): Promise<{ text: string; error: unknown }> {
  return await waitFor(
    async () => {
      const status = await (await fetch(`${oc.url}/session/status${q}`)).json();
      if (status[id] && status[id].type !== "idle") return null;
      const messages = await (await fetch(`${oc.url}/session/${id}/message${q}`)).json();
      const last = messages.at(-1);
      if (last?.info?.role !== "assistant" || !last.info.time?.completed) return null;
      const text = last.parts.filter((p: { type: string }) => p.type === "text")
        .map((p: { text: string }) => p.text).join("");
      return { text: text.trim(), error: last.info.error ?? null };
    },
    "the other client's reply finished",
    30_000,
  );
}

const connected = async () =>
  new Set<string>((await (await fetch(`${oc.url}/provider${q}`)).json()).connected);

// The first client streams while the app starts with keys in its environment (as from .env).
const streaming = await otherClientStreams();
const app: AppProcess = await startAppProcess({
  args: ["--headless", "--server", oc.url],
  env: {
    ...oc.env,
    OPENCODE_DESK_STATE: `${stateDir}/state.json`,
    OPENAI_API_KEY: DOTENV_KEY,
    MOCK_API_KEY: "sk-mock-from-dotenv-0a9b8c7d",
  },
});
const browser = await launchBrowser();
const page = await browser.newPage();
const received: string[] = [];
const sent: string[] = [];
const text = (payload: string | Uint8Array) =>
  typeof payload === "string" ? payload : new TextDecoder().decode(payload);
page.on("websocket", (ws) => {
  ws.on("framereceived", (f) => received.push(text(f.payload)));
  ws.on("framesent", (f) => sent.push(text(f.payload)));
});
await page.goto(app.url);
await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
const opts = { sanitizeOps: false, sanitizeResources: false };

const dialog = page.getByRole("dialog", { name: "Settings" });
const server = dialog.getByRole("region", { name: "Server", exact: true });
const providers = dialog.getByRole("region", { name: "Providers and keys" });
const row = (id: string) => providers.locator(`[data-provider="${id}"]`);

Deno.test({
  name: "provider keys from .env leave another client's streaming reply untouched",
  ...opts,
  fn: async () => {
    const reply = await finishedReply(streaming);
    assertEquals(reply.error, null, "the reply was not aborted");
    assertEquals(reply.text, REPLY, "the reply is complete");
    assert(!(await connected()).has("openai"), "nothing stored without asking");

    await page.getByRole("button", { name: "Settings" }).click();
    await dialog.waitFor();
    const report = providers.getByRole("list", { name: "API keys from the .env file" });
    await report.getByText("mock: skipped (the server already has a key for it)").waitFor();
    await report.getByText(/openai: waiting for your answer/).waitFor();

    // Asked, the person agrees while a reply streams: the key is stored, the reload waits.
    const again = await otherClientStreams();
    await server.getByRole("button", { name: "Store keys on this server" }).click();
    await report.getByText("openai: synced").waitFor();
    await waitFor(async () => (await connected()).has("openai"), "openai connected");
    const second = await finishedReply(again);
    assertEquals(second.error, null, "the second reply was not aborted either");
    assertEquals(second.text, REPLY);
    await row("openai").getByText(/key from the \.env file ending in 93d2/).waitFor();
    await server.getByRole("button", { name: "Store keys on this server" }).waitFor({
      state: "detached",
    });
  },
});

Deno.test({
  name: "provider keys entered in settings connect the provider and never reach the page",
  ...opts,
  fn: async () => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Settings" }).click();
    // Connected first; the rest folded, found by the search box.
    const search = providers.getByRole("searchbox", { name: "Search providers" });
    await search.fill("anthro");
    await row("anthropic").getByText("Not connected").waitFor();
    await row("anthropic").getByRole("button", { name: "Enter the key of Anthropic" }).click();
    await row("anthropic").getByLabel("API key for Anthropic").fill(ENTERED_KEY);
    await row("anthropic").getByRole("button", { name: "Save key" }).click();
    await providers.getByText("Key stored for Anthropic.").waitFor();
    await waitFor(async () => (await connected()).has("anthropic"), "anthropic connected");
    await row("anthropic").getByText(/key entered here ending in 2e6a/).waitFor();

    assert(sent.some((f) => f.includes(ENTERED_KEY)), "the key went out once (the search works)");
    assert(!received.some((f) => f.includes(ENTERED_KEY)), "no frame brought the key back");
    assert(!received.some((f) => f.includes(DOTENV_KEY)), "nor the .env key");
    const html = await page.content();
    assert(!html.includes(ENTERED_KEY) && !html.includes(DOTENV_KEY), "the DOM has no key");
    const storage = await page.evaluate(
      "JSON.stringify([{ ...localStorage }, { ...sessionStorage }])",
    ) as string;
    assert(!storage.includes(ENTERED_KEY), "nor the page's storage");
    const inputs = await page.evaluate(
      `[...document.querySelectorAll("input")].map((i) => i.value).join(" ")`,
    ) as string;
    assert(!inputs.includes(ENTERED_KEY), "no field still holds it");

    await row("anthropic").getByRole("button", { name: "Remove the key of Anthropic" }).click();
    await providers.getByText("Key removed for Anthropic.").waitFor();
    await waitFor(async () => !(await connected()).has("anthropic"), "anthropic disconnected");
    await row("anthropic").getByText("Not connected").waitFor();
  },
});
