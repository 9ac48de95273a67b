/**
 * Images in messages, end to end: pasted or dropped into the composer, refused with a reason when
 * they cannot go, sent with the message to the real OpenCode server (the fake model records what
 * it was given), and shown in the transcript, also after a reload. The core takes attachments as
 * inline data only.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { currentSession, launchBrowser, newSession, openConnectedPage } from "./support/browser.ts";
import { connect, request } from "./support/ws_client.ts";
import type { ipc } from "../proto/envelope.js";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 5 });
const stateDir = await Deno.makeTempDir({ prefix: "attachments-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const { page, errors } = await openConnectedPage(browser, app.url);

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };

/** A 2×1 PNG: one red pixel, one blue. */
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==";

const input = () => page.getByRole("textbox", { name: "Message" });
const tray = () => page.getByRole("list", { name: "Attached images" });

/**
 * Dispatches a paste or drop on the composer carrying files: `[name, type, base64 | size]`.
 * A number makes a file of that many zero bytes.
 */
async function deliver(kind: "paste" | "drop", files: [string, string, string | number][]) {
  // A string: this file is type-checked without the DOM library.
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    for (const [name, type, content] of ${JSON.stringify(files)}) {
      const bytes = typeof content === "number"
        ? new Uint8Array(content)
        : Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name, { type }));
    }
    const init = { bubbles: true, cancelable: true };
    const event = ${JSON.stringify(kind)} === "paste"
      ? new ClipboardEvent("paste", { ...init, clipboardData: dt })
      : new DragEvent("drop", { ...init, dataTransfer: dt });
    document.querySelector('textarea[aria-label="Message"]').dispatchEvent(event);
  })()`);
}

Deno.test({
  name:
    "attachments: a pasted image waits above the input, reaches the model and shows in the transcript",
  ...opts,
  fn: async () => {
    await newSession(page);
    await deliver("paste", [["image.png", "image/png", PNG]]);
    const item = tray().getByRole("listitem");
    await item.waitFor();
    const name = await item.locator(".attachment-name").innerText();
    assertMatch(name, /^pasted-\d{6}-\d+\.png$/, "a pasted image gets a name of its own");
    assert(
      await page.getByRole("button", { name: "Send" }).isEnabled(),
      "an image alone can be sent",
    );

    const before = oc.model.requests().length;
    await input().fill("what is in this picture");
    await input().press("Enter");
    await tray().waitFor({ state: "detached" });
    const reply = page.locator('article[data-role="assistant"] .part.text');
    await reply.getByText("I received an image attachment").waitFor({ timeout: 20_000 });

    // The model got the image itself, next to the text.
    // (The title request to the small model carries the text too, without the image.)
    const sent = oc.model.requests().slice(before).find((r) =>
      r.body.model === "mock-model" && JSON.stringify(r.body).includes("what is in this picture")
    );
    assert(sent, "the chat request");
    const users = (sent.body.messages as { role: string; content: unknown }[])
      .filter((m) => m.role === "user");
    const content = JSON.stringify(users.at(-1)?.content);
    assert(
      content.includes(`data:image/png;base64,${PNG}`),
      `image sent: ${content.slice(0, 300)}`,
    );

    // The transcript shows it as a picture, decoded (the page's CSP lets inline data through).
    const thumb = page.locator('article[data-role="user"]').getByRole("button", {
      name: `View ${name}`,
    });
    await thumb.waitFor();
    await waitFor(
      () =>
        page.evaluate(
          `document.querySelector('article[data-role="user"] .image-thumb img')?.naturalWidth === 2`,
        ),
      "the image decoded, 2 pixels wide",
      5_000,
    );
    await thumb.click();
    const view = page.getByRole("dialog", { name });
    await view.waitFor();
    await page.keyboard.press("Escape");
    await view.waitFor({ state: "hidden" });

    // The server stored it: a reload shows it again.
    await page.reload();
    await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
    await page.locator('article[data-role="user"]').getByRole("button", { name: `View ${name}` })
      .waitFor();
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name: "attachments: other files, broken and oversized images are refused with a reason",
  ...opts,
  fn: async () => {
    await newSession(page);
    await deliver("drop", [
      ["notes.txt", "text/plain", btoa("hello")],
      ["huge.png", "image/png", 11 * 1024 * 1024],
      ["broken.png", "image/png", 64],
      ["diagram.png", "image/png", PNG],
    ]);
    const alert = page.locator(".composer").getByRole("alert");
    await alert.getByText("notes.txt: only PNG, JPEG, GIF and WebP images can be attached")
      .waitFor();
    await alert.getByText("huge.png: 11.0 MB is over the 10.0 MB limit").waitFor();
    // The server would refuse the whole message over an image it cannot decode.
    await alert.getByText("broken.png: not a readable image").waitFor();
    // What could go, went.
    await tray().getByRole("listitem").filter({ hasText: "diagram.png" }).waitFor();
    assertEquals(await tray().getByRole("listitem").count(), 1);
  },
});

Deno.test({
  name: "attachments: each tab keeps its own images; Remove takes one back; a blind model warns",
  ...opts,
  fn: async () => {
    await newSession(page);
    await deliver("paste", [["a.png", "image/png", PNG], ["b.png", "image/png", PNG]]);
    await tray().getByRole("listitem").nth(1).waitFor();
    await page.getByRole("button", { name: "Remove a.png" }).click();
    await waitFor(async () => (await tray().getByRole("listitem").count()) === 1, "one left");
    await tray().getByText("b.png").waitFor();

    // The default model reads images: no warning. A model that does not gets one.
    assertEquals(await page.locator(".attachment-warning").count(), 0);
    await page.getByRole("button", { name: /^Model:/ }).click();
    await page.getByRole("searchbox", { name: "Search models" }).fill("small");
    await page.getByRole("dialog", { name: "Choose a model" })
      .getByRole("button", { name: /Mock Small/ }).first().click();
    await page.locator(".attachment-warning").getByText(
      "Mock Small does not take images; choose another model to send these.",
    ).waitFor();

    // Another tab has none; coming back finds b.png still waiting.
    const here = await currentSession(page);
    await newSession(page);
    assertEquals(await tray().count(), 0, "a new tab starts without images");
    await page.locator(`.tab[data-session-id="${here}"]`).getByRole("tab").click();
    await tray().getByText("b.png").waitFor();
  },
});

Deno.test({
  name: "attachments: the core refuses a file that is not inline data",
  ...opts,
  fn: async () => {
    const token = new URL(app.url).hash.replace("#token=", "");
    const sock = await connect(Number(new URL(app.origin).port), { token });
    const pushes: ipc.ServerMessage[] = [];
    try {
      await request(sock, { hello: {} }, pushes);
      const session = {
        id: (await request(sock, { createSession: {} }, pushes)).workspace!.shownSessionId!,
      };
      const before = oc.model.requests().length;
      const reply = await request(sock, {
        sendMessage: {
          sessionId: session.id,
          text: "read this",
          files: [{ mime: "text/plain", filename: "passwd", url: "file:///etc/passwd" }],
        },
      }, pushes);
      assertMatch(reply.error?.message ?? "", /must be a data: URL/);
      const q = `?directory=${encodeURIComponent(oc.dir)}`;
      const messages = await (await fetch(`${oc.url}/session/${session.id}/message${q}`)).json();
      assertEquals(messages, [], "nothing reached the server");
      assertEquals(oc.model.requests().length, before);
    } finally {
      sock.ws.close();
    }
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
