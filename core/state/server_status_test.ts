import { assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import { ServerStatusKeeper } from "./server_status.ts";

const Conn = ipc.ConnectionState;
const Note = ipc.ServerNote;

Deno.test("server status: retries become DOWN after three attempts; connecting clears the cause", () => {
  const seen: ipc.ServerStatus.$Properties[] = [];
  const k = new ServerStatusKeeper({ url: "http://x", owned: true }, (s) => seen.push(s));
  k.stream("reconnecting", "connection refused", 1);
  assertEquals([k.value.state, k.value.detail], [
    Conn.CONNECTION_STATE_RECONNECTING,
    "connection refused",
  ]);
  k.stream("reconnecting", "connection refused", 4);
  assertEquals(k.value.state, Conn.CONNECTION_STATE_DOWN);
  k.stream("connected", "", 0);
  assertEquals([k.value.state, k.value.detail, k.value.attempt], [
    Conn.CONNECTION_STATE_CONNECTED,
    "",
    0,
  ]);
  assertEquals(seen.length, 3, "each change is pushed");
});

Deno.test("server status: supervisor facts stay as a note with their fields", () => {
  const k = new ServerStatusKeeper({ url: "http://x", owned: true }, () => {});
  k.supervisor({ kind: "restarting", exitCode: 137 });
  assertEquals([k.value.note, k.value.exitCode], [Note.SERVER_NOTE_RESTARTING, 137]);
  k.supervisor({ kind: "restarted", restarts: 2, url: "http://x" });
  k.stream("connected", "", 0);
  assertEquals([k.value.note, k.value.restarts], [Note.SERVER_NOTE_RESTARTED, 2]);
});

Deno.test("server status: an incompatible server's reason outlives retries, and goes on connect", () => {
  const k = new ServerStatusKeeper({ url: "http://x", owned: false }, () => {});
  k.incompatible("it is OpenCode 2.3.2; this version of the app speaks the OpenCode 1.x API");
  k.stream("reconnecting", "HTTP 404", 2);
  assertEquals(k.value.note, Note.SERVER_NOTE_INCOMPATIBLE);
  assertEquals(
    k.value.detail,
    "it is OpenCode 2.3.2; this version of the app speaks the OpenCode 1.x API",
  );
  k.stream("connected", "", 0);
  assertEquals([k.value.note, k.value.detail], [Note.SERVER_NOTE_NONE, ""]);
});
