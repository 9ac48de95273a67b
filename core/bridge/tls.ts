/**
 * What a browser on another machine cannot do when the app is served over plain http: browsers
 * keep the microphone, notifications and installing (service workers) for https pages and for
 * localhost. Said once in the terminal; the page says it too (ui/components/insecure_note.js).
 */
import { isLoopbackHost } from "./auth.ts";

/** The features a remote browser lacks without TLS, in words. */
export const INSECURE_FEATURES = "the microphone, notifications and installing the app";

/** The sentence for the terminal, or null when served with TLS or on loopback only. */
export function insecureRemoteWarning(host: string, tls: boolean): string | null {
  if (tls || isLoopbackHost(host)) return null;
  return `served over plain http beyond this machine: browsers elsewhere will not offer ` +
    `${INSECURE_FEATURES}; start with --tls-cert and --tls-key for https (see README)`;
}
