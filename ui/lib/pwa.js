// @ts-check
/**
 * The installable app: registers the service worker (ui/sw.js, the app shell only) where the
 * browser allows one (https or localhost), and keeps the browser's theme colour on the page's
 * background as the theme changes.
 */

let registered = false;

/** Registers ui/sw.js for the whole app (once); browsers without it, or on plain http, go without. */
export function registerServiceWorker() {
  if (registered || !("serviceWorker" in navigator) || !isSecureContext) return;
  registered = true;
  navigator.serviceWorker.register("/ui/sw.js", { scope: "/" }).catch((err) =>
    console.warn(`opencode-desk: Cannot install the service worker: ${err.message}`)
  );
  followThemeColor();
}

/** Sets `<meta name="theme-color">` to the background of the theme in use. */
function followThemeColor() {
  const root = document.documentElement;
  const apply = () => {
    const bg = getComputedStyle(root).getPropertyValue("--bg").trim();
    for (const meta of document.querySelectorAll('meta[name="theme-color"]')) {
      meta.setAttribute("content", bg);
      meta.removeAttribute("media");
    }
  };
  new MutationObserver(apply).observe(root, { attributeFilter: ["data-theme"] });
  apply();
}
