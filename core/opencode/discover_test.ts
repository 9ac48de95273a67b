import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/support/assert.ts";
import {
  discover,
  findOpencodeBinary,
  findRunningServer,
  listRunningServers,
  probeServer,
  serverAuthHeaders,
  spawnServer,
} from "./discover.ts";
import { createSandbox, OPENCODE_BIN, UNIT_ONLY } from "./testdata/sandbox.ts";

const VERSION = /^\d+\.\d+\.\d+/;

function writeExecutable(path: string, data: Uint8Array | string) {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  if (typeof data === "string") Deno.writeTextFileSync(path, data);
  else Deno.writeFileSync(path, data);
  Deno.chmodSync(path, 0o755);
}

/** npm's placeholder: a 479-byte script at opencode-ai/bin/opencode.exe. */
const STUB = "#!/bin/sh\n" + "echo 'opencode: postinstall did not run'; exit 1\n".padEnd(469, "#");

/** A tiny file that starts like an ELF executable. */
const FAKE_ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

function serveOn(handler: (request: Request) => Response) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
}

function isRunning(pid: number): boolean {
  try {
    return !Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].startsWith("Z");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function killIfRunning(child: Deno.ChildProcess) {
  try {
    child.kill("SIGKILL");
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // already exited
  }
}

function unusedPort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return (listener.addr as Deno.NetAddr).port;
}

