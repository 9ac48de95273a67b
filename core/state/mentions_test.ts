import { assert, assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { MentionError, resolveMention } from "./mentions.ts";

/** A project with src/a.ts, a secret next to it, and symlinks in and out. */
async function project() {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "mentions-" }));
  const dir = `${root}/project`;
  await Deno.mkdir(`${dir}/src`, { recursive: true });
  await Deno.writeTextFile(`${dir}/src/a.ts`, "export const a = 1;\n");
  await Deno.writeTextFile(`${root}/secret.txt`, "outside\n");
  await Deno.symlink(`${root}/secret.txt`, `${dir}/leak.txt`);
  await Deno.symlink(root, `${dir}/up`);
  await Deno.symlink(`${dir}/src/a.ts`, `${dir}/alias.ts`);
  return { root, dir, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("resolveMention turns a project file into a file:// URL of that file", async () => {
  await using p = await project();
  const f = await resolveMention(p.dir, "src/a.ts");
  assertEquals(f.filename, "src/a.ts");
  assertEquals(f.url, new URL(`file://${p.dir}/src/a.ts`).href);
  assertEquals(f.mime, "text/plain");
  assertEquals((await resolveMention(p.dir, "./src/../src/a.ts")).filename, "src/a.ts");
});

Deno.test("resolveMention follows a symlink that stays inside the project", async () => {
  await using p = await project();
  assertEquals((await resolveMention(p.dir, "alias.ts")).filename, "src/a.ts");
});

Deno.test("resolveMention refuses ../ out of the project", async () => {
  await using p = await project();
  const err = await assertRejects(() => resolveMention(p.dir, "../secret.txt"), MentionError);
  assert(err.message.startsWith("Cannot mention ../secret.txt: it is outside the project"));
  await assertRejects(() => resolveMention(p.dir, "src/../../secret.txt"), MentionError);
  await assertRejects(() => resolveMention(p.dir, ".."), MentionError);
});

Deno.test("resolveMention refuses absolute paths, even inside the project", async () => {
  await using p = await project();
  await assertRejects(() => resolveMention(p.dir, `${p.root}/secret.txt`), MentionError);
  await assertRejects(() => resolveMention(p.dir, `${p.dir}/src/a.ts`), MentionError);
  await assertRejects(() => resolveMention(p.dir, "/etc/passwd"), MentionError);
  await assertRejects(() => resolveMention(p.dir, "C:\\Windows\\win.ini"), MentionError);
});

Deno.test("resolveMention refuses symlinks that lead out of the project", async () => {
  await using p = await project();
  const err = await assertRejects(() => resolveMention(p.dir, "leak.txt"), MentionError);
  assert(err.message.endsWith("it leads outside the project"), err.message);
  await assertRejects(() => resolveMention(p.dir, "up/secret.txt"), MentionError);
});

Deno.test("resolveMention refuses what is not a file of the project", async () => {
  await using p = await project();
  await assertRejects(() => resolveMention(p.dir, "src"), MentionError);
  await assertRejects(() => resolveMention(p.dir, "missing.ts"), MentionError);
  await assertRejects(() => resolveMention(p.dir, ""), MentionError);
  await assertRejects(() => resolveMention("", "src/a.ts"), MentionError);
});
