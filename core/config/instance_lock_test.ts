import { assert, assertEquals } from "../../tests/support/assert.ts";
import { runInReadOnly } from "../../tests/support/read_only.ts";
import { claimInstance, lockPath, parseLock } from "./instance_lock.ts";

Deno.test("instance lock reads only a well-formed lock file", () => {
  assertEquals(parseLock(`{"pid":12,"url":"http://127.0.0.1:5/#token=x","startedAt":3}`), {
    pid: 12,
    url: "http://127.0.0.1:5/#token=x",
    startedAt: 3,
  });
  assertEquals(parseLock(""), null);
  assertEquals(parseLock(`{"pid":"12"}`), null);
});

Deno.test("instance lock hands over to a live instance and takes over a dead one's lock", async () => {
  const dir = await Deno.makeTempDir();
  const state = `${dir}/state.json`;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("ok"),
  );
  try {
    // A live process (a sleeping child) whose app answers: hand over.
    const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const url = `http://127.0.0.1:${server.addr.port}/#token=abc`;
    await Deno.writeTextFile(lockPath(state), JSON.stringify({ pid: child.pid, url }));
    const running = await claimInstance(state);
    assertEquals(running.kind === "running" && running.info.url, url);
    child.kill();
    await child.status;
    // Its process gone: the lock is stale and taken over, with this process's pid.
    const claimed = await claimInstance(state);
    assert(claimed.kind === "claimed", "the stale lock was taken over");
    assertEquals(parseLock(await Deno.readTextFile(lockPath(state)))?.pid, Deno.pid);
    await claimed.lock.announce("http://127.0.0.1:1/#token=t");
    assertEquals(
      parseLock(await Deno.readTextFile(lockPath(state)))?.url,
      "http://127.0.0.1:1/#token=t",
    );
    claimed.lock.release();
    assertEquals(await Deno.stat(lockPath(state)).then(() => true, () => false), false);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "instance lock in a directory that takes no writes says so instead of failing the start",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      if (Deno.uid() === 0) {
        // Root writes through mode bits: a read-only mount is what stops it.
        const script = new URL("./testdata/claim_lock.ts", import.meta.url).pathname;
        const out = await runInReadOnly(dir, script, [`${dir}/state.json`]);
        assertEquals(out.code, 0, out.stderr);
        assertEquals(out.stdout.trim(), "unlockable");
      } else {
        await Deno.chmod(dir, 0o500);
        const claim = await claimInstance(`${dir}/state.json`);
        assertEquals(claim.kind, "unlockable");
      }
    } finally {
      await Deno.chmod(dir, 0o700);
      await Deno.remove(dir, { recursive: true });
    }
  },
);
