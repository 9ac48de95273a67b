import { assert, assertEquals } from "../../tests/support/assert.ts";
import type { OcMessageWithParts } from "../opencode/types.ts";
import { readPage, trimTranscript } from "./pages.ts";
import { createState, loadTranscript, reduce } from "./reducer.ts";
import { HELD_TRANSCRIPTS, Sessions } from "./sessions.ts";
import { ServerStatusKeeper } from "./server_status.ts";
import { FakeClient } from "./testdata/fake_client.ts";
import type { Event } from "./convert.ts";

/**
 * A session of `turns` turns: a user message, then 1 to 4 assistant steps (turn i has i % 4 + 1),
 * ids in time order as the server makes them.
 */
function session(turns: number): OcMessageWithParts[] {
  const out: OcMessageWithParts[] = [];
  let n = 0;
  for (let i = 0; i < turns; i++) {
    const user = `msg_${String(n++).padStart(5, "0")}`;
    out.push(message(user, "user", n));
    for (let s = 0; s <= i % 4; s++) {
      out.push(message(`msg_${String(n++).padStart(5, "0")}`, "assistant", n, user));
    }
  }
  return out;
}

function message(id: string, role: "user" | "assistant", created: number, parentID?: string) {
  return {
    info: { id, sessionID: "ses_1", role, parentID, time: { created } },
    parts: [{ id: `prt_${id}`, messageID: id, sessionID: "ses_1", type: "text", text: id }],
  } as OcMessageWithParts;
}

/** Answers like OpenCode 1.18: the newest `limit` before the cursor's message. */
function reader(all: OcMessageWithParts[], reads: number[] = []) {
  return (limit: number, before: string) => {
    reads.push(limit);
    const end = before
      ? all.findIndex((m) => m.info.id === JSON.parse(atob(before)).id)
      : all.length;
    const start = Math.max(0, end - limit);
    return Promise.resolve({ messages: all.slice(start, end), more: start > 0 });
  };
}

Deno.test("pages never cut a turn: every page starts at a user message", async () => {
  const all = session(60);
  let page = await readPage(reader(all), 7);
  const seen: string[] = [];
  for (let guard = 0; guard < 100; guard++) {
    assertEquals(page.messages[0].info.role, "user", "a page starts a turn");
    assert(page.messages.length <= 7, `a page stays a page: ${page.messages.length}`);
    seen.unshift(...page.messages.map((m) => m.info.id));
    if (!page.before) break;
    page = await readPage(reader(all), 7, page.before);
  }
  assertEquals(seen, all.map((m) => m.info.id), "every message once, in order");
});

Deno.test("pages read further back for a turn longer than a page, and only then", async () => {
  const all = session(3);
  // One turn of 30 steps at the end.
  const user = "msg_90000";
  const long = [message(user, "user", 900)];
  for (let i = 1; i <= 30; i++) {
    long.push(message(`msg_9${String(i).padStart(4, "0")}`, "assistant", 900 + i, user));
  }
  const reads: number[] = [];
  const page = await readPage(reader([...all, ...long], reads), 8);
  assertEquals(page.messages.map((m) => m.info.id), long.map((m) => m.info.id));
  assert(page.before !== "", "older turns remain");
  assert(reads.length <= 4, `reads: ${reads}`);
});

Deno.test("pages read back to a message asked for, in one request", async () => {
  const all = session(40);
  const first = await readPage(reader(all), 10);
  const target = all[5].info.id;
  const page = await readPage(reader(all), 10, first.before, target);
  assert(page.messages[0].info.id <= target, "the page reaches the message");
  assertEquals(page.messages[0].info.role, "user");
  assertEquals(
    [...page.messages, ...first.messages].map((m) => m.info.id),
    all.slice(all.findIndex((m) => m.info.id === page.messages[0].info.id)).map((m) => m.info.id),
  );
});

Deno.test("pages: the first page of a short session says there is nothing older", async () => {
  const all = session(3);
  const page = await readPage(reader(all), 40);
  assertEquals(page.messages.length, all.length);
  assertEquals(page.before, "");
});

Deno.test("pages trim a kept transcript to its newest whole turns, and pass on older changes", () => {
  const all = session(100);
  const state = createState();
  const t = loadTranscript(state, "ses_1", all);
  const dropped = trimTranscript(t, 120);
  assert(dropped > 0, "trimmed");
  const kept = [...t.messages.values()].map((e) => e.info).sort((a, b) => a.id! < b.id! ? -1 : 1);
  assertEquals(kept[0].role, 1, "the kept window starts at a user message");
  assertEquals(kept.at(-1)!.id, all.at(-1)!.info.id, "the newest message stays");
  assert(kept.length <= 45, `kept ${kept.length}`);
  assertEquals(t.floor, kept[0].id);
  assertEquals(JSON.parse(atob(t.before)).id, kept[0].id);
  // A change to a message the core let go of still reaches the windows, and is not kept.
  const old = all[3];
  const changes = reduce(state, {
    type: "message.part.updated",
    properties: { sessionID: "ses_1", part: { ...old.parts[0], text: "edited" } },
  });
  assertEquals(changes.map((c) => c.partUpdated?.text), ["edited"]);
  assertEquals(t.messages.has(old.info.id), false);
});

Deno.test("sessions evict the least recently used transcript, never one a window shows", async () => {
  const client = new FakeClient();
  const ids = Array.from({ length: HELD_TRANSCRIPTS + 2 }, (_, i) => client.add(`s${i}`).id);
  const events: Event[] = [];
  const sessions = new Sessions({
    client,
    status: new ServerStatusKeeper({ url: "", version: "", owned: false }, () => {}),
    directory: "/project",
    onChanges: (c) => events.push(...c),
    flush: () => {},
    onCatalog: () => {},
    onDirectory: () => {},
    isShown: (id) => id === ids[0],
  });
  for (const id of ids) await sessions.openSession(id);
  const evicted = events.flatMap((e) => e.transcriptEvicted ? [e.transcriptEvicted] : []);
  assertEquals(evicted, [ids[1], ids[2]], "the oldest not shown go first");
  assertEquals(sessions.state.transcripts.size, HELD_TRANSCRIPTS);
  assert(sessions.state.transcripts.has(ids[0]), "the shown one stays");
  await sessions.close();
});
