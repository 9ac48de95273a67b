/**
 * The UI's files: ui/, the generated protocol code, and a fixed list of vendor ES modules read
 * from the npm packages Deno installed. What is served is an allow-list built from those files;
 * a request path is looked up in it as it is, and the page gets its import map and a CSP.
 *
 * In a compiled binary (`deno compile --include ...`, see build/compile.ts) the same paths resolve
 * inside the embedded file system, so this file needs no standalone special case.
 */

const ROOT = new URL("../../", import.meta.url);

/** URL path under /vendor/ -> file under node_modules/. */
export const VENDOR_FILES: Record<string, string> = {
  "preact.mjs": "preact/dist/preact.mjs",
  "hooks.mjs": "preact/hooks/dist/hooks.mjs",
  "htm.mjs": "htm/dist/htm.module.js",
  "signals.mjs": "@preact/signals/dist/signals.module.js",
  "signals-core.mjs": "@preact/signals-core/dist/signals-core.module.js",
  "protobuf.min.js": "protobufjs/dist/minimal/protobuf.min.js",
  "marked.mjs": "marked/lib/marked.esm.js",
  "purify.mjs": "dompurify/dist/purify.es.mjs",
  "highlight.mjs": "@highlightjs/cdn-assets/es/highlight.min.js",
  "hljs-light.css": "@highlightjs/cdn-assets/styles/github.min.css",
  "hljs-dark.css": "@highlightjs/cdn-assets/styles/github-dark.min.css",
};

/** protobufjs ships no browser ESM: load its UMD build, then re-export the global it sets. */
const PROTOBUF_WRAPPER = 'import "./protobuf.min.js";\nexport default globalThis.protobuf;\n';

export const IMPORT_MAP = {
  imports: {
    "preact": "/vendor/preact.mjs",
    "preact/hooks": "/vendor/hooks.mjs",
    "htm": "/vendor/htm.mjs",
    "@preact/signals": "/vendor/signals.mjs",
    "@preact/signals-core": "/vendor/signals-core.mjs",
    "protobufjs/minimal.js": "/vendor/protobuf.mjs",
    "marked": "/vendor/marked.mjs",
    "dompurify": "/vendor/purify.mjs",
    "highlight.js": "/vendor/highlight.mjs",
  },
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json", // ui/manifest.webmanifest: the installable app
};

function typeOf(path: string): string | null {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? null : TYPES[path.slice(dot)] ?? null;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/** Where an allowed URL path's bytes come from. */
type Source = URL | { text: string };

/** A file name we are willing to serve: plain characters only, so its URL path is itself. */
const SERVABLE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * Every URL path we serve, mapped to its file: the files under ui/ (walked once, at the first
 * request), the generated protocol code and the vendor list. A request is looked up by its exact
 * path: no decoding, no path arithmetic on request input, nothing outside this map.
 */
async function buildAllowList(root: URL): Promise<Map<string, Source>> {
  const allowed = new Map<string, Source>();
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (!SERVABLE_NAME.test(entry.name)) continue;
      if (entry.isDirectory) {
        await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      } else if (entry.isFile && typeOf(entry.name)) {
        allowed.set(`${prefix}${entry.name}`, new URL(entry.name, dir));
      }
    }
  };
  await walk(new URL("ui/", root), "/ui/");
  for (const [name, rel] of Object.entries(VENDOR_FILES)) {
    allowed.set(`/vendor/${name}`, new URL(`node_modules/${rel}`, root));
  }
  allowed.set("/vendor/protobuf.mjs", { text: PROTOBUF_WRAPPER });
  for (const path of ["/proto/gen/ipc.js", "/proto/envelope.js", "/proto/words.js"]) {
    allowed.set(path, new URL(path.slice(1), root));
  }
  return allowed;
}

export class Assets {
  #cache = new Map<string, Asset>();
  #index: Promise<{ html: string; csp: string }> | null = null;
  #allowed: Promise<Map<string, Source>> | null = null;
  #root: URL;

  constructor(root: URL = ROOT) {
    this.#root = root;
  }

  /** The URL paths this serves besides the page itself (for tests and diagnostics). */
  async paths(): Promise<string[]> {
    return [...(await this.#allowList()).keys()];
  }

  #allowList(): Promise<Map<string, Source>> {
    this.#allowed ??= buildAllowList(this.#root);
    return this.#allowed;
  }

  /** The page, with the import map inlined and its hash allowed by the CSP. */
  index(): Promise<{ html: string; csp: string }> {
    this.#index ??= (async () => {
      const template = await Deno.readTextFile(new URL("ui/index.html", this.#root));
      const map = JSON.stringify(IMPORT_MAP);
      const html = template.replace(
        "<!--importmap-->",
        `<script type="importmap">${map}</script>`,
      );
      const hash = await sha256Base64(map);
      const csp = [
        "default-src 'none'",
        `script-src 'self' 'sha256-${hash}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
      ].join("; ");
      return { html, csp };
    })();
    return this.#index;
  }

  /** The CSP for a page served on `host`; ws: to the same host is listed for older engines. */
  async csp(host: string): Promise<string> {
    const { csp } = await this.index();
    return csp.replace("connect-src 'self'", `connect-src 'self' ws://${host} wss://${host}`);
  }

  /** The asset at exactly this URL path, or null when it is not one of ours. */
  async get(pathname: string): Promise<Asset | null> {
    const cached = this.#cache.get(pathname);
    if (cached) return cached;
    const source = (await this.#allowList()).get(pathname);
    if (!source) return null;
    let body: Uint8Array<ArrayBuffer>;
    if (source instanceof URL) {
      try {
        body = await Deno.readFile(source);
      } catch (err) {
        if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory) {
          return null;
        }
        throw err;
      }
    } else {
      body = new TextEncoder().encode(source.text);
    }
    const asset = { body, type: typeOf(pathname) ?? "application/octet-stream" };
    this.#cache.set(pathname, asset);
    return asset;
  }
}
