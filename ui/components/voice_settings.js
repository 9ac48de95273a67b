// @ts-check
/**
 * The Audio section of the settings: the engine (and whether each can run here), the Whisper
 * model (size, downloaded or not, Download / Stop / Delete, a progress bar with speed and time
 * left), the push-to-talk key (press the key you want), the language where the model allows
 * one, and this browser's microphone.
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { formatBytes } from "../lib/attach.js";
import { modelAction, refreshVoiceStatus, voiceStatus } from "../lib/voice/link.js";
import { chooseMicrophone, chosenMicrophone, listMicrophones } from "../lib/voice/mic_source.js";
import { DEFAULT_PUSH_KEY, keyLabel, RESERVED_KEYS } from "../lib/voice/push_key.js";
import { report, saveSettings } from "../state/actions.js";
import { settings } from "../state/store.js";

/** @typedef {import("../../proto/envelope.js").ipc.VoiceSettings.$Properties} VoiceSettings */
/** @typedef {import("../../proto/envelope.js").ipc.VoiceModelInfo.$Properties} ModelInfo */

const ENGINES = [
  {
    value: "auto",
    label: "Automatic",
    hint: "Whisper once its model is downloaded, else the system engine",
  },
  { value: "whisper", label: "Whisper" },
  { value: "system", label: "System" },
];
const LANGUAGES = [
  ["", "Detect"],
  ["en", "English"],
  ["de", "German"],
  ["es", "Spanish"],
  ["fr", "French"],
  ["it", "Italian"],
  ["ja", "Japanese"],
  ["nl", "Dutch"],
  ["pl", "Polish"],
  ["pt", "Portuguese"],
  ["ru", "Russian"],
  ["zh", "Chinese"],
];

/** @param {Partial<VoiceSettings>} patch */
function changeVoice(patch) {
  const s = settings.value;
  saveSettings({ voice: { ...s.voice, ...patch } });
}

/** @param {number} s */
function duration(s) {
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** @param {{ m: ModelInfo, chosen: boolean }} props */
function ModelRow({ m, chosen }) {
  const id = m.id ?? "";
  const size = m.sizeBytes ?? 0;
  const got = m.receivedBytes ?? 0;
  const pct = size ? Math.min(100, Math.floor((got / size) * 100)) : 0;
  const act = (/** @type {"download" | "delete" | "cancel"} */ a) =>
    modelAction(id, a).catch(report);
  return html`
    <div class="voice-model" key=${id}>
      <label>
        <input type="radio" name="setting-whisper-model" value=${id} checked=${chosen}
          onChange=${() => changeVoice({ whisperModel: id })} />
        <span>${m.name}</span>
      </label>
      <span class="settings-hint">
        ${formatBytes(size)} · ${m.downloaded
          ? "downloaded"
          : m.downloading
          ? "downloading"
          : "not downloaded"}
      </span>
      ${m.downloading
        ? html`
          <button type="button" onClick=${() => act("cancel")}
            aria-label=${`Stop downloading ${m.name}`}>Stop</button>
        `
        : m.downloaded
        ? html`
          <button type="button" onClick=${() => act("delete")}
            aria-label=${`Delete ${m.name}`}>Delete</button>
        `
        : html`
          <button type="button" onClick=${() => act("download")}
            aria-label=${`Download ${m.name}`}>Download</button>
        `}
      ${m.downloading
        ? html`
          <div class="voice-progress">
            <progress max="100" value=${pct} aria-label=${`Downloading ${m.name}`}></progress>
            <span class="settings-hint">
              ${formatBytes(got)} of ${formatBytes(size)} (${pct}%)${m.bytesPerSecond
                ? `, ${formatBytes(m.bytesPerSecond)}/s`
                : ""}${m.etaSeconds ? `, ${duration(m.etaSeconds)} left` : ""}
            </span>
          </div>
        `
        : null}
      ${m.error ? html`<p class="voice-error" role="alert">${m.error}</p>` : null}
    </div>
  `;
}

function KeyChooser() {
  const [listening, setListening] = useState(false);
  const [refused, setRefused] = useState("");
  const code = settings.value.voice?.pushToTalkKey || DEFAULT_PUSH_KEY;
  useEffect(() => {
    if (!listening) return;
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      e.preventDefault();
      e.stopPropagation();
      setListening(false);
      if (e.code === "Escape") return;
      if (RESERVED_KEYS.has(e.code) || !/^[A-Za-z0-9]{1,24}$/.test(e.code)) {
        setRefused(`${keyLabel(e.code) || e.key} cannot be the push-to-talk key.`);
        return;
      }
      setRefused("");
      changeVoice({ pushToTalkKey: e.code });
    };
    addEventListener("keydown", onKey, true);
    return () => removeEventListener("keydown", onKey, true);
  }, [listening]);
  return html`
    <div class="settings-option">
      <span>Push-to-talk key: <kbd>${keyLabel(code)}</kbd></span>
      <button type="button" onClick=${() => setListening(true)} aria-live="polite">
        ${listening ? "Press the key you want… (Esc: keep)" : "Change"}
      </button>
    </div>
    ${refused ? html`<p class="voice-error" role="alert">${refused}</p>` : null}
  `;
}

