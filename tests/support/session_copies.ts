/**
 * Long sessions made fast: a session built through the real server (long_session.ts) is
 * `opencode export`ed once, and copies of it with its turns repeated are `opencode import`ed
 * under fresh, time-ordered ids, into the storage the running server reads. What the server
 * stores is what it wrote itself for the base session; only ids, times and turn numbers differ.
 *
 * The builder's prompts read "Turn N: …"; each repetition numbers its turns on, so a copy's turns
 * are numbered 0, 1, 2, … like a session built turn by turn ("Turn 0:" is only in the first).
 * @module
 */
import { DEFAULT_OPENCODE_BIN, type OpencodeServer } from "./opencode_server.ts";
import { describeSession, type LongSession } from "./long_session.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const RAND = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const rand = (n: number) => Array.from({ length: n }, () => RAND[Math.random() * 62 | 0]).join("");

/**
 * Runs the `opencode` CLI on the server's project and storage, its output going to file `to`
 * (through a pipe it loses what passes 64 KiB when the reader lags: it exits before flushing).
 */
async function opencode(oc: OpencodeServer, args: string[], to = "/dev/null"): Promise<void> {
  const bin = Deno.env.get("OPENCODE_BIN") ?? DEFAULT_OPENCODE_BIN;
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", 'out="$1"; shift; exec "$@" > "$out"', "sh", to, bin, ...args],
    cwd: oc.dir,
    env: oc.env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Cannot run opencode ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Copies of one exported session; see the module comment. */
export class SessionCopies {
  #oc: OpencodeServer;
  #exported: Json;
  /** The turns of the base session (its user messages). */
  #turns: number;
  /** Times of the copies' messages: from 30 days ago on, 5 ms apart. */
  #clock = Date.now() - 30 * 86_400_000;
  #counter = 0;

  private constructor(oc: OpencodeServer, exported: Json) {
    this.#oc = oc;
    this.#exported = exported;
    this.#turns = exported.messages.filter((m: Json) => m.info.role === "user").length;
  }

  /** Exports session `sessionId` of the server `oc` (it must be idle). */
  static async of(oc: OpencodeServer, sessionId: string): Promise<SessionCopies> {
    const file = `${oc.sandbox}/export-${sessionId}.json`;
    await opencode(oc, ["export", sessionId], file);
    const exported = JSON.parse(await Deno.readTextFile(file));
    await Deno.remove(file);
    return new SessionCopies(oc, exported);
  }

  /** An OpenCode-style id: 12 hex digits of time and counter, then 14 random characters. */
  #newId(prefix: string): string {
    const n = this.#clock * 0x1000 + (this.#counter++ % 0x1000);
    return `${prefix}_${n.toString(16).padStart(12, "0")}${rand(14)}`;
  }

  /**
   * Imports a copy of the session with its turns repeated until it holds at least `messages`
   * messages (whole turns); returns it as the server stores it.
   */
  async copy(messages: number, title: string): Promise<LongSession> {
    const t0 = performance.now();
    const base = this.#exported;
    const sessionId = `ses_${base.info.id.slice(4, 16)}${rand(14)}`;
    const out: Json[] = [];
    let turns = 0;
    for (let round = 0; out.length < messages; round++) {
      const ids = new Map<string, string>();
      for (const m of base.messages) {
        if (out.length >= messages && m.info.role === "user") break;
        if (m.info.role === "user") turns++;
        this.#clock += 5;
        const id = this.#newId("msg");
        ids.set(m.info.id, id);
        const info = {
          ...m.info,
          id,
          sessionID: sessionId,
          time: {
            ...m.info.time,
            created: this.#clock,
            ...(m.info.time?.completed ? { completed: this.#clock + 2 } : {}),
          },
        };
        if (info.parentID) info.parentID = ids.get(info.parentID) ?? info.parentID;
        const parts = m.parts.map((p: Json) => {
          const part = { ...p, id: this.#newId("prt"), messageID: id, sessionID: sessionId };
          if (part.type === "text" && m.info.role === "user" && round > 0) {
            part.text = part.text.replace(
              /^Turn (\d+):/,
              (_: string, n: string) => `Turn ${Number(n) + round * this.#turns}:`,
            );
          }
          return part;
        });
        out.push({ info, parts });
      }
    }
    const file = `${this.#oc.sandbox}/import-${sessionId}.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ info: { ...base.info, id: sessionId, title }, messages: out }),
    );
    await opencode(this.#oc, ["import", file]);
    await Deno.remove(file);
    return await describeSession(this.#oc, sessionId, turns, t0);
  }
}
