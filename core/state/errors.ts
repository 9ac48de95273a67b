/**
 * The one condition a caller of the state classes catches by kind: what a request named is not
 * there (a tab another window closed, a permission already answered). The bridge answers it with
 * ERROR_CODE_NOT_FOUND; it is the core's own finding, never an HTTP status from the server.
 */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}
