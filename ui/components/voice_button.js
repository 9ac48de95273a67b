// @ts-check
/**
 * Voice input in the composer: the microphone button (hold to talk; a click toggles, for people
 * who cannot hold) and the push-to-talk key from the Audio settings, with the recording's state
 * beside it: elapsed time and a level meter while recording, then "Transcribing…", then the
 * result or a sentence saying what went wrong. Esc cancels. The text goes to the tab that was
 * shown when the recording began.
 */
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { coreVoice } from "../lib/voice/link.js";
import { chosenMicrophone, openMicSource } from "../lib/voice/mic_source.js";
import { DEFAULT_PUSH_KEY, keyLabel, listenPushKey } from "../lib/voice/push_key.js";
import { Recorder } from "../lib/voice/recorder.js";
import { settings } from "../state/store.js";

/** Longest recording; the core refuses more than twice this. */
export const MAX_RECORDING_MS = 60_000;
/** A press shorter than this on the button is a click: it toggles instead of holding. */
const CLICK_MS = 350;
/** How long a result or an error stays next to the button. */
const SHOW_RESULT_MS = 6_000;

/** The window's one recorder (the key and the button drive the same one). */
export const recorder = new Recorder({
  secure: globalThis.isSecureContext === true,
  getUserMedia: navigator.mediaDevices?.getUserMedia
    ? (c) => navigator.mediaDevices.getUserMedia(c)
    : null,
  openSource: openMicSource,
  core: coreVoice,
  maxMs: MAX_RECORDING_MS,
  deviceId: chosenMicrophone,
});

/** The push-to-talk key from the settings. */
export function pushKey() {
  return settings.value.voice?.pushToTalkKey || DEFAULT_PUSH_KEY;
}

/** @param {number} ms */
function clock(ms) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * @param {{ sessionId: string, onText: (text: string, sessionId: string) => void }} props
 */
export function VoiceButton({ sessionId, onText }) {
  const st = recorder.state.value;
  const forSession = useRef(sessionId);
  const pressedAt = useRef(0);
  const toggled = useRef(false);
  const onTextRef = useRef(onText);
  onTextRef.current = onText;

  /** Starts recording for the tab on screen now. */
  const begin = () => {
    forSession.current = sessionId;
    toggled.current = false;
    void recorder.press();
  };
  const finish = async () => {
    const text = await recorder.release();
    if (text) onTextRef.current(text, forSession.current);
  };

  const sessionRef = useRef(sessionId);
  sessionRef.current = sessionId;
  useEffect(() =>
    listenPushKey({
      key: pushKey,
      // Off while a dialog is open (the settings may be listening for a new key).
      enabled: () => !document.querySelector("dialog[open]"),
      onPress: () => {
        forSession.current = sessionRef.current;
        void recorder.press();
      },
      onRelease: () => {
        recorder.release().then((text) => {
          if (text) onTextRef.current(text, forSession.current);
        });
      },
      onCancel: () => recorder.cancel(),
    }), []);

  // A result or an error fades back to idle after a while.
  useEffect(() => {
    if (st.phase !== "done" && st.phase !== "error" && !st.message) return;
    if (recorder.active) return;
    const t = setTimeout(() => recorder.dismiss(), SHOW_RESULT_MS);
    return () => clearTimeout(t);
  }, [st]);

  const recording = st.phase === "starting" || st.phase === "recording";
  const key = keyLabel(pushKey());
  /** @param {PointerEvent} e */
  const down = (e) => {
    if (e.button !== 0) return;
    e.preventDefault(); // keep the cursor (and its position) in the message box
    if (recording && toggled.current) {
      toggled.current = false;
      void finish();
      return;
    }
    if (recorder.active) return;
    pressedAt.current = performance.now();
    /** @type {HTMLElement} */ (e.currentTarget).setPointerCapture?.(e.pointerId);
    begin();
  };
  const up = () => {
    if (!pressedAt.current) return;
    const held = performance.now() - pressedAt.current;
    pressedAt.current = 0;
    if (held < CLICK_MS) toggled.current = true; // a click: keep recording until the next one
    else void finish();
  };
  /** Enter or Space on the focused button toggles. @param {KeyboardEvent} e */
  const keyDown = (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    if (e.repeat) return;
    if (recording) void finish();
    else begin();
  };

  let status = null;
  if (st.phase === "starting") status = html`<span>Waiting for the microphone…</span>`;
  else if (st.phase === "recording") {
    status = html`
      <span class="voice-rec-dot" aria-hidden="true"></span>
      <span class="voice-elapsed">${clock(st.elapsedMs)}</span>
      <span class="voice-level" role="meter" aria-label="Microphone level" aria-valuemin="0"
        aria-valuemax="100" aria-valuenow=${Math.round(st.level * 100)}>
        <span style=${`width:${Math.round(st.level * 100)}%`}></span>
      </span>
      <span class="voice-hint">Release to transcribe, Esc to cancel</span>
    `;
  } else if (st.phase === "transcribing") status = html`<span>Transcribing…</span>`;
  else if (st.phase === "error") status = html`<span class="voice-error">${st.message}</span>`;
  else if (st.message) status = html`<span>${st.message}</span>`;

  return html`
    <button type="button" class=${`picker-button voice-button${recording ? " recording" : ""}`}
      aria-label="Voice input" aria-pressed=${recording}
      title=${`Voice input: hold to talk, or click to start and stop (or hold ${key})`}
      onPointerDown=${down} onPointerUp=${up} onPointerCancel=${up}
      onKeyDown=${keyDown}
      onContextMenu=${(/** @type {Event} */ e) => e.preventDefault()}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <rect x="5.5" y="1.5" width="5" height="8.5" rx="2.5" />
        <path d="M3 7.5a5 5 0 0010 0M8 12.5v2.5" />
      </svg>
    </button>
    <span class=${`voice-status voice-${st.phase}`} role="status" aria-label="Voice input status"
      data-phase=${st.phase}>${status}</span>
  `;
}
