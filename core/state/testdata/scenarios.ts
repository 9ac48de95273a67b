/**
 * Test support: the OpenCode event streams captured by tests/capture_scenarios.ts (`deno task
 * capture`), beside this file. `<name>.sse` holds the raw `GET /event` bytes of one scenario,
 * `<name>.json` the transcripts the server stored at its end.
 */
import { readEvents } from "../../opencode/events.ts";
import type { OcEvent, OcMessageWithParts } from "../../opencode/types.ts";

const DIR = new URL("./", import.meta.url);

/** What the capture read back from the server at the end of a scenario. */
export interface Stored {
  /** What the scenario does, in a sentence. */
  about: string;
  /** The opencode version it was captured from. */
  opencode: string;
  /** The transcript of each session of the scenario, as `GET /session/:id/message` gave it. */
  sessions: Record<string, OcMessageWithParts[]>;
}

/** The names of the captured scenarios, sorted. */
export function scenarioNames(): string[] {
  return [...Deno.readDirSync(DIR)]
    .map((e) => e.name)
    .filter((n) => n.endsWith(".sse"))
    .map((n) => n.slice(0, -4))
    .sort();
}

/** Feeds bytes in chunks of pseudo-random sizes, splitting multi-byte UTF-8 characters too. */
function chunked(bytes: Uint8Array, seed: number): ReadableStream<Uint8Array> {
  let i = 0;
  let x = seed;
  return new ReadableStream({
    pull(c) {
      if (i >= bytes.length) return c.close();
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const n = 1 + (x % 97);
      c.enqueue(bytes.subarray(i, i + n));
      i += n;
    },
  });
}

/** The events of a scenario, decoded by the app's own SSE reader from chunks cut by `seed`. */
export async function scenarioEvents(name: string, seed = 7): Promise<OcEvent[]> {
  const bytes = await Deno.readFile(new URL(`${name}.sse`, DIR));
  const out: OcEvent[] = [];
  for await (const e of readEvents(chunked(bytes, seed))) out.push(e);
  return out;
}

/** What the server stored at the end of a scenario. */
export async function storedTranscripts(name: string): Promise<Stored> {
  return JSON.parse(await Deno.readTextFile(new URL(`${name}.json`, DIR)));
}
