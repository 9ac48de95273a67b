// @ts-check
// Shared by core/ and ui/: free of Deno and DOM globals.
/**
 * The protocol's enums as words and back. One table per enum serves the OpenCode JSON the core
 * reads (roles, tool statuses, permission replies), the state file the core writes (theme, send
 * key, text size) and the UI's attributes and radio values, which all use the same words.
 */
import { ipc } from "./gen/ipc.js";

/**
 * @template {string} W
 * @param {Record<W, number>} table
 */
function enumWords(table) {
  const words = /** @type {W[]} */ (Object.keys(table));
  return {
    /** @param {number | null | undefined} v @returns {W} the word, or the table's first */
    word: (v) => words.find((w) => table[w] === v) ?? words[0],
    /** @param {unknown} w @returns {number | undefined} the value of a known word */
    value: (
      w,
    ) => (typeof w === "string" && words.includes(/** @type {W} */ (w))
      ? table[/** @type {W} */ (w)]
      : undefined),
    /** @param {unknown} v whether `v` is one of the table's values */
    has: (v) => words.some((w) => table[w] === v),
    words,
  };
}

export const Theme = enumWords({
  system: ipc.Theme.THEME_SYSTEM,
  light: ipc.Theme.THEME_LIGHT,
  dark: ipc.Theme.THEME_DARK,
});

export const SendKey = enumWords({
  enter: ipc.SendKey.SEND_KEY_ENTER,
  "mod-enter": ipc.SendKey.SEND_KEY_MOD_ENTER,
});

export const TextSize = enumWords({
  normal: ipc.TextSize.TEXT_SIZE_NORMAL,
  small: ipc.TextSize.TEXT_SIZE_SMALL,
  large: ipc.TextSize.TEXT_SIZE_LARGE,
});

export const PermissionReply = enumWords({
  once: ipc.PermissionReply.PERMISSION_REPLY_ONCE,
  always: ipc.PermissionReply.PERMISSION_REPLY_ALWAYS,
  reject: ipc.PermissionReply.PERMISSION_REPLY_REJECT,
});

export const Role = enumWords({
  "": ipc.Role.ROLE_UNSPECIFIED,
  user: ipc.Role.ROLE_USER,
  assistant: ipc.Role.ROLE_ASSISTANT,
});

export const ToolStatus = enumWords({
  pending: ipc.ToolStatus.TOOL_STATUS_PENDING,
  running: ipc.ToolStatus.TOOL_STATUS_RUNNING,
  completed: ipc.ToolStatus.TOOL_STATUS_COMPLETED,
  error: ipc.ToolStatus.TOOL_STATUS_ERROR,
  aborted: ipc.ToolStatus.TOOL_STATUS_ABORTED,
});

export const Density = enumWords({
  normal: ipc.Density.DENSITY_NORMAL,
  compact: ipc.Density.DENSITY_COMPACT,
  comfortable: ipc.Density.DENSITY_COMFORTABLE,
});

export const AnthropicAuth = enumWords({
  "api-key": ipc.AnthropicAuth.ANTHROPIC_AUTH_API_KEY,
  subscription: ipc.AnthropicAuth.ANTHROPIC_AUTH_SUBSCRIPTION,
});

export const LiveCredential = enumWords({
  unknown: ipc.LiveCredential.LIVE_CREDENTIAL_UNKNOWN,
  none: ipc.LiveCredential.LIVE_CREDENTIAL_NONE,
  "api-key": ipc.LiveCredential.LIVE_CREDENTIAL_API_KEY,
  oauth: ipc.LiveCredential.LIVE_CREDENTIAL_OAUTH,
});

export const CredentialSource = enumWords({
  none: ipc.CredentialSource.CREDENTIAL_SOURCE_NONE,
  env: ipc.CredentialSource.CREDENTIAL_SOURCE_ENV,
  server: ipc.CredentialSource.CREDENTIAL_SOURCE_SERVER,
});
