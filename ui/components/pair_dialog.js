// @ts-check
/**
 * "Open on phone": the URL another device opens, as a QR code the core made, with what that
 * device will lack (served on loopback only, or without https). Opened from the app window's top
 * bar and from the settings.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { useModal } from "../lib/modal.js";
import { html } from "../lib/html.js";
import { getPairing } from "../lib/reach.js";
import { nativeWindow } from "../lib/surface.js";

/** Whether the dialog is open. */
export const pairOpen = signal(false);

/** @param {string} svg */
const svgUrl = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** What the other device will not get, in words; "" when nothing is missing. @param {import("../../proto/envelope.js").ipc.Pairing.$Properties} p */
export function pairingCaveat(p) {
  if (!p.reachable) {
    return "Only this computer can open this link: the app listens on this machine only. " +
      "Start it with --host 0.0.0.0 to reach it from a phone on the same network.";
  }
  if (!p.secure) {
    return 'Over plain http a phone gets no microphone, no notifications and no "install": ' +
      "start the app with --tls-cert and --tls-key for https.";
  }
  return "";
}

/** The phone button of the app's own window's top bar. */
export function PairButton() {
  if (!nativeWindow.value) return null;
  return html`
    <button type="button" class="icon-button pair-button" aria-label="Open on phone"
      aria-haspopup="dialog" title="Open on phone" onClick=${() => (pairOpen.value = true)}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <rect x="4.5" y="1.5" width="7" height="13" rx="1.5" />
        <path d="M7 12.5h2" />
      </svg>
    </button>
  `;
}

export function PairDialog() {
  const open = pairOpen.value;
  const closeRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const ref = useModal(open, () => closeRef.current?.focus());
  const [pairing, setPairing] = useState(
    /** @type {import("../../proto/envelope.js").ipc.Pairing.$Properties | null} */ (null),
  );
  const [error, setError] = useState("");

  useEffect(() => {
    if (!open) return;
    setError("");
    getPairing().then(setPairing, (e) => setError(`Cannot show the link: ${e.message}`));
  }, [open]);

  const caveat = pairing ? pairingCaveat(pairing) : "";
  return html`
    <dialog class="dialog pair-dialog" ref=${ref} aria-labelledby="pair-title"
      onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.stopPropagation()}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        pairOpen.value = false;
      }}>
      <h2 id="pair-title">Open on phone</h2>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      ${pairing?.qrSvg
        ? html`
          <p>Scan this with the phone's camera, or open the link in its browser.</p>
          <img class="pair-qr" src=${svgUrl(pairing.qrSvg)} width="240" height="240"
            alt=${`QR code of ${pairing.url?.replace(/#.*/, "")}`} />
          <input class="pair-url" readonly value=${pairing.url} aria-label="Link"
            onFocus=${(/** @type {FocusEvent} */ e) =>
              /** @type {HTMLInputElement} */ (e.currentTarget).select()} />
          ${caveat ? html`<p class="settings-hint pair-caveat">${caveat}</p>` : null}
          <p class="settings-hint">The link carries the app's key: whoever has it can use the app.
            Settings → "New link" makes a new one and disconnects every browser on the old one.</p>
        `
        : error
        ? null
        : html`<p>Loading…</p>`}
      <div class="dialog-buttons">
        <button type="button" ref=${closeRef} onClick=${() => (pairOpen.value = false)}>
          Close
        </button>
      </div>
    </dialog>
  `;
}
