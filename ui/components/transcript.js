// @ts-check
/**
 * The transcript: a `role="log"` region of rows, one per user message and one per assistant turn
 * (the steps of one reply grouped, see {@linkcode Turn}). It is not live (a screen reader would
 * read every token); the announcer (announcer.js) says once when a reply finished. Only the rows near the viewport are in
 * the DOM ({@linkcode VirtualList}), so a session of thousands of messages opens at once. It opens
 * at the end and follows the reply as it streams, unless the person scrolled up to read; then a
 * "Jump to latest" button brings them back.
 */
import { Component } from "preact";
import { computed } from "@preact/signals";
import { useMemo, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { VirtualList } from "../lib/virtual.js";
import { transcriptOf } from "../state/store.js";
import { loadOlder } from "../state/pages.js";
import { FindBar } from "./find_bar.js";
import { Message, Turn } from "./message.js";
import { errorText, roleOf } from "../state/words.js";

/**
 * @typedef {import("../state/store.js").MessageModel} MessageModel
 * @typedef {import("../state/store.js").TranscriptModel} TranscriptModel
 * @typedef {{ key: string, user: boolean, messages: MessageModel[] }} Row
 * @typedef {import("@preact/signals").ReadonlySignal<number>} CountSignal
 */

/** @param {MessageModel[]} a @param {MessageModel[]} b */
const sameMessages = (a, b) => a.length === b.length && a.every((m, i) => m === b[i]);

/**
 * The rows of a transcript, recomputed when its message list or a role or parent changes. A row
 * that did not change keeps its identity (and the list its identity when no row changed), so a
 * `message.updated` of the last message re-renders nothing else.
 * @param {TranscriptModel} t
 */
export function rowsOf(t) {
  /** @type {Map<string, Row>} */
  let byKey = new Map();
  /** @type {Row[]} */
  let last = [];
  return computed(() => {
    /** @type {Row[]} */
    const rows = [];
    let parent = "";
    for (const m of t.messages.value) {
      const info = m.info.value;
      const user = roleOf(info) === "user";
      const open = rows[rows.length - 1];
      if (!user && open && !open.user && (!info.parentId || info.parentId === parent)) {
        open.messages.push(m);
        continue;
      }
      rows.push({ key: m.id, user, messages: [m] });
      parent = info.parentId ?? "";
    }
    for (let i = 0; i < rows.length; i++) {
      const old = byKey.get(rows[i].key);
      if (old && old.user === rows[i].user && sameMessages(old.messages, rows[i].messages)) {
        rows[i] = old;
      }
    }
    byKey = new Map(rows.map((r) => [r.key, r]));
    if (rows.length === last.length && rows.every((r, i) => r === last[i])) return last;
    last = rows;
    return rows;
  });
}

/** A row's height before it was ever measured, from what it holds. @param {Row} row */
function estimate(row) {
  let h = row.user ? 40 : 44;
  for (const m of row.messages) {
    for (const p of m.parts.peek()) {
      switch (p.info.peek().type) {
        case "text": {
          const text = p.text.peek();
          const lines = text.split("\n").reduce((n, l) => n + Math.ceil((l.length + 1) / 90), 0);
          h += 12 + 25 * lines;
          break;
        }
        case "tool":
          h += 42;
          break;
        case "reasoning":
          h += 60;
          break;
        case "file":
          h += 28;
          break;
      }
    }
  }
  return h;
}

/** @param {Row} row */
const keyOf = (row) => row.key;

/**
 * One row. It re-renders only when its row changed (a message joined the turn) or moved; the
 * row count is a signal bound straight to `aria-setsize`.
 * @extends {Component<{ row: Row, pos: number, size: CountSignal }>}
 */
class TranscriptRow extends Component {
  /** @override @param {{ row: Row, pos: number, size: CountSignal }} next */
  shouldComponentUpdate(next) {
    const p = this.props;
    return next.row !== p.row || next.pos !== p.pos || next.size !== p.size;
  }

  /** @override @param {{ row: Row, pos: number, size: CountSignal }} props */
  render({ row, pos, size }) {
    return row.user
      ? html`<${Message} message=${row.messages[0]} pos=${pos} size=${size} />`
      : html`<${Turn} messages=${row.messages} pos=${pos} size=${size} />`;
  }
}

/** The session's error, unless its last message already shows it. @param {{ t: TranscriptModel }} props */
function SessionError({ t }) {
  const err = t.error.value;
  if (!err) return null;
  const list = t.messages.value;
  const lastError = list.length ? list[list.length - 1].info.value.error : null;
  if (lastError && lastError.name === err.name) return null;
  return html`<div class="error session-error" role="alert">${errorText(err)}</div>`;
}

/** @param {{ sessionId: string }} props */
export function Transcript({ sessionId }) {
  const t = transcriptOf(sessionId);
  const rows = useMemo(() => rowsOf(t), [t]);
  const count = useMemo(() => computed(() => rows.value.length), [rows]);
  const scroller = useRef(/** @type {HTMLDivElement | null} */ (null));
  const control = useRef(/** @type {import("../lib/virtual.js").VirtualControl | null} */ (null));
  const [away, setAway] = useState(false);

  const list = rows.value;
  /** Brings the row holding a message into view. @param {string} messageId */
  const reveal = (messageId) => {
    const row = rows.peek().find((r) => r.messages.some((m) => m.id === messageId));
    return !!row && !!control.current?.toKey(row.key);
  };
  const older = t.before.value;
  /** @param {Row} row @param {number} i */
  const render = (row, i) => html`<${TranscriptRow} row=${row} pos=${i + 1} size=${count} />`;
  return html`
    <div class="transcript-wrap">
      <${FindBar} sessionId=${sessionId} reveal=${reveal} />
      <div class="transcript" role="log" aria-label="Transcript" aria-live="off" ref=${scroller}
        tabindex="0" data-older=${older ? "more" : "none"}>
        ${list.length === 0 && t.loaded.value
          ? html`<p class="empty">No messages yet. Say hello.</p>`
          : null}
        ${older ? html`<p class="older" aria-hidden="true">Loading earlier messages…</p>` : null}
        <${VirtualList} items=${list} keyOf=${keyOf} estimate=${estimate} render=${render}
          scroller=${scroller} control=${control} onFollowChange=${(/** @type {boolean} */ f) =>
            setAway(!f)} onNearTop=${() => loadOlder(sessionId)}>
          <${SessionError} t=${t} />
        </${VirtualList}>
      </div>
      ${away
        ? html`
          <button class="jump" type="button" onClick=${() => {
            control.current?.toEnd();
            scroller.current?.focus({ preventScroll: true }); // the button goes away
          }}
            aria-label="Jump to latest">
                    ↓ Latest
                  </button>
        `
        : null}
    </div>
  `;
}
