// @ts-check
/** htm bound to Preact's h: tagged-template JSX without a build step. */
import { h } from "preact";
import htm from "htm";

/** @typedef {(strings: TemplateStringsArray, ...values: unknown[]) => import("preact").VNode} Html */
// htm's typings describe its CommonJS shape; in the browser the default export is the function.
/** @type {Html} */
export const html = /** @type {{ bind: (h: unknown) => Html }} */ (/** @type {unknown} */ (htm))
  .bind(h);
