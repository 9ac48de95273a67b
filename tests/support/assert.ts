/**
 * Minimal assertions (JSR's @std/assert is out of reach here). Failures name the first path that
 * differs, so a long transcript comparison reads as one line.
 */

export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

export function assert(cond: unknown, message = "Assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(message);
}

function show(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : (() => {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  })() ?? String(v);
  return s.length > 400 ? s.slice(0, 400) + "…" : s;
}

/** Returns the first path where a and b differ, or null when they are deeply equal. */
export function firstDifference(a: unknown, b: unknown, path = "$"): string | null {
  if (Object.is(a, b)) return null;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return `${path}: ${a.length} bytes vs ${b.length} bytes`;
    const i = a.findIndex((x, k) => x !== b[k]);
    return i === -1 ? null : `${path}[${i}]: ${a[i]} vs ${b[i]}`;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return `${path}: ${show(a)} vs ${show(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs non-array`;
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    return `${path}: length ${a.length} vs ${b.length}: ${show(a)} vs ${show(b)}`;
  }
  if (a instanceof Map && b instanceof Map) {
    return firstDifference([...a.entries()], [...b.entries()], path);
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  for (const k of new Set([...ka, ...kb])) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d) return d;
  }
  return null;
}

export function assertEquals(actual: unknown, expected: unknown, message = ""): void {
  const d = firstDifference(actual, expected);
  if (d) throw new AssertionError(`${message ? message + ": " : ""}values differ at ${d}`);
}

export function assertNotEquals(actual: unknown, expected: unknown, message = ""): void {
  if (!firstDifference(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected a difference`);
  }
}

export function assertMatch(actual: string, re: RegExp, message = ""): void {
  if (!re.test(actual)) {
    throw new AssertionError(
      `${message ? message + ": " : ""}${show(actual)} does not match ${re}`,
    );
  }
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  ErrorClass?: new (...args: never[]) => Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    if (ErrorClass && !(err instanceof ErrorClass)) {
      throw new AssertionError(`expected ${ErrorClass.name}, got ${String(err)}`);
    }
    if (includes && !String((err as Error)?.message).includes(includes)) {
      throw new AssertionError(`expected message to include ${show(includes)}, got ${String(err)}`);
    }
    return err as Error;
  }
  throw new AssertionError("expected the promise to reject");
}

export function assertThrows(
  fn: () => unknown,
  ErrorClass?: new (...args: never[]) => Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (err) {
    if (ErrorClass && !(err instanceof ErrorClass)) {
      throw new AssertionError(`expected ${ErrorClass.name}, got ${String(err)}`);
    }
    if (includes && !String((err as Error)?.message).includes(includes)) {
      throw new AssertionError(`expected message to include ${show(includes)}, got ${String(err)}`);
    }
    return err as Error;
  }
  throw new AssertionError("expected the function to throw");
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new AssertionError(
    `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`,
  );
}
