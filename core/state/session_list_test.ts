import { assert, assertEquals, assertRejects } from "../../tests/support/assert.ts";
import type { SessionQuery } from "../opencode/client.ts";
import type { OcSession } from "../opencode/types.ts";
import { type Event, toSession } from "./convert.ts";
import { ServerStatusKeeper } from "./server_status.ts";
import { Sessions } from "./sessions.ts";
import { FakeClient } from "./testdata/fake_client.ts";
import { FIRST_PAGE, goneFrom, PAGE_GROWTH, pageState, SessionList } from "./session_list.ts";

/** A server's list of `n` root sessions, updated 1..n ms, answered as OpenCode filters it. */
function server(n: number) {
  const all: OcSession[] = Array.from({ length: n }, (_, i) => ({
    id: `ses_${String(i + 1).padStart(4, "0")}`,
    title: `Session ${i + 1}`,
    time: { created: i + 1, updated: i + 1 },
  }));
  const asked: SessionQuery[] = [];
  const read = (q: SessionQuery) => {
    asked.push(q);
    let out = [...all].sort((a, b) => b.time!.updated! - a.time!.updated!);
    if (q.roots) out = out.filter((s) => !s.parentID);
    if (q.start) out = out.filter((s) => s.time!.updated! >= q.start!);
    if (q.search) out = out.filter((s) => s.title!.toLowerCase().includes(q.search!.toLowerCase()));
    return Promise.resolve(q.limit ? out.slice(0, q.limit) : out);
  };
  return { all, asked, read };
}

Deno.test("session list reads a first page of root sessions, then longer ones to the end", async () => {
  const s = server(1000);
  const list = new SessionList(s.read);
  const first = await list.first();
  assertEquals(first.length, FIRST_PAGE);
  assertEquals(first[0].title, "Session 1000");
  assertEquals(list.state, { until: 1000 - FIRST_PAGE + 1, more: true });
  assertEquals(s.asked[0], { roots: true, limit: FIRST_PAGE });
  const second = await list.more();
  assertEquals(second.length, FIRST_PAGE * PAGE_GROWTH);
  assertEquals((await list.more()).length, FIRST_PAGE * PAGE_GROWTH ** 2);
  assertEquals(list.state.more, true);
  assertEquals((await list.more()).length, 1000);
  assertEquals(list.state, { until: 0, more: false });
  assertEquals(await list.more(), [], "nothing more to read once the whole list is held");
});

Deno.test("session list shares one read between callers asking for more at once", async () => {
  const s = server(300);
  const list = new SessionList(s.read);
  await list.first();
  const [a, b] = await Promise.all([list.more(), list.more()]);
  assertEquals(a, b);
  assertEquals(s.asked.filter((q) => q.roots).length, 2, "one page read at start, one more");
});

Deno.test("session list re-reads only the range the windows hold after a reconnect", async () => {
  const s = server(200);
  const list = new SessionList(s.read);
  const first = await list.first();
  const known = first.map((x) => toSession(x));
  // Meanwhile: one in the range deleted, one new, one old one updated.
  s.all.splice(s.all.findIndex((x) => x.id === "ses_0190"), 1);
  s.all.push({ id: "ses_0201", title: "New", time: { created: 201, updated: 201 } });
  s.all[4].time = { created: 5, updated: 202 };
  const again = await list.reread();
  assertEquals(s.asked.at(-1), { roots: true, start: list.state.until, limit: 250 });
  assertEquals(again.map((x) => x.id).slice(0, 2), ["ses_0005", "ses_0201"]);
  assertEquals(goneFrom(known, again, list.state.until), ["ses_0190"]);
});

Deno.test("session list counts a deleted root's subagent sessions as gone, not older ones", () => {
  const known = [
    toSession({ id: "ses_a", time: { updated: 10 } }),
    toSession({ id: "ses_a1", parentID: "ses_a", time: { updated: 9 } }),
    toSession({ id: "ses_old", time: { updated: 1 } }), // a tab's session, older than the range
  ];
  assertEquals(goneFrom(known, [], 5), ["ses_a", "ses_a1"]);
});

Deno.test("session list page state: a short page is the whole list", () => {
  assertEquals(pageState([{ id: "a", time: { updated: 3 } }], 50), { until: 0, more: false });
  assertEquals(
    pageState([{ id: "a", time: { updated: 3 } }, { id: "b", time: { updated: 2 } }], 2),
    { until: 2, more: true },
  );
});

Deno.test("session list searches the server's titles and refuses an empty search", async () => {
  const s = server(120);
  const list = new SessionList(s.read);
  const found = await list.search("  session 7 ");
  assertEquals(found.sessions.map((x) => x.title), [
    "Session 79",
    "Session 78",
    "Session 77",
    "Session 76",
    "Session 75",
    "Session 74",
    "Session 73",
    "Session 72",
    "Session 71",
    "Session 70",
    "Session 7",
  ]);
  assertEquals(found.more, false);
  assertEquals((await list.search("session")).more, true);
  await assertRejects(() => list.search("  "), TypeError, "Cannot search sessions");
  await assertRejects(() => list.search("x".repeat(300)), RangeError, "Cannot search sessions");
});

/** A FakeClient whose `GET /session` filters and pages as OpenCode does. */
class PagingClient extends FakeClient {
  override listSessions(q: SessionQuery = {}): Promise<OcSession[]> {
    this.calls.push(`GET /session ${JSON.stringify(q)}`);
    let out = [...this.sessions.values()].sort((a, b) => b.time!.updated! - a.time!.updated!);
    if (q.roots) out = out.filter((s) => !s.parentID);
    if (q.start) out = out.filter((s) => s.time!.updated! >= q.start!);
    return Promise.resolve(out.slice(0, q.limit ?? 100));
  }
}

Deno.test("sessions hold the first page and a tab's older session; more reads further back", async () => {
  const client = new PagingClient();
  const ids = Array.from({ length: 120 }, (_, i) => client.add(`s${i}`).id);
  const child = client.add("a subagent's task");
  child.parentID = ids[119];
  const events: Event[] = [];
  const sessions = new Sessions({
    client,
    status: new ServerStatusKeeper({ url: "", version: "", owned: false }, () => {}),
    directory: "/project",
    onChanges: (c) => events.push(...c),
    flush: () => {},
    onCatalog: () => {},
    onDirectory: () => {},
    wanted: () => [ids[0]], // the oldest is open in a tab
  });
  await sessions.refreshSessions();
  assertEquals(sessions.sessions().length, FIRST_PAGE + 2);
  assert(sessions.session(ids[0]), "the tab's session is read by id");
  assert(sessions.session(child.id), "a subagent session of the page comes with it");
  assertEquals(events.at(-1)?.sessionList, {
    until: 120 - FIRST_PAGE + 1,
    more: true,
    directory: "/project",
  });
  await sessions.loadMoreSessions();
  assertEquals(sessions.sessions().length, 121);
  assertEquals(events.at(-1)?.sessionList, { until: 0, more: false, directory: "/project" });
  // A reconnect re-reads the held range: a session deleted meanwhile goes.
  client.sessions.delete(ids[60]);
  await sessions.refreshSessions();
  assertEquals(sessions.sessions().length, 120);
  assertEquals(sessions.session(ids[60]), undefined);
  await sessions.close();
});
