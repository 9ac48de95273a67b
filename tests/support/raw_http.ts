/**
 * HTTP/1.1 spoken by hand over a TCP socket, for tests that must send what fetch() would rewrite
 * or refuse: a chosen Host header (or none, or two), and request targets exactly as written.
 */

export interface RawResponse {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  body: Uint8Array;
}

/** Sends one request (`head` lines after the request line) and reads the whole answer. */
export async function rawRequest(
  port: number,
  target: string,
  headers: string[] = [`Host: 127.0.0.1:${port}`],
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = [`GET ${target} HTTP/1.1`, ...headers, "Connection: close", "", ""].join("\r\n");
  await conn.write(new TextEncoder().encode(head));
  const bytes = await new Response(conn.readable).bytes();
  const end = indexOfHeadEnd(bytes);
  const statusLine = new TextDecoder().decode(bytes.subarray(0, Math.max(0, end)))
    .split("\r\n")[0];
  const status = Number(statusLine.split(" ")[1] ?? 0) || 0;
  return { status, body: end < 0 ? new Uint8Array() : bytes.subarray(end + 4) };
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}
