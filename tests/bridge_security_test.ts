/**
 * The bridge's static files and Host rules under attack, over real sockets: traversal in every
 * encoding a path can take, and Host names that look like this machine but are not.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { rawRequest } from "./support/raw_http.ts";
import { startBridge } from "../core/bridge/server.ts";
import { VENDOR_FILES } from "../core/bridge/assets.ts";
import { OpencodeClient } from "../core/opencode/client.ts";
import { Store } from "../core/state/store.ts";

const ROOT = new URL("../", import.meta.url);
const MARKER = `planted-secret-${crypto.randomUUID()}`;

async function withBridge(
  host: string,
  fn: (port: number) => Promise<void>,
  allowHosts: string[] = [],
): Promise<void> {
  const store = new Store({ client: new OpencodeClient("http://127.0.0.1:9"), owned: false });
  const bridge = await startBridge({
    store,
    token: "t",
    host,
    port: 0,
    app: { version: "test" },
    allowHosts,
  });
  try {
    await fn(bridge.port);
  } finally {
    await bridge.shutdown();
    await store.close();
  }
}

/** Every file the bridge may answer with, read from disk: ui/, the protocol code, the vendor list. */
async function allowedBodies(): Promise<Set<string>> {
  const bodies = new Set<string>();
  const add = async (url: URL) => bodies.add(await hash(await Deno.readFile(url)));
  const walk = async (dir: URL) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir));
      else await add(new URL(e.name, dir));
    }
  };
  await walk(new URL("ui/", ROOT));
  await add(new URL("proto/gen/ipc.js", ROOT));
  await add(new URL("proto/envelope.js", ROOT));
  await add(new URL("proto/words.js", ROOT));
  for (const rel of Object.values(VENDOR_FILES)) await add(new URL(`node_modules/${rel}`, ROOT));
  return bodies;
}

async function hash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const DOTS = [".", "%2e", "%2E", "%252e", "%25252e", "%c0%ae", "%e0%80%ae", "%C0%AE"];
const SEPARATORS = [
  "/",
  "%2f",
  "%2F",
  "%252f",
  "%25252f",
  "%c0%af",
  "%e0%80%af",
  "\\",
  "%5c",
  "%5C",
  "%255c",
  "%c1%9c",
  "//",
  "/./",
  ";/",
];
const PREFIXES = ["/", "/ui/", "/ui/lib/", "/vendor/", "/proto/", "/proto/gen/", "/UI/", "//ui/"];
const SUFFIXES = ["", ";", "%00", "%00.js", ";.js", "%2500"];

/** Request targets that try to climb from each prefix to `target` (a path from the root). */
function traversals(target: string, depth: number): string[] {
  const out: string[] = [];
  for (const prefix of PREFIXES) {
    for (const dot of DOTS) {
      for (const sep of SEPARATORS) {
        const climb = `${dot}${dot}${sep}`.repeat(depth);
        const tail = target.split("/").join(sep);
        out.push(`${prefix}${climb}${tail}`);
      }
    }
    for (const suffix of SUFFIXES) {
      out.push(`${prefix}${"..%252f".repeat(depth)}${target}${suffix}`);
    }
  }
  return out;
}