Deno.test("findOpencodeBinary skips npm's 479-byte stub", () => {
  const root = Deno.makeTempDirSync();
  try {
    const arch = Deno.build.arch === "aarch64" ? "arm64" : "x64";
    writeExecutable(`${root}/path/opencode`, STUB);
    writeExecutable(`${root}/bundle/node_modules/opencode-ai/bin/opencode.exe`, STUB);
    const native = `${root}/bundle/node_modules/opencode-${Deno.build.os}-${arch}/bin/opencode`;
    writeExecutable(native, FAKE_ELF);
    assertEquals(Deno.statSync(`${root}/path/opencode`).size, 479);

    const env = { PATH: `${root}/path` };
    assertEquals(findOpencodeBinary(env, { bundleDirs: [`${root}/bundle`] }), native);
    Deno.removeSync(native);
    assertEquals(findOpencodeBinary(env, { bundleDirs: [`${root}/bundle`] }), null);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test({
  name: "findOpencodeBinary prefers OPENCODE_BIN, then PATH, then the bundled package",
  // It checks the real installed package (build/tools), which a bare clone does not have.
  ignore: UNIT_ONLY,
  fn: () => {
    const root = Deno.makeTempDirSync();
    try {
      writeExecutable(`${root}/path/opencode`, FAKE_ELF);
      writeExecutable(`${root}/stub`, STUB);
      const none: string[] = [];
      assertEquals(
        findOpencodeBinary({ OPENCODE_BIN: OPENCODE_BIN, PATH: `${root}/path` }),
        OPENCODE_BIN,
      );
      assertEquals(
        findOpencodeBinary({ PATH: `/nonexistent:${root}/path` }, { bundleDirs: none }),
        `${root}/path/opencode`,
      );
      assertEquals(findOpencodeBinary({ PATH: "/nonexistent" }), OPENCODE_BIN);
      assertThrows(
        () => findOpencodeBinary({ OPENCODE_BIN: `${root}/stub` }),
        Error,
        "Cannot use OPENCODE_BIN",
      );
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
});

Deno.test("findOpencodeBinary looks next to a compiled executable", () => {
  const root = Deno.makeTempDirSync();
  try {
    writeExecutable(`${root}/opencode`, FAKE_ELF);
    assertEquals(
      findOpencodeBinary({}, { standalone: true, execPath: `${root}/opencode-desk` }),
      `${root}/opencode`,
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("probeServer returns the version from a health answer", async () => {
  await using server = serveOn(() => Response.json({ healthy: true, version: "9.9.9" }));
  assertEquals(await probeServer(`http://127.0.0.1:${server.addr.port}/`), { version: "9.9.9" });
});

Deno.test("probeServer returns null for a port that answers 200 HTML", async () => {
  await using server = serveOn(() =>
    new Response("<!doctype html><title>app</title>", { headers: { "content-type": "text/html" } })
  );
  assertEquals(await probeServer(`http://127.0.0.1:${server.addr.port}`), null);
});

Deno.test("probeServer returns null for JSON of the wrong shape or status", async () => {
  for (
    const response of [
      () => Response.json({ healthy: false, version: "1" }),
      () => Response.json({ ok: true }),
      () => Response.json(null),
      () => Response.json({ healthy: true, version: "1" }, { status: 401 }),
      () => new Response("{not json", { headers: { "content-type": "application/json" } }),
    ]
  ) {
    await using server = serveOn(response);
    assertEquals(await probeServer(`http://127.0.0.1:${server.addr.port}`), null);
  }
});

Deno.test("probeServer returns null for a closed port", async () => {
  assertEquals(await probeServer(`http://127.0.0.1:${unusedPort()}`, 1000), null);
});

Deno.test("probeServer gives up on a socket that accepts but never answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const started = performance.now();
    assertEquals(await probeServer(`http://127.0.0.1:${listener.addr.port}`, 300), null);
    const elapsed = performance.now() - started;
    assert(elapsed < 2000, `probe took ${elapsed} ms`);
    assertEquals(held.length, 1);
  } finally {
    listener.close();
    await accepting;
    for (const conn of held) conn.close();
  }
});

Deno.test("spawnServer starts the real server, which stop() leaves no trace of", {
  ignore: UNIT_ONLY,
}, async () => {
  await using sandbox = await createSandbox();
  const exits: { code: number; requested: boolean }[] = [];
  const server = await spawnServer({
    bin: OPENCODE_BIN,
    dir: sandbox.project,
    env: sandbox.env,
    clearEnv: true,
    onExit: ({ code, requested }) => exits.push({ code, requested }),
  });
  try {
    assert(/^http:\/\/127\.0\.0\.1:\d+$/.test(server.url), server.url);
    assert(!server.url.endsWith(":4096"), "opencode's --port 0 would have taken 4096");
    const health = await probeServer(server.url, 5000);
    assert(health && VERSION.test(health.version), JSON.stringify(health));
    assert(server.lastLines().some((line) => line.includes("opencode server listening on")));
    assert(isRunning(server.pid));
  } finally {
    await server.stop();
  }
  assert(!isRunning(server.pid), `opencode ${server.pid} still runs after stop()`);
  assertEquals(await server.exited, 143);
  assertEquals(exits, [{ code: 143, requested: true }]);
  assertEquals(await probeServer(server.url, 500), null);
  await server.stop(); // a second stop is harmless
});

Deno.test("spawnServer reports an early exit with the last output lines", async () => {
  const root = Deno.makeTempDirSync();
  try {
    writeExecutable(`${root}/opencode`, "#!/bin/sh\necho 'boom: no config' >&2\nexit 3\n");
    await assertRejects(
      () => spawnServer({ bin: `${root}/opencode`, dir: root }),
      Error,
      "Cannot start opencode server: exited with code 3 before listening\nboom: no config",
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("spawnServer gives up on a server that never listens and kills it", async () => {
  const root = Deno.makeTempDirSync();
  try {
    writeExecutable(`${root}/opencode`, "#!/bin/sh\necho starting\necho $$ > pid\nexec sleep 30\n");
    await assertRejects(
      () => spawnServer({ bin: `${root}/opencode`, dir: root, readyTimeoutMs: 300 }),
      Error,
      'no "listening" line within 300 ms\nstarting',
    );
    assert(!isRunning(Number(Deno.readTextFileSync(`${root}/pid`))));
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test(
  "spawnServer fails clearly when an explicit port is taken",
  { ignore: UNIT_ONLY },
  async () => {
    await using sandbox = await createSandbox();
    using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    await assertRejects(
      () =>
        spawnServer({
          bin: OPENCODE_BIN,
          dir: sandbox.project,
          env: sandbox.env,
          clearEnv: true,
          port: taken.addr.port,
        }),
      Error,
      "Cannot start opencode server: exited with code 1 before listening",
    );
  },
);

Deno.test("findRunningServer finds a server on a non-default port through /proc", {
  ignore: UNIT_ONLY,
}, async () => {
  await using sandbox = await createSandbox();
  const port = unusedPort();
  await using server = await spawnServer({
    bin: OPENCODE_BIN,
    dir: sandbox.project,
    env: sandbox.env,
    clearEnv: true,
    port,
  });
  assertEquals(server.url, `http://127.0.0.1:${port}`);
  const found = await listRunningServers({ defaultPort: unusedPort(), timeoutMs: 3000 });
  const ours = found.find((s) => s.url === server.url);
  assertEquals(ours?.pid, server.pid);
  assert(ours && VERSION.test(ours.version));
  const first = await findRunningServer({ defaultPort: unusedPort(), timeoutMs: 3000 });
  assert(first !== null && found.some((s) => s.url === first));
});

Deno.test("installExitHandlers stops the owned server when the app gets SIGTERM", {
  ignore: UNIT_ONLY,
}, async () => {
  await using sandbox = await createSandbox();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./testdata/exit_child.ts", import.meta.url).pathname,
      JSON.stringify({ bin: OPENCODE_BIN, dir: sandbox.project, env: sandbox.env }),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let info: { pid: number; url: string } | null = null;
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    info = JSON.parse(text);
    assert(info && isRunning(info.pid));

    // Another live app's server is not offered for attaching: it dies with that app.
    const found = await listRunningServers({ defaultPort: unusedPort(), timeoutMs: 3000 });
    assert(!found.some((s) => s.url === info!.url), "found a server owned by another app");

    child.kill("SIGTERM");
    assertEquals((await child.status).code, 143);
    assert(!isRunning(info.pid), `opencode ${info.pid} outlived the app`);
  } finally {
    killIfRunning(child);
    await child.status;
    if (info && isRunning(info.pid)) Deno.kill(info.pid, "SIGKILL");
  }
});

Deno.test("discover attaches to an explicit server and reports an unreachable one", async () => {
  await using server = serveOn(() => Response.json({ healthy: true, version: "1.2.3" }));
  const url = `http://127.0.0.1:${server.addr.port}`;
  const found = await discover({ serverUrl: `${url}/`, dir: Deno.cwd(), env: {} });
  assertEquals(found, { url, version: "1.2.3", owned: null, headers: {} });

  const dead = `http://127.0.0.1:${unusedPort()}`;
  await assertRejects(
    () => discover({ dir: Deno.cwd(), env: { OPENCODE_URL: dead } }),
    Error,
    `Cannot attach to the server at ${dead}: cannot connect`,
  );
});

Deno.test("discover sends Basic auth when OPENCODE_SERVER_PASSWORD is set", async () => {
  const env = { OPENCODE_SERVER_PASSWORD: "pw" };
  const expected = serverAuthHeaders(env).authorization;
  assertEquals(expected, `Basic ${btoa("opencode:pw")}`);
  await using server = serveOn((request) =>
    request.headers.get("authorization") === expected
      ? Response.json({ healthy: true, version: "1.0.0" })
      : new Response("unauthorized", { status: 401 })
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  assertEquals((await discover({ serverUrl: url, dir: Deno.cwd(), env })).version, "1.0.0");
  await assertRejects(
    () => discover({ serverUrl: url, dir: Deno.cwd(), env: {} }),
    Error,
    "HTTP 401",
  );
});
