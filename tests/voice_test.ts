/**
 * Voice input as a person uses it, with real speech and the real system engine: Chromium's fake
 * microphone plays a recording of "go forward ten meters" (Debian's pocketsphinx-testdata, made
 * 48 kHz stereo by sox so the page really downmixes and resamples), the push-to-talk key is held
 * for the length of the recording and released, and PocketSphinx on this machine writes the
 * words into the message box, at the cursor, without sending them. Then from a second browser on
 * the same core with a phone's screen (the microphone button, clicked to start and stop), Esc
 * cancelling, and a browser that refuses the microphone.
 */
import type { Browser, Page } from "playwright-core";
import { assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser, newSession, openConnectedPage, watchErrors } from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const SAID = "go forward ten meters";
const dir = await Deno.makeTempDir({ prefix: "voice-test-" });
const wav = `${dir}/goforward.wav`;
// Half a second of silence on each side: the fake microphone loops the file.
const sox = await new Deno.Command("sox", {
  args: [
    ...["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1"],
    new URL("../core/voice/testdata/goforward.raw", import.meta.url).pathname,
    ...["-r", "48000", "-c", "2", "-b", "16", wav, "pad", "0.5", "0.5"],
  ],
}).output();
if (!sox.success) throw new Error(new TextDecoder().decode(sox.stderr));
/** The recording's length with its padding, in ms. */
const WAV_MS = 2786 + 1000;

const oc = await startOpencode({ tokenDelayMs: 5 });
// Whisper's models would come from here: a port nobody listens on (this machine is offline).
const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const offlineUrl = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}`;
closed.close();
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: {
    ...oc.env,
    OPENCODE_DESK_STATE: `${dir}/state.json`,
    OPENCODE_DESK_DATA: `${dir}/data`,
    OPENCODE_DESK_MODEL_URL: offlineUrl,
  },
});
const MIC = ["--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`];
const browser = await launchBrowser([...MIC, "--use-fake-ui-for-media-stream"]);
// The phone: another Chromium whose microphone permission is granted (or not) per page.
const phoneBrowser: Browser = await launchBrowser(MIC);
const { page, errors } = await openConnectedPage(browser, app.url);

const opts = { sanitizeOps: false, sanitizeResources: false };
const input = (p: Page) => p.getByRole("textbox", { name: "Message" });
const status = (p: Page) => p.getByRole("status", { name: "Voice input status" });
const phase = (p: Page) => status(p).getAttribute("data-phase");
/** Seconds shown by the recording's clock. */
const elapsed = async (p: Page) => {
  const m = /(\d+):(\d\d)/.exec(await status(p).innerText());
  return m ? Number(m[1]) * 60 + Number(m[2]) : -1;
};
/** Waits until the page has recorded the whole file (by its own clock). */
const untilRecorded = (p: Page) =>
  waitFor(async () => await elapsed(p) >= Math.ceil(WAV_MS / 1000), "the whole recording", 20_000);

Deno.test({
  name: "voice: holding Right Alt records real speech and the system engine types it at the cursor",
  ...opts,
  fn: async () => {
    await newSession(page);
    await input(page).fill("Note: ");
    await input(page).focus();
    await page.keyboard.down("AltRight");
    await waitFor(async () => await phase(page) === "recording", "recording");
    // The level meter moves: the microphone delivers sound, not silence.
    await waitFor(
      async () => Number(await page.getByRole("meter").getAttribute("aria-valuenow")) > 20,
      "the level meter shows speech",
    );
    await untilRecorded(page);
    await page.keyboard.up("AltRight");
    await waitFor(async () => (await input(page).inputValue()).includes(SAID), "the words", 60_000);
    assertMatch(await input(page).inputValue(), /^Note: go forward ten meters/);
    assertEquals(await page.locator('article[data-role="user"]').count(), 0, "nothing was sent");
    assertEquals(errors, []);
  },
});

