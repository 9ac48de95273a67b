// @ts-check
/**
 * A browser on another machine reaching the app over plain http lacks what browsers keep for
 * https pages; this line says which (the terminal says it too, core/bridge/tls.ts).
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { reachInfo } from "../lib/reach.js";
import { CloseIcon } from "./icons.js";

const SENTENCE =
  "Served over plain http: this browser offers no microphone, no notifications and no " +
  '"install app" here. Start the app with --tls-cert and --tls-key for https.';

export function InsecureNote() {
  const [dismissed, setDismissed] = useState(false);
  const r = reachInfo.value;
  if (dismissed || !r || r.native || isSecureContext) return null;
  return html`
    <div class="notice insecure-note" role="note">
      <span>${SENTENCE}</span>
      <button type="button" class="icon-button" aria-label="Dismiss"
        onClick=${() => setDismissed(true)}><${CloseIcon} /></button>
    </div>
  `;
}
