/**
 * An OpenCode client for unit tests: the HTTP calls the state classes make answered from memory,
 * like a small OpenCode server with sessions and nothing else. Records every call.
 */
import { OpencodeClient, OpencodeError } from "../../opencode/client.ts";
import type { OcSession } from "../../opencode/types.ts";

export class FakeClient extends OpencodeClient {
  readonly sessions = new Map<string, OcSession>();
  readonly calls: string[] = [];
  #next = 0;

  constructor() {
    super("http://fake.invalid");
  }

  /** A session the server has, as if made by another client. */
  add(title: string): OcSession {
    const id = `ses_${String(++this.#next).padStart(4, "0")}`;
    const s: OcSession = {
      id,
      title,
      directory: "/project",
      time: { created: this.#next, updated: this.#next },
    } as OcSession;
    this.sessions.set(id, s);
    return s;
  }

  override request<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.calls.push(`${method} ${path}`);
    const answer = (v: unknown) => Promise.resolve(v as T);
    const id = decodeURIComponent(path.split("/")[2] ?? "");
    if (method === "POST" && path === "/session") {
      return answer(this.add((body as { title?: string }).title ?? "New session - 1"));
    }
    if (path === "/session/status") return answer({});
    if (method === "GET" && path === "/session") return answer([...this.sessions.values()]);
    const session = this.sessions.get(id);
    if (path.startsWith("/session/") && !session) {
      return Promise.reject(new OpencodeError(`Cannot ${method} ${path}: not found`, 404));
    }
    if (method === "GET" && path === `/session/${id}`) return answer(session);
    if (method === "GET" && path.endsWith("/message")) return answer([]);
    if (method === "POST" && path.endsWith("/prompt_async")) return answer(undefined);
    if (method === "PATCH") {
      const renamed = { ...session!, title: (body as { title: string }).title };
      this.sessions.set(id, renamed);
      return answer(renamed);
    }
    if (method === "DELETE") return answer(this.sessions.delete(id));
    return Promise.reject(new OpencodeError(`Cannot ${method} ${path}: not in the fake`, 501));
  }
}
