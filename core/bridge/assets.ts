/**
 * The UI's files: ui/, the generated protocol code, and a fixed list of vendor ES modules read
 * from the npm packages Deno installed. Only listed vendor files are served, UI paths are
 * normalised and confined to ui/, and the page gets its import map and a Content-Security-Policy.
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

export class Assets {
  #cache = new Map<string, Asset>();
  #index: Promise<{ html: string; csp: string }> | null = null;
  #root: URL;

  constructor(root: URL = ROOT) {
    this.#root = root;
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

  /** Resolves a URL path to an asset, or null when it is not one of ours. */
  async get(pathname: string): Promise<Asset | null> {
    const cached = this.#cache.get(pathname);
    if (cached) return cached;
    const file = this.#resolve(pathname);
    if (!file) return null;
    let body: Uint8Array<ArrayBuffer>;
    if (file === "wrapper:protobuf") {
      body = new TextEncoder().encode(PROTOBUF_WRAPPER);
    } else {
      try {
        body = await Deno.readFile(file);
      } catch (err) {
        if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory) {
          return null;
        }
        throw err;
      }
    }
    const asset = { body, type: typeOf(pathname) ?? "application/octet-stream" };
    this.#cache.set(pathname, asset);
    return asset;
  }

  #resolve(pathname: string): URL | "wrapper:protobuf" | null {
    if (pathname === "/vendor/protobuf.mjs") return "wrapper:protobuf";
    if (pathname.startsWith("/vendor/")) {
      const rel = VENDOR_FILES[pathname.slice("/vendor/".length)];
      return rel ? new URL(`node_modules/${rel}`, this.#root) : null;
    }
    if (pathname === "/proto/gen/ipc.js" || pathname === "/proto/envelope.js") {
      return new URL(pathname.slice(1), this.#root);
    }
    if (!pathname.startsWith("/ui/")) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch (err) {
      if (err instanceof URIError) return null;
      throw err;
    }
    const segments = decoded.split("/").slice(1);
    if (segments.some((s) => s === ".." || s === "." || s === "" || s.includes("\\"))) return null;
    if (!typeOf(decoded)) return null;
    const url = new URL(segments.join("/"), this.#root);
    const ui = new URL("ui/", this.#root);
    return url.href.startsWith(ui.href) ? url : null;
  }
}
