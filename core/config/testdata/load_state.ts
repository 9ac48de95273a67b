/**
 * Loads the state file named by the first argument, changes a setting, saves, and prints what
 * happened as one JSON line: run by settings_test.ts inside a read-only mount.
 */
import { ipc } from "../../../proto/envelope.js";
import { type Notice, SettingsStore } from "../settings.ts";

const store = new SettingsStore(Deno.args[0]);
const notices: Notice[] = [];
store.onNotice((n) => notices.push(n));
const warning = await store.load();
store.settings = { ...store.settings, theme: ipc.Theme.THEME_DARK };
await store.flush();
store.settings = { ...store.settings, textSize: ipc.TextSize.TEXT_SIZE_LARGE };
await store.flush();
console.log(
  JSON.stringify({ warning, theme: store.settings.theme, unsaved: store.unsaved, notices }),
);
