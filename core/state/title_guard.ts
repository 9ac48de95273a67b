/**
 * A rename made while the server's title generator was still running (the session had its default
 * "New session - …" title) can be overwritten by the generated title moments later. The guard
 * remembers such a rename for a minute and says, once, which title to put back; any later change
 * (the TUI, the HTTP API, another person) is a real rename and stands.
 */
const GUARD_MS = 60_000;
const DEFAULT_TITLE = /^New session - /;

export class TitleGuard {
  #chosen = new Map<string, { title: string; until: number }>();

  /** The person renamed `sessionId` from `before` to `title`. */
  renamed(sessionId: string, before: string, title: string, now = Date.now()): void {
    if (DEFAULT_TITLE.test(before)) this.#chosen.set(sessionId, { title, until: now + GUARD_MS });
  }

  /** The session's title changed to `current`: the title to restore, or null to let it stand. */
  check(sessionId: string, current: string | null | undefined, now = Date.now()): string | null {
    const guard = this.#chosen.get(sessionId);
    if (!guard || current == null || current === guard.title) return null;
    this.#chosen.delete(sessionId);
    return now > guard.until ? null : guard.title;
  }

  forget(sessionId: string): void {
    this.#chosen.delete(sessionId);
  }
}
