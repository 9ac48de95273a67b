/** main.ts on the command line: help, version, and clear errors with exit code 2. */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { denoDir } from "./support/app_process.ts";
import { VERSION } from "../core/version.ts";
import { startOpencode2, startPlainWebServer } from "./support/foreign_servers.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** Runs main.ts to its end; one that is still running after 60 s is killed (a hang). */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    env: { DENO_DIR: denoDir(), NO_COLOR: "1" },
    stdin: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

Deno.test("main --help lists every flag and exits 0", async () => {
  const { code, out } = await run("--help");
  assertEquals(code, 0);
  for (
    const flag of ["--headless", "--host", "--port", "--server", "--dir", "--no-open", "--version"]
  ) {
    assert(out.includes(flag), `help mentions ${flag}`);
  }
});

Deno.test("main --version prints the version", async () => {
  const { code, out } = await run("--version");
  assertEquals(code, 0);
  assertEquals(out.trim(), `opencode-desk ${VERSION}`);
});

Deno.test("main rejects an unknown flag with exit code 2 and a hint", async () => {
  const { code, err, out } = await run("--frob");
  assertEquals(code, 2);
  assertMatch(err, /--frob/);
  assertMatch(err, /--help/);
  assertEquals(out, "");
});

Deno.test("main rejects bad values with exit code 2", async () => {
  for (
    const args of [
      ["--port", "abc"],
      ["--port", "70000"],
      ["--server", "not a url"],
      ["--dir", "/definitely/not/here"],
      ["--port"],
    ]
  ) {
    const { code, err } = await run(...args);
    assertEquals(code, 2, `${args.join(" ")}: ${err}`);
    assert(err.trim().length > 0, `${args.join(" ")} explains itself`);
  }
});

Deno.test("main fails clearly when the server given by --server is unreachable", async () => {
  const { code, err } = await run("--headless", "--server", "http://127.0.0.1:9");
  assertEquals(code, 1);
  assertMatch(err, /127\.0\.0\.1:9/);
});

Deno.test("main refuses an OpenCode 2.x server in one sentence instead of hanging", async () => {
  // Both shapes: 2.x's web page at /global/health, and a 1.x-style health answer with 2.x's version.
  for (const legacyHealth of [false, true]) {
    await using server = startOpencode2({ version: "2.3.2", legacyHealth });
    const { code, err, out } = await run("--headless", "--no-open", "--server", server.url);
    assertEquals(code, 1, `exit code (legacyHealth: ${legacyHealth}): ${err}`);
    assertEquals(
      err.trim(),
      `opencode-desk: Cannot attach to the server at ${server.url}: it is OpenCode 2.3.2; ` +
        "this version of the app speaks the OpenCode 1.x API",
    );
    assertEquals(out, "", "no URL printed");
  }
});

Deno.test("main refuses a server that is not OpenCode in one sentence", async () => {
  await using server = startPlainWebServer();
  const { code, err } = await run("--headless", "--no-open", "--server", server.url);
  assertEquals(code, 1);
  assertMatch(
    err,
    /it is not an OpenCode server \(GET \/global\/health answered HTTP 200 text\/html\)/,
  );
  assertEquals(err.trim().split("\n").length, 1, `one line: ${err}`);
});