function MicrophoneChooser() {
  const [mics, setMics] = useState(/** @type {MediaDeviceInfo[]} */ ([]));
  const [chosen, setChosen] = useState(chosenMicrophone());
  useEffect(() => {
    listMicrophones().then(setMics, () => setMics([]));
  }, []);
  return html`
    <div class="settings-option">
      <label>
        <span>Microphone (this browser)</span>
        <select value=${chosen} onChange=${(/** @type {Event} */ e) => {
          const v = /** @type {HTMLSelectElement} */ (e.currentTarget).value;
          chooseMicrophone(v);
          setChosen(v);
        }}>
          <option value="">The browser's default</option>
          ${mics.filter((d) => d.deviceId && d.deviceId !== "default").map((d, i) =>
            html`<option key=${d.deviceId} value=${d.deviceId}>${
              d.label || `Microphone ${i + 1}`
            }</option>`
          )}
        </select>
      </label>
    </div>
  `;
}

/** The Audio fieldset of the settings dialog. */
export function VoiceSettings() {
  useEffect(() => {
    refreshVoiceStatus().catch(report);
  }, []);
  const st = voiceStatus.value;
  const v = settings.value.voice ?? {};
  const engine = v.engine || "auto";
  const model = v.whisperModel || "tiny.en";
  const info = (/** @type {string} */ id) => st?.engines?.find((e) => e.id === id);
  const chosenModel = st?.models?.find((m) => m.id === model);
  const using = st?.engine === "whisper"
    ? "Whisper"
    : st?.engine === "system"
    ? info("system")?.name ?? "the system engine"
    : "";
  return html`
    <fieldset class="settings-group voice-settings">
      <legend>Audio</legend>
      <p class="settings-hint" role="status">
        ${st
          ? using ? `Voice input uses ${using}.` : "Voice input cannot run: no engine is ready."
          : "…"}
      </p>
      ${ENGINES.map((o) => {
        const e = info(o.value);
        const detail = o.hint ?? e?.detail ?? "";
        return html`
          <div class="settings-option" key=${o.value}>
            <label>
              <input type="radio" name="setting-voice-engine" value=${o.value}
                checked=${engine === o.value} onChange=${() => changeVoice({ engine: o.value })} />
              <span>${o.value === "system" ? e?.name ?? "System" : o.label}</span>
            </label>
            ${detail
              ? html`<span class=${
                e && !e.available ? "voice-error" : "settings-hint"
              }>${detail}</span>`
              : null}
          </div>
        `;
      })}
      <div class="voice-models" role="group" aria-label="Whisper model">
        ${(st?.models ?? []).map((m) => html`<${ModelRow} m=${m} chosen=${m.id === model} />`)}
      </div>
      <div class="settings-option">
        <label>
          <span>Language</span>
          <select value=${v.language ?? ""} disabled=${!chosenModel?.multilingual}
            onChange=${(/** @type {Event} */ e) =>
              changeVoice({ language: /** @type {HTMLSelectElement} */ (e.currentTarget).value })}>
            ${LANGUAGES.map(([code, name]) =>
              html`<option key=${code} value=${code}>${name}</option>`
            )}
          </select>
        </label>
        ${chosenModel?.multilingual
          ? null
          : html`<span class="settings-hint">English-only model</span>`}
      </div>
      <${KeyChooser} />
      <${MicrophoneChooser} />
    </fieldset>
  `;
}