Deno.test({
  name: "voice: Esc while recording cancels; nothing is inserted",
  ...opts,
  fn: async () => {
    await input(page).fill("unchanged");
    await page.keyboard.down("AltRight");
    await waitFor(async () => await phase(page) === "recording", "recording");
    await page.keyboard.press("Escape");
    await page.keyboard.up("AltRight");
    await status(page).getByText("Voice input cancelled.").waitFor();
    assertEquals(await input(page).inputValue(), "unchanged");
  },
});

Deno.test({
  name: "voice: a second browser on the same core (a phone) dictates with the microphone button",
  ...opts,
  fn: async () => {
    const phone = await phoneBrowser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      permissions: ["microphone"],
    });
    const p = await phone.newPage();
    const errs = watchErrors(p);
    await p.goto(app.url);
    await p.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
    await newSession(p);
    const mic = p.getByRole("button", { name: "Voice input" });
    // A click (for people who cannot hold) starts; the next click stops.
    await mic.click();
    await waitFor(async () => await phase(p) === "recording", "recording on the phone");
    assertEquals(await mic.getAttribute("aria-pressed"), "true");
    await untilRecorded(p);
    await mic.click();
    await waitFor(async () => (await input(p).inputValue()).includes(SAID), "the words", 60_000);
    assertEquals(errs, []);
    await phone.close();
  },
});

Deno.test({
  name: "voice: a browser that refuses the microphone says how to allow it",
  ...opts,
  fn: async () => {
    const denied = await phoneBrowser.newContext(); // no microphone permission
    const p = await denied.newPage();
    await p.goto(app.url);
    await p.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
    await input(p).focus();
    await p.keyboard.down("AltRight");
    await waitFor(async () => await phase(p) === "error", "an error");
    await p.keyboard.up("AltRight");
    assertMatch(await status(p).innerText(), /microphone is blocked.*Allow it in the browser's/);
    await denied.close();
  },
});

Deno.test({
  name:
    "voice settings: engines, an offline model download that says so, and a new push-to-talk key",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    const dialog = page.getByRole("dialog", { name: "Settings" });
    const audio = dialog.getByRole("group", { name: "Audio" });
    await audio.getByText("Voice input uses PocketSphinx (offline, English).").waitFor();
    assertEquals(await audio.getByRole("radio", { name: "Automatic" }).isChecked(), true);
    const models = audio.getByRole("group", { name: "Whisper model" });
    await models.getByText("41.5 MB · not downloaded").waitFor();
    await models.getByRole("button", { name: "Download Whisper tiny (English)" }).click();
    const alert = models.getByRole("alert");
    await alert.waitFor();
    assertMatch(
      await alert.innerText(),
      /^Cannot download tiny\.en: cannot reach 127\.0\.0\.1:\d+ .*Typed input keeps working/,
    );
    // base.en's checksums are not recorded: it refuses rather than fetch unchecked files.
    await models.getByRole("button", { name: "Download Whisper base (English)" }).click();
    await models.getByText(/Cannot download base\.en: .*no checksum/).waitFor();

    await audio.getByRole("button", { name: "Change" }).click();
    // The chooser listens once it says so (its listener is set after that render).
    await audio.getByRole("button", { name: /Press the key you want/ }).waitFor();
    await page.keyboard.press("F8");
    await audio.locator("kbd", { hasText: "F8" }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await input(page).fill("typed still works");
    await input(page).focus();
    await page.keyboard.down("F8");
    await waitFor(async () => await phase(page) === "recording", "recording with F8");
    await page.keyboard.press("Escape");
    await page.keyboard.up("F8");
    await page.keyboard.press("Enter");
    await page.locator('article[data-role="user"]', { hasText: "typed still works" }).waitFor();
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/state.json`));
    assertEquals(saved.settings.voice.pushToTalkKey, "F8");
  },
});

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [dir],
  also: () => phoneBrowser.close(),
});
