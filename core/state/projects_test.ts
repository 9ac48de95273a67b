import { assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { OpencodeClient, type RequestOptions } from "../opencode/client.ts";
import { addRecentProject, projectList, Projects } from "./projects.ts";
import type { Push } from "./push.ts";
import { Sessions } from "./sessions.ts";
import { ServerStatusKeeper } from "./server_status.ts";
import { Workspace } from "./workspace.ts";
import { listDirectory } from "./folders.ts";
import { FakeClient } from "./testdata/fake_client.ts";

Deno.test("projectList names each directory once: current, startup, the server's, recent", () => {
  const list = projectList(
    "/w/b",
    "/w/a",
    [
      { id: "global", worktree: "/" },
      { id: "p1", worktree: "/w/repo/", name: "Repo" },
      { id: "p2", worktree: "/w/a" },
    ],
    ["/w/c", "/w/b"],
    new Set(["/w/a", "/w/b"]),
  );
  assertEquals(list, [
    { directory: "/w/b", name: "b", startup: false, open: true },
    { directory: "/w/a", name: "a", startup: true, open: true },
    { directory: "/w/repo", name: "Repo", startup: false, open: false },
    { directory: "/w/c", name: "c", startup: false, open: false },
  ]);
});

Deno.test("addRecentProject moves a directory to the front, once, and keeps twelve", () => {
  const many = Array.from({ length: 12 }, (_, i) => `/d${i}`);
  assertEquals(addRecentProject(["/a", "/b"], "/b"), ["/b", "/a"]);
  assertEquals(addRecentProject(many, "/new").length, 12);
  assertEquals(addRecentProject(many, "/new")[0], "/new");
});

Deno.test("OpencodeClient.at sends a call to another directory through the same request", async () => {
  const seen: string[] = [];
  class Recording extends OpencodeClient {
    override request<T>(method: string, path: string, _b?: unknown, o: RequestOptions = {}) {
      seen.push(`${method} ${path} ${o.directory ?? "-"}`);
      return Promise.resolve([] as T);
    }
  }
  const client = new Recording("http://x.invalid");
  client.directory = "/a";
  await client.at("/b").abort("ses_1");
  await client.at("/b").messagesPage("ses_1", 10);
  await client.at("/a").listSessions();
  await client.at("").listSessions();
  assertEquals(seen, [
    "POST /session/ses_1/abort /b",
    "GET /session/ses_1/message /b",
    "GET /session -",
    "GET /session -",
  ]);
  assertEquals(client.at("/b").url("/session"), "http://x.invalid/session?directory=%2Fb");
});

/** The fake server, with no pending permission or question in any directory. */
class Fake extends FakeClient {
  override request<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (path === "/permission" || path === "/question") return Promise.resolve([] as T);
    if (path === "/project") {
      return Promise.resolve([{ id: "p1", worktree: "/srv/repo", name: "Repo" }] as T);
    }
    return super.request(method, path, body);
  }
}

function setup() {
  const client = new Fake();
  const pushes: Push[] = [];
  const sessions = new Sessions({
    client,
    status: new ServerStatusKeeper({ url: "", version: "", owned: false }, () => {}),
    directory: "/project",
    onChanges: () => {},
    flush: () => {},
    onCatalog: () => {},
    onDirectory: () => {},
  });
  const workspace = new Workspace({ emit: (p) => pushes.push(p) });
  workspace.load("/project");
  const dirs = new Set(["/project", "/other"]);
  const projects = new Projects({
    sessions,
    workspace,
    emit: (p) => pushes.push(p),
    isDirectory: (d) => Promise.resolve(dirs.has(d)),
  });
  return { client, sessions, workspace, projects, pushes };
}

Deno.test("Projects shows a directory in one window only and keeps it among the recent", async () => {
  const { projects, workspace, client } = setup();
  projects.attach(1);
  projects.attach(2);
  const view = await projects.show(1, "/other/");
  assertEquals(view.current, "/other");
  assertEquals(projects.shown(2), "/project", "the other window keeps its project");
  assertEquals(workspace.settings.recentProjects, ["/other"]);
  assertEquals(client.calls.includes("GET /session"), true, "its sessions were read");
});

Deno.test("Projects refuses a relative path and what is not a directory, in a sentence", async () => {
  const { projects } = setup();
  await assertRejects(
    () => projects.show(1, "other"),
    TypeError,
    "Cannot open other: give an absolute path",
  );
  await assertRejects(
    () => projects.show(1, "/nope"),
    TypeError,
    "Cannot open /nope: it is not a directory",
  );
  assertEquals(projects.shown(1), "/project");
});

Deno.test("Projects: a window showing a tab of another project shows that project", () => {
  const { projects, workspace, pushes } = setup();
  workspace.attach(1, "");
  projects.attach(1);
  workspace.openTab(1, "ses_b", -1, {
    agent: "",
    providerId: "",
    modelId: "",
    variant: "",
    directory: "/other",
  });
  projects.followTab(1, "ses_b");
  assertEquals(projects.shown(1), "/other");
  assertEquals(pushes.some((p) => "projects" in p && p.client === 1), true);
});

Deno.test("listDirectory lists sub-directories only, and refuses a file in a sentence", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/b`);
    await Deno.mkdir(`${dir}/a`);
    await Deno.mkdir(`${dir}/.hidden`);
    await Deno.writeTextFile(`${dir}/file.txt`, "secret");
    const l = await listDirectory(`${dir}/`, "/home/me");
    assertEquals(l.path, dir);
    assertEquals(l.directories, ["a", "b"]);
    assertEquals(l.parent, dir.slice(0, dir.lastIndexOf("/")) || "/");
    await assertRejects(
      () => listDirectory(`${dir}/file.txt`, ""),
      TypeError,
      `Cannot list ${dir}/file.txt: it is not a directory`,
    );
    await assertRejects(
      () => listDirectory(`${dir}/missing`, ""),
      TypeError,
      "it does not exist",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Projects tells every window when the server's projects change, once", async () => {
  const { projects, pushes } = setup();
  projects.attach(1);
  projects.attach(2);
  await projects.refreshServer();
  await projects.refreshServer();
  const told = pushes.filter((p) => "projects" in p);
  assertEquals(told.map((p) => p.client), [1, 2]);
  const view = projects.view(1);
  assertEquals(view.projects?.map((p) => p.name), ["project", "Repo"]);
});
