/**
 * How other devices reach the app: the two tokens (the window's own, per launch; the browsers',
 * kept on disk and revocable), the URL to open elsewhere and its QR code, and what a page is
 * told about itself (`Reach`: its own window or a browser tab, https or not, beyond loopback).
 */
import type { ipc } from "../../proto/envelope.js";
import { checkToken, newToken, sameToken } from "./auth.ts";
import { qrSvg } from "./qr.ts";
import type { TokenStore } from "./token_store.ts";

/** Which token a socket presented. */
export type SocketKind = "window" | "browser";

export interface ReachOptions {
  /** The browsers' token: kept and revocable (a TokenStore) or fixed for this run (a string). */
  tokens: TokenStore | string;
  /** The app's own window's token; absent: a fresh one. */
  windowToken?: string;
  secure: boolean;
  /** Served beyond loopback. */
  remote: boolean;
}

export class Reach {
  #opts: ReachOptions;
  #fixed: string;
  readonly windowToken: string;
  /** Origins another device can open (LAN addresses); set once listening. */
  remoteOrigins: string[] = [];
  /** The origin on this machine; set once listening. */
  localOrigin = "";

  constructor(opts: ReachOptions) {
    this.#opts = opts;
    this.#fixed = typeof opts.tokens === "string" ? opts.tokens : "";
    this.windowToken = opts.windowToken ?? newToken();
  }

  /** The token browsers must present now. */
  get browserToken(): string {
    return typeof this.#opts.tokens === "string" ? this.#fixed : this.#opts.tokens.current;
  }

  /** Which token the upgrade request carries, or why it is refused. */
  kindOf(req: Request): SocketKind | string {
    if (checkToken(req, this.windowToken) === null) return "window";
    return checkToken(req, this.browserToken) ?? "browser";
  }

  /** Whether `token` opens the app (the `/auth` check a refused page makes). */
  valid(token: string): boolean {
    return sameToken(token, this.windowToken) || sameToken(token, this.browserToken);
  }

  /** The URL for another device: a LAN address when there is one, with the browsers' token. */
  get shareUrl(): string {
    return `${this.remoteOrigins[0] ?? this.localOrigin}/#token=${this.browserToken}`;
  }

  /** What the "Open on phone" dialog shows. */
  pairing(): ipc.Pairing.$Properties {
    const url = this.shareUrl;
    return {
      url,
      qrSvg: qrSvg(url),
      reachable: this.remoteOrigins.length > 0,
      secure: this.#opts.secure,
    };
  }

  /** What a page is told after its hello. */
  info(kind: SocketKind): ipc.Reach.$Properties {
    return { native: kind === "window", secure: this.#opts.secure, remote: this.#opts.remote };
  }

  /** Makes a new browser token (saved, when kept); the old one is refused from now on. */
  async revoke(): Promise<string> {
    if (typeof this.#opts.tokens === "string") this.#fixed = newToken();
    else await this.#opts.tokens.revoke();
    return this.browserToken;
  }
}
