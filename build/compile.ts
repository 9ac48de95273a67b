/**
 * `deno task build [--target TRIPLE]`: one executable with the UI embedded, in dist/.
 *
 * `deno compile` downloads the `denort` runtime for the target from Deno's servers; set
 * DENORT_BIN to a local `denort` where they are unreachable. The embedded files are read at the
 * same paths as under `deno run` (see core/bridge/assets.ts), so the compiled app differs only
 * where `Deno.build.standalone` is checked: where `.env` and the `opencode` binary are looked for.
 */
import { VENDOR_FILES } from "../core/bridge/assets.ts";
import { VERSION } from "../core/version.ts";

const root = new URL("../", import.meta.url);
const args = [...Deno.args];
const at = args.indexOf("--target");
const target = at >= 0 ? args[at + 1] : undefined;
if (at >= 0 && !target) {
  console.error("build: --target needs a value, e.g. x86_64-unknown-linux-gnu");
  Deno.exit(2);
}
const suffix = target ? `-${target}` : "";
const exe = (target ?? Deno.build.target).includes("windows") ? ".exe" : "";
const output = `dist/opencode-desk-${VERSION}${suffix}${exe}`;

const include = [
  "ui", // with ui/manifest.webmanifest, ui/sw.js and the PNG icons of the installable app
  "proto/gen/ipc.js",
  "proto/envelope.js",
  "proto/words.js",
  // Started as a Worker by URL, so deno compile's module graph does not see it.
  "core/voice/whisper_worker.ts",
  ...Object.values(VENDOR_FILES).map((f) => `node_modules/${f}`),
];
const cmd = [
  "compile",
  "--allow-all",
  "--no-check",
  ...include.flatMap((p) => ["--include", p]),
  ...(target ? ["--target", target] : []),
  "--output",
  output,
  "main.ts",
];
console.error(`build: deno ${cmd.join(" ")}`);
if (Deno.env.get("DENORT_BIN")) {
  console.error(`build: using DENORT_BIN=${Deno.env.get("DENORT_BIN")}`);
}
const { code } = await new Deno.Command(Deno.execPath(), {
  args: cmd,
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (code !== 0) {
  console.error(
    "build: deno compile failed. It needs the denort runtime (downloaded from Deno's servers, " +
      "or DENORT_BIN).",
  );
  Deno.exit(code);
}
console.error(`build: wrote ${output}`);