Deno.test("bridge serves no file outside its allow-list, however the path is encoded", async () => {
  // One file planted inside the repository (outside ui/) and one far outside it, both with
  // extensions the server knows; and the repository's own deno.json.
  const inside = new URL("tests/_scratch_planted/", ROOT);
  await Deno.mkdir(inside, { recursive: true });
  await Deno.writeTextFile(new URL("secret.json", inside), JSON.stringify({ MARKER }));
  await Deno.writeTextFile(new URL("secret.js", inside), `export const s = "${MARKER}";`);
  const outside = await Deno.makeTempDir();
  await Deno.writeTextFile(`${outside}/secret.json`, JSON.stringify({ MARKER }));
  const denoJson = await hash(await Deno.readFile(new URL("deno.json", ROOT)));
  const allowed = await allowedBodies();
  try {
    await withBridge("127.0.0.1", async (port) => {
      const page = await rawRequest(port, "/");
      assertEquals(page.status, 200);
      const pageHash = await hash(page.body);
      const targets = [
        ...traversals("deno.json", 1),
        ...traversals("deno.json", 3),
        ...traversals("tests/_scratch_planted/secret.json", 2),
        ...traversals("tests/_scratch_planted/secret.js", 1),
        ...traversals(`${outside.slice(1)}/secret.json`, 12),
      ];
      assert(targets.length > 5000, `only ${targets.length} forms generated`);
      const served: string[] = [];
      for (let i = 0; i < targets.length; i += 16) {
        await Promise.all(
          targets.slice(i, i + 16).map(async (target) => {
            const res = await rawRequest(port, target);
            const text = new TextDecoder().decode(res.body);
            assert(!text.includes(MARKER), `planted file served for ${target}`);
            if (res.status === 200) {
              const h = await hash(res.body);
              assert(h !== denoJson, `deno.json served for ${target}`);
              assert(allowed.has(h) || h === pageHash, `unlisted body for ${target}`);
              served.push(target);
            } else {
              // 400: the HTTP parser refused the request line before our handler saw it.
              assert(res.status === 404 || res.status === 400, `${res.status} for ${target}`);
            }
          }),
        );
      }
      // The URL parser resolves plain dot segments ("/ui/./x" is "/ui/x"), so a few forms land
      // on a real UI file; none of them may be anything else.
      assert(served.length < targets.length / 10, `${served.length} of ${targets.length} served`);
    });
  } finally {
    await Deno.remove(inside, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("bridge serves exactly its own files, each by its one exact path", async () => {
  await withBridge("127.0.0.1", async (port) => {
    for (
      const path of [
        "/ui/main.js",
        "/ui/styles.css",
        "/ui/lib/markdown.js",
        "/vendor/preact.mjs",
        "/vendor/protobuf.mjs",
        "/proto/gen/ipc.js",
        "/proto/envelope.js",
      ]
    ) assertEquals((await rawRequest(port, path)).status, 200, path);
    for (
      const path of [
        "/ui/MAIN.js",
        "/ui/main.js%00",
        "/ui/main%2ejs",
        "/ui//main.js",
        "/ui/main.js/",
        "/ui/",
        "/ui",
        "/vendor/",
        "/proto/ipc.proto",
        "/node_modules/preact/package.json",
        "/main.ts",
        "/deno.json",
      ]
    ) assertEquals((await rawRequest(port, path)).status, 404, path);
  });
});

/** Status of `path` with these Host header lines (none, one, or several). */
function statusWith(port: number, hosts: string[], path = "/"): Promise<number> {
  return rawRequest(port, path, hosts.map((h) => `Host: ${h}`)).then((r) => r.status);
}

const LOOKALIKES = [
  "127.0.0.1.evil.example",
  "127.evil.example",
  "127.0.0.1.",
  "127.1",
  "127.0.1",
  "2130706433",
  "0x7f000001",
  "0x7f.0.0.1",
  "0177.0.0.1",
  "017700000001",
  "127.0.0.01",
  "127.0.0.1.1",
  "127.0.0.256",
  "localhost.",
  "localhost.evil.example",
  "evil-localhost",
  "LOCALHOST.evil.example",
  "[::1].evil.example",
  "[::ffff:127.0.0.1]",
  "[0:0:0:0:0:0:0:1]",
  "evil.example",
];

Deno.test("bridge refuses Host names that only look like loopback, on every route", async () => {
  await withBridge("127.0.0.1", async (port) => {
    for (const path of ["/", "/ui/main.js", "/vendor/preact.mjs", "/ws"]) {
      for (const name of LOOKALIKES) {
        assertEquals(await statusWith(port, [name], path), 403, `${name} ${path}`);
        assertEquals(await statusWith(port, [`${name}:${port}`], path), 403, `${name}:p ${path}`);
      }
      for (
        const header of [
          `user@127.0.0.1:${port}`,
          `127.0.0.1:${port}@evil.example`,
          `127.0.0.1:${port}:${port}`,
          `127.0.0.1:x`,
          `127.0.0.1 evil.example`,
        ]
      ) {
        const status = await statusWith(port, [header], path);
        assert(status === 403 || status === 400, `${header} ${path}: ${status}`);
      }
      // No Host at all, an empty one, and two of them (one loopback, one not).
      assert([400, 403].includes(await statusWith(port, [], path)), `no Host ${path}`);
      assert([400, 403].includes(await statusWith(port, [""], path)), `empty Host ${path}`);
      const two = await statusWith(port, [`127.0.0.1:${port}`, "evil.example"], path);
      assert(two === 403 || two === 400, `two Hosts ${path}: ${two}`);
    }
    for (
      const name of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `LocalHost:${port}`,
        `127.5.6.7:${port}`,
        `[::1]:${port}`,
        "127.0.0.1",
      ]
    ) assertEquals(await statusWith(port, [name]), 200, name);
  });
});

Deno.test("bridge on every interface takes the machine's addresses and --allow-host names only", async () => {
  const lan = Deno.networkInterfaces().find((n) =>
    n.family === "IPv4" && !n.address.startsWith("127.")
  );
  await withBridge("0.0.0.0", async (port) => {
    assertEquals(await statusWith(port, [`desk.example:${port}`]), 200, "allowed by flag");
    assertEquals(await statusWith(port, [`127.0.0.1:${port}`]), 200, "loopback");
    if (lan) assertEquals(await statusWith(port, [`${lan.address}:${port}`]), 200, lan.address);
    assertEquals(await statusWith(port, [`evil.example:${port}`]), 403);
    assertEquals(await statusWith(port, [`127.0.0.1.evil.example:${port}`]), 403);
    assertEquals(await statusWith(port, [`desk.example.evil.example:${port}`]), 403);
  }, ["desk.example"]);
});
