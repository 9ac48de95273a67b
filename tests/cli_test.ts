/** main.ts on the command line: help, version, and clear errors with exit code 2. */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { denoDir } from "./support/app_process.ts";
import { VERSION } from "../core/version.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    env: { DENO_DIR: denoDir(), NO_COLOR: "1" },
    stdin: "null",
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
