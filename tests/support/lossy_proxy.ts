/**
 * A proxy in front of an OpenCode server that can drop events from its `/global/event` stream
 * (never `server.connected` nor the heartbeats): what OpenCode 1.18.33 does by itself for a moment after each
 * connect (docs/opencode-api.md §5.1), made long and on demand so a test can rely on it.
 * Everything else is passed on as it is; the paths asked for are logged.
 */
export interface LossyProxy {
  url: string;
  /** While on, events of the stream are dropped. */
  drop(on: boolean): void;
  /** How many events were dropped so far. */
  dropped(): number;
  /** Method and path (with query) of each request so far, in order. */
  requests(): string[];
  /** How many requests wait for `release()` (see the `hold` option). */
  held(): number;
  /** Lets the held requests through, and every later one. */
  release(): void;
  close(): Promise<void>;
}

export function startLossyProxy(
  target: string,
  opts: {
    dropping?: boolean;
    /** Requests (method, path and query) that wait until `release()`. */
    hold?: (request: string) => boolean;
  } = {},
): LossyProxy {
  let dropping = opts.dropping ?? false;
  let held = 0;
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let dropped = 0;
  const log: string[] = [];
  const streams = new Set<TransformStreamDefaultController<Uint8Array>>();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const line = `${req.method} ${url.pathname}${url.search}`;
    log.push(line);
    if (opts.hold?.(line)) {
      held++;
      await released;
    }
    const headers = new Headers(req.headers);
    headers.delete("host");
    const res = await fetch(target + url.pathname + url.search, {
      method: req.method,
      headers,
      body: req.body,
    });
    const back = new Headers(res.headers);
    for (const hop of ["transfer-encoding", "connection", "content-length", "content-encoding"]) {
      back.delete(hop);
    }
    if (url.pathname !== "/global/event" || !res.body) {
      return new Response(res.body, { status: res.status, headers: back });
    }
    let buffer = "";
    const events = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        start: (c) => void streams.add(c),
        flush: (c) => void streams.delete(c),
        transform(chunk, out) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end + 2);
            buffer = buffer.slice(end + 2);
            const keep = /"type":"server\.(connected|heartbeat)"/.test(block);
            if (dropping && !keep) dropped++;
            else out.enqueue(encoder.encode(block));
          }
        },
      }),
    );
    return new Response(events, { status: res.status, headers: back });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    drop: (on) => dropping = on,
    dropped: () => dropped,
    requests: () => [...log],
    held: () => held,
    release: () => release(),
    close: () => {
      // Held requests go on and open event streams end, or the shutdown would wait forever.
      release();
      for (const c of streams) c.terminate();
      return server.shutdown();
    },
  };
}
