// @ts-check
/**
 * A question from the agent (its question tool): one or more questions, each with a header and
 * options to pick (one, or several when `multiple`), and a free answer when `custom` allows it.
 * Submit sends one list of labels per question; Dismiss rejects the question. The texts come
 * from the model: rendered as text only.
 */
import { useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { replyQuestion } from "../state/actions.js";
import { useAutoFocus } from "../lib/auto_focus.js";
import { activeSessionId } from "../state/store.js";

/** @typedef {import("../../proto/envelope.js").ipc.Question.$Properties} Question */
/** @typedef {import("../../proto/envelope.js").ipc.QuestionInfo.$Properties} QuestionInfo */
/** @typedef {{ picked: string[], other: boolean, text: string }} Choice */

/** The labels one question's choice answers with. @param {QuestionInfo} q @param {Choice} c */
function labelsOf(q, c) {
  const labels = (q.options ?? []).map((o) => o.label ?? "").filter((l) => c.picked.includes(l));
  if (q.custom && c.other && c.text.trim()) labels.push(c.text.trim());
  return labels;
}

/**
 * @param {{
 *   q: QuestionInfo, index: number, name: string, choice: Choice, disabled: boolean,
 *   onChange: (c: Choice) => void,
 * }} props
 */
function QuestionItem({ q, index, name, choice, disabled, onChange }) {
  const multiple = !!q.multiple;
  const type = multiple ? "checkbox" : "radio";
  /** @param {string} label @param {boolean} on */
  const pick = (label, on) => {
    if (!multiple) onChange({ ...choice, picked: on ? [label] : [], other: false });
    else {
      const rest = choice.picked.filter((l) => l !== label);
      onChange({ ...choice, picked: on ? [...rest, label] : rest });
    }
  };
  /** @param {boolean} on */
  const pickOther = (on) =>
    onChange(multiple ? { ...choice, other: on } : { ...choice, picked: [], other: on });
  const legend = q.header || `Question ${index + 1}`;
  return html`
    <fieldset class="question-item" disabled=${disabled}>
      <legend>${legend}</legend>
      ${q.question ? html`<p class="question-text">${q.question}</p>` : null}
      <p class="question-mode">${multiple ? "Choose any that apply." : "Choose one."}</p>
      <div class="question-options">
        ${(q.options ?? []).map((o) => {
          const label = o.label ?? "";
          return html`
            <label class="question-option" key=${label}>
              <input type=${type} name=${name} value=${label}
                checked=${choice.picked.includes(label)}
                onChange=${(/** @type {Event} */ e) =>
                  pick(label, /** @type {HTMLInputElement} */ (e.currentTarget).checked)} />
              <span class="option-text">
                <span class="option-label">${label}</span>
                ${o.description
                  ? html`<span class="option-description">${o.description}</span>`
                  : null}
              </span>
            </label>
          `;
        })}
        ${q.custom
          ? html`
            <div class="question-option other">
              <input type=${type} name=${name} aria-label="Other answer" checked=${choice.other}
                onChange=${(/** @type {Event} */ e) =>
                  pickOther(/** @type {HTMLInputElement} */ (e.currentTarget).checked)} />
              <input type="text" class="other-text" aria-label=${`Your own answer to: ${legend}`}
                placeholder="Other: type your own answer" value=${choice.text}
                onInput=${(/** @type {InputEvent} */ e) => {
                  const text = /** @type {HTMLInputElement} */ (e.currentTarget).value;
                  const base = multiple ? choice : { ...choice, picked: [] };
                  onChange({ ...base, text, other: text.trim() !== "" || choice.other });
                }} />
            </div>
          `
          : null}
      </div>
    </fieldset>
  `;
}

/** @param {{ question: Question }} props */
export function QuestionRequest({ question }) {
  const id = question.id ?? "";
  const items = question.questions ?? [];
  const [choices, setChoices] = useState(
    /** @type {Choice[]} */ (items.map(() => ({ picked: [], other: false, text: "" }))),
  );
  const [sending, setSending] = useState(false);
  const ref = useRef(/** @type {HTMLElement | null} */ (null));
  useAutoFocus(ref, () => (question.sessionId ?? "") === activeSessionId.value, "input");

  const answers = items.map((q, i) =>
    labelsOf(q, choices[i] ?? { picked: [], other: false, text: "" })
  );
  const complete = answers.every((a) => a.length > 0);

  /** @param {boolean} reject */
  const reply = async (reject) => {
    if (sending) return;
    setSending(true);
    const ok = await replyQuestion(id, reject ? null : answers);
    if (!ok) setSending(false);
  };

  const titleId = `question-title-${id}`;
  return html`
    <section class="request question" role="group" aria-labelledby=${titleId} tabindex="-1"
      data-request-id=${id} data-question-id=${id} data-session-id=${question.sessionId}
      ref=${ref}>
      <div class="request-title" id=${titleId}>
        <span class="request-icon" aria-hidden="true">?</span>
        <span>${items.length > 1
          ? `The agent asks you ${items.length} questions`
          : "The agent asks you"}</span>
      </div>
      <form onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        if (complete) reply(false);
      }}>
        ${items.map((q, i) =>
          html`
            <${QuestionItem} key=${i} q=${q} index=${i} name=${`${id}-${i}`}
              choice=${choices[i]} disabled=${sending}
              onChange=${(/** @type {Choice} */ c) =>
                setChoices(choices.map((old, k) => (k === i ? c : old)))} />
          `
        )}
        <div class="request-actions">
          <button type="submit" class="primary" disabled=${sending || !complete}>Submit</button>
          <button type="button" disabled=${sending} onClick=${() => reply(true)}>Dismiss</button>
        </div>
      </form>
    </section>
  `;
}
