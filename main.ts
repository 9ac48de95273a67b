/**
 * opencode-desk: a desktop and web client for OpenCode.
 *
 * `deno run -A main.ts [--headless] [--server URL] [--dir PATH] [--host H] [--port N] [--no-open]`
 * finds or starts an OpenCode server, serves the UI, and opens a native window (or, headless,
 * prints the URL to open in a browser).
 */
import { startApp } from "./core/app.ts";
import { HELP_TEXT, parseArgs, UsageError } from "./core/config/cli.ts";
import { dotEnvCandidates, loadDotEnv } from "./core/config/env.ts";
import { claimOrHandOver } from "./core/config/one_instance.ts";
import { installExitHandlers } from "./core/opencode/discover.ts";
import { openWindow, WindowUnavailableError } from "./core/window/gtk.ts";
import { VERSION } from "./core/version.ts";
import { qrTerminal } from "./core/bridge/qr.ts";
import { insecureRemoteWarning } from "./core/bridge/tls.ts";

function fail(message: string, code: number): never {
  console.error(`opencode-desk: ${message}`);
  Deno.exit(code);
}

async function openBrowser(url: string): Promise<void> {
  const cmd = Deno.build.os === "darwin"
    ? ["open", url]
    : Deno.build.os === "windows"
    ? ["cmd", "/c", "start", "", url]
    : ["xdg-open", url];
  try {
    await new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" })
      .spawn().status;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

async function main(): Promise<void> {
  const dotenv = loadDotEnv(dotEnvCandidates());
  if (dotenv?.warning) console.error(`opencode-desk: ${dotenv.warning}`);
  let opts;
  try {
    opts = parseArgs(Deno.args, Deno.env.toObject());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    fail(`${err.message}\nRun with --help to see the flags.`, 2);
  }
  if (opts.help) {
    console.log(HELP_TEXT);
    return;
  }
  if (opts.version) {
    console.log(`opencode-desk ${VERSION}`);
    return;
  }
  if (dotenv?.loaded.length) {
    console.error(`opencode-desk: read ${dotenv.loaded.length} variables from ${dotenv.path}`);
  }

  const lock = await claimOrHandOver(
    opts.newInstance,
    (line) => console.log(line),
    !opts.headless && opts.open ? openBrowser : undefined,
  );
  if (!lock) return; // handed over to the instance already running on this state file
  let app;
  try {
    const tls = opts.tls
      ? {
        cert: await Deno.readTextFile(opts.tls.certFile),
        key: await Deno.readTextFile(opts.tls.keyFile),
      }
      : undefined;
    app = await startApp({
      tls,
      host: opts.host,
      port: opts.port,
      allowHosts: opts.allowHosts,
      serverUrl: opts.serverUrl,
      dir: opts.dir,
      dirGiven: opts.dirGiven,
      env: Deno.env.toObject(),
    });
  } catch (err) {
    lock.release();
    fail(err instanceof Error ? err.message : String(err), 1);
  }
  const shutdown = async (code: number) => {
    lock.release();
    await app.close();
    Deno.exit(code);
  };
  installExitHandlers(() => {
    lock.release();
    return app.close();
  });
  await lock.announce(app.bridge.url);

  const url = app.bridge.url;
  const warning = insecureRemoteWarning(opts.host, !!opts.tls);
  if (warning) console.error(`opencode-desk: ${warning}`);
  if (!opts.headless && opts.open) {
    try {
      const shown = await openWindow({
        url: app.bridge.windowUrl,
        title: "OpenCode Desk",
        onClose: () => void shutdown(0),
      });
      app.raiseWindow = () => shown.present();
      console.log(`opencode-desk: window open on ${app.bridge.origin}`);
      return;
    } catch (err) {
      if (!(err instanceof WindowUnavailableError)) throw err;
      console.error(`opencode-desk: ${err.message}; serving headless instead.`);
      if (Deno.build.os !== "linux") await openBrowser(url);
    }
  }
  console.log(`opencode-desk: open ${url}`);
  for (const remote of app.bridge.remoteUrls) {
    console.log(`opencode-desk: from another machine: ${remote}`);
  }
  const share = app.bridge.shareUrl();
  console.log(
    `opencode-desk: scan to open ${share.replace(/#.*/, "")} on a phone` +
      (app.bridge.remoteUrls.length ? ":" : " (this machine only: start with --host 0.0.0.0):"),
  );
  console.log(qrTerminal(share).join("\n"));
}

if (import.meta.main) await main();
