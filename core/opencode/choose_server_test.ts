import { assert, assertEquals } from "../../tests/support/assert.ts";
import { samePath, serverDirectory } from "./choose_server.ts";

Deno.test("choose server reads the directory a found server works in", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) =>
      new URL(req.url).pathname === "/path"
        ? Response.json({ directory: "/somewhere/else", worktree: "/" })
        : new Response("no", { status: 404 }),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    assertEquals(await serverDirectory(url, {}), "/somewhere/else");
  } finally {
    await server.shutdown();
  }
});

Deno.test("choose server compares directories through symlinks and trailing slashes", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.symlink(dir, `${dir}-link`);
    assert(samePath(dir, `${dir}-link`), "a symlink names the same directory");
    assert(samePath(`${dir}/gone/`, `${dir}/gone`), "missing paths compare as written");
    assert(!samePath(dir, "/"), "another directory differs");
  } finally {
    await Deno.remove(`${dir}-link`);
    await Deno.remove(dir);
  }
});
