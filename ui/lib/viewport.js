// @ts-check
/**
 * Keeps the composer above a phone's on-screen keyboard. Chromium shrinks the layout for the
 * keyboard (`interactive-widget=resizes-content` in index.html); Safari does not, so the visible
 * height (visualViewport) goes into `--visible-height`, which styles/phone.css sizes the page by.
 */

/** Starts following the visible height; returns a function that stops. */
export function followVisibleHeight() {
  const vv = globalThis.visualViewport;
  if (!vv) return () => {};
  const root = document.documentElement;
  const apply = () => root.style.setProperty("--visible-height", `${Math.round(vv.height)}px`);
  vv.addEventListener("resize", apply);
  apply();
  return () => vv.removeEventListener("resize", apply);
}
