/**
 * Push-to-talk with the system engine (PocketSphinx): the time from releasing the key to the
 * text in the message box for a 3-second utterance (Debian's "go forward ten meters", padded to
 * 3 s, played by Chromium's fake microphone), and the core's RSS before, during and after
 * transcribing. The baseline, in the same run: the same 3 s of audio decoded by PocketSphinx's
 * own command line (`pocketsphinx_continuous -infile`), which is what the core runs per
 * utterance; the difference is what capture, the socket, the core and the page add.
 *
 *   deno run -A bench/voice.ts [--rounds 5]
 *
 * It prints figures; it asserts nothing.
 * @module
 */
import { startOpencode } from "../tests/support/opencode_server.ts";
import { startAppProcess } from "../tests/support/app_process.ts";
import { launchBrowser, newSession, openConnectedPage } from "../tests/support/browser.ts";
import { median, rssMiB } from "./support.ts";

const i = Deno.args.indexOf("--rounds");
const ROUNDS = i >= 0 ? Number(Deno.args[i + 1]) : 5;
const RAW = new URL("../core/voice/testdata/goforward.raw", import.meta.url).pathname;
const log = (line: string) => console.error(`voice: ${line}`);

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

const dir = await Deno.makeTempDir({ prefix: "bench-voice-" });
// 2.786 s of speech + silence = exactly 3 s, at 16 kHz (for the CLI) and 48 kHz stereo (the mic).
const pad = ["pad", "0", String(3 - 89160 / 2 / 16000)];
const rawIn = ["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", RAW];
await run("sox", [...rawIn, "-t", "raw", `${dir}/three.raw`, ...pad]);
await run("sox", [...rawIn, "-r", "48000", "-c", "2", `${dir}/three.wav`, ...pad]);

// Baseline: the engine's own command line on the same audio, once per round between the
// app's rounds (the machine's load changes over a run; interleaving shares it fairly).
const cli: number[] = [];
let cliText = "";
async function baseline(): Promise<void> {
  const t0 = performance.now();
  cliText = (await run("pocketsphinx_continuous", [
    "-infile",
    `${dir}/three.raw`,
    "-logfn",
    "/dev/null",
  ])).trim();
  cli.push(performance.now() - t0);
}

const oc = await startOpencode({ tokenDelayMs: 5 });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${dir}/state.json`, OPENCODE_DESK_DATA: `${dir}/data` },
});
const browser = await launchBrowser([
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  `--use-file-for-fake-audio-capture=${dir}/three.wav`,
]);
const { page } = await openConnectedPage(browser, app.url);
await newSession(page);
const box = page.getByRole("textbox", { name: "Message" });
const phase = () =>
  page.getByRole("status", { name: "Voice input status" }).getAttribute("data-phase");

const rss = { before: [] as number[], during: [] as number[], after: [] as number[] };
const latency: number[] = [];
let text = "";
for (let r = 0; r < ROUNDS; r++) {
  await box.fill("");
  await box.focus();
  rss.before.push(await rssMiB(app.pid));
  // Stamps in the page: the key's release, and the first frame with text in the box.
  await page.evaluate(`{
    const w = globalThis;
    w.__vb = { up: 0, text: 0 };
    addEventListener("keyup", () => (w.__vb.up ||= performance.now()), { capture: true, once: true });
    const area = document.querySelector("textarea");
    const tick = () => {
      if (area.value.trim()) w.__vb.text = performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }`);
  await page.keyboard.down("AltRight");
  while (await phase() !== "recording") await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 3_000)); // hold for the utterance's length
  await page.keyboard.up("AltRight");
  let peak = 0;
  while (await phase() === "transcribing") {
    peak = Math.max(peak, await rssMiB(app.pid));
    await new Promise((r) => setTimeout(r, 20));
  }
  rss.during.push(Math.max(peak, await rssMiB(app.pid)));
  const stamps = await page.evaluate("globalThis.__vb") as { up: number; text: number };
  text = await box.inputValue();
  latency.push(stamps.text - stamps.up);
  await new Promise((r) => setTimeout(r, 500));
  rss.after.push(await rssMiB(app.pid));
  await baseline();
}

await browser.close();
await app.stop();
await oc.stop();
await Deno.remove(dir, { recursive: true });

const ms = (v: number) => `${Math.round(v)} ms`;
const mib = (v: number) => `${v.toFixed(1)} MiB`;
console.log(
  `voice input, system engine (PocketSphinx), 3 s utterance, ${ROUNDS} rounds (median, min–max)`,
);
console.log(
  `  key release → text in the box:    ${ms(median(latency))} (${ms(Math.min(...latency))}–${
    ms(Math.max(...latency))
  })   "${text.trim()}"`,
);
console.log(
  `  baseline: pocketsphinx CLI alone: ${ms(median(cli))} (${ms(Math.min(...cli))}–${
    ms(Math.max(...cli))
  })   "${cliText}"`,
);
console.log(`  overhead over the CLI:            ${ms(median(latency) - median(cli))}`);
console.log(
  `  core RSS before / during / after: ${mib(median(rss.before))} / ${mib(median(rss.during))} / ${
    mib(median(rss.after))
  }`,
);
log("done");
