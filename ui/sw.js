// @ts-check
/// <reference lib="webworker" />
/**
 * The service worker of the installed app. It keeps the app shell only (the page, its scripts,
 * styles, icons and vendor modules: the allow-listed static files) so the app opens offline and
 * says it cannot reach the core. Never /ws (the socket, which carries every session), never
 * /auth (the token check), never anything else: transcripts, the token and settings travel on
 * the socket and never pass through here. Network first, so a new version shows at once.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const CACHE = "opencode-desk-shell-v1";
/** The static files of the allow-list (core/bridge/assets.ts), and the page itself. */
const SHELL =
  /^\/(?:index\.html)?$|^\/(?:ui|vendor|proto\/gen)\/[A-Za-z0-9_./-]+$|^\/proto\/(?:envelope|words)\.js$/;

sw.addEventListener("install", () => sw.skipWaiting());

sw.addEventListener("activate", (e) => {
  e.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await sw.clients.claim();
  })());
});

sw.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== sw.location.origin) return;
  if (!SHELL.test(url.pathname)) return; // the browser fetches it as if there were no worker
  e.respondWith((async () => {
    try {
      const res = await fetch(e.request);
      if (res.ok && res.type === "basic") {
        const cache = await caches.open(CACHE);
        await cache.put(url.origin + url.pathname, res.clone());
      }
      return res;
    } catch (err) {
      const cached = await caches.match(url.origin + url.pathname);
      if (cached) return cached;
      throw err;
    }
  })());
});

// A notification shown by this worker (an installed app on Android): show its session.
sw.addEventListener("notificationclick", (e) => {
  e.notification.close();
  const sessionId = e.notification.data?.sessionId ?? "";
  e.waitUntil((async () => {
    const all = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
    const client = all[0];
    if (client) {
      await client.focus();
      client.postMessage({ type: "open-session", sessionId });
    } else await sw.clients.openWindow("/");
  })());
});
