/** Sessions made and prompted straight on the OpenCode server, as another client would. */

/** Creates a session titled `title` on the server at `url`; returns its id. */
export async function createSession(url: string, title: string): Promise<string> {
  const res = await fetch(`${url}/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title }),
  });
  return (await res.json() as { id: string }).id;
}

/** Starts a turn in a session (the server answers at once; the model replies in the background). */
export async function promptOnServer(url: string, sessionId: string, text: string): Promise<void> {
  const res = await fetch(`${url}/session/${sessionId}/prompt_async`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ parts: [{ type: "text", text }] }),
  });
  await res.body?.cancel();
}

/** A session's messages as the server keeps them. */
export async function storedMessages(
  url: string,
  sessionId: string,
): Promise<{ info: { role: string; time?: { completed?: number } } }[]> {
  return await (await fetch(`${url}/session/${sessionId}/message`)).json();
}
