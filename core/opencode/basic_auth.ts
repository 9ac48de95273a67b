/**
 * The `Authorization` header of a password-protected OpenCode server (`opencode serve` with
 * `OPENCODE_SERVER_PASSWORD`). One encoder for every caller: `btoa` alone throws on a character
 * outside Latin-1, so the user and password are encoded as UTF-8 first (RFC 7617 §2.1).
 * @module
 */

/** The user name OpenCode expects when `OPENCODE_SERVER_USERNAME` is not set. */
export const DEFAULT_SERVER_USERNAME = "opencode";

/** `Basic <base64 of UTF-8 "user:password">`. */
export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * The headers every request to the server needs: `{authorization}` when a password is given
 * (user `opencode` unless named), else none.
 */
export function passwordHeaders(
  password: string | undefined,
  username?: string,
): Record<string, string> {
  if (!password) return {};
  return { authorization: basicAuthorization(username || DEFAULT_SERVER_USERNAME, password) };
}
