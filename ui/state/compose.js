// @ts-check
/**
 * What Enter in the message box does with the text: `!ls` runs a shell command in the session,
 * `/name arguments` runs the server's command of that name (or the app's, e.g. `/settings`), and
 * anything else is a prompt, sent with the files and agents it mentions.
 */
import { parseComposed } from "../lib/composer_text.js";
import { call, newSession, notice, send } from "./actions.js";
import { appCommands, loadServerCommands, serverCommands } from "./commands.js";
import { activeSessionId } from "./store.js";
import { tabOf } from "./indexes.js";

/** @typedef {{ kind: "file" | "agent", name: string }} Mention */

/** The session to run in: the one shown, or a new one. */
async function target() {
  return activeSessionId.value || await newSession();
}

/** The tab's agent and model, as a request carries them. @param {string} id */
function sendsWith(id) {
  const tab = tabOf(id);
  return {
    agent: tab?.agent ?? "",
    providerId: tab?.modelId ? tab.providerId ?? "" : "",
    modelId: tab?.modelId ?? "",
  };
}

/**
 * Does what the text asks for; false when it failed (the composer then keeps the text).
 * @param {string} text
 * @param {{ mime: string, filename: string, url: string }[]} files pasted files (data: URLs)
 * @param {Mention[]} mentions files and agents the text mentions
 * @returns {Promise<boolean>}
 */
export async function sendComposed(text, files, mentions) {
  const parsed = parseComposed(text);
  const fileMentions = mentions.filter((m) => m.kind === "file").map((m) => ({ path: m.name }));
  if (parsed.kind === "shell" && !files.length) {
    notice.value = "";
    const id = await target();
    if (!id) return false;
    return !!await call({ runShell: { sessionId: id, command: parsed.command, ...sendsWith(id) } });
  }
  if (parsed.kind === "command" && !files.length) {
    await loadServerCommands();
    const server = serverCommands.value.find((c) => c.name === parsed.name);
    const own = appCommands.value.find((c) => c.slash === parsed.name);
    if (server) {
      notice.value = "";
      const id = await target();
      if (!id) return false;
      const tab = tabOf(id);
      return !!await call({
        runCommand: {
          sessionId: id,
          command: parsed.name,
          arguments: parsed.args,
          ...sendsWith(id),
          variant: tab?.variant ?? "",
          files: fileMentions,
        },
      });
    }
    if (own && !parsed.args) {
      await own.run();
      return true;
    }
  }
  const agents = mentions.filter((m) => m.kind === "agent").map((m) => m.name);
  return await send(text, files, { files: fileMentions, agents });
}
