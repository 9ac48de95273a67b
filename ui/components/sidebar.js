// @ts-check
/**
 * The session history: every session of the project, newest first and grouped by day, with its
 * relative time and whether it is working; searchable by title. A click opens the session in a
 * tab (or focuses the tab that has it). Subagent sessions sit under their parent, folded.
 * Deleting asks first (delete_dialog.js).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { dayGroup, fullTime, relativeTime } from "../lib/time.js";
import { openSession } from "../state/actions.js";
import { activeSessionId } from "../state/store.js";
import { projectSessions } from "../state/projects.js";
import { ProjectSwitcher } from "./project_switcher.js";
import { isTab } from "../state/indexes.js";
import { displayTitle, needsAttention, statusOf } from "../state/sessions.js";
import { askDelete, isNarrow, query, sidebarOpen, toggleSidebar } from "../state/view.js";

/** @typedef {import("../../proto/envelope.js").ipc.Session.$Properties} Session */

/** Opens a session from the history; in a narrow window the history then gets out of the way. */
function openFromHistory(/** @type {string} */ id) {
  openSession(id);
  if (isNarrow()) toggleSidebar(false);
}

/** @param {Session} s @param {string} q */
const titleMatches = (s, q) => displayTitle(s).toLowerCase().includes(q);

/** Moves focus among the session buttons with the arrow keys. @param {KeyboardEvent} e */
function onListKeyDown(e) {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  const nav = /** @type {HTMLElement} */ (e.currentTarget);
  const items = /** @type {HTMLElement[]} */ ([...nav.querySelectorAll(".session-open")]);
  const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  if (at < 0) return;
  e.preventDefault();
  if (e.key === "ArrowUp" && at === 0) document.getElementById("session-search")?.focus();
  else {items[Math.min(items.length - 1, Math.max(0, at + (e.key === "ArrowDown" ? 1 : -1)))]
      ?.focus();}
}

/** @param {{ session: Session, children: Session[], forceOpen: boolean }} props */
function SessionItem({ session, children, forceOpen }) {
  const [expanded, setExpanded] = useState(false);
  const id = session.id ?? "";
  const title = displayTitle(session);
  const status = statusOf(id);
  const attention = needsAttention(id);
  const isOpen = isTab(id);
  const current = activeSessionId.value === id;
  const showChildren = children.length > 0 && (expanded || forceOpen);
  const when = relativeTime(session.timeUpdated ?? 0);
  return html`
    <li class="session-item" data-session-id=${id} data-current=${current ? "true" : "false"}
      data-open=${isOpen ? "true" : "false"}>
      <div class="session-row">
        <button type="button" class="session-open" aria-current=${current ? "page" : undefined}
          aria-description=${[
            when,
            status !== "idle" ? "working" : "",
            attention ? "needs you" : "",
            isOpen ? "open in a tab" : "",
          ]
            .filter(Boolean).join(", ")}
          onClick=${() => openFromHistory(id)}>
          <span class="session-title">${title}</span>
          <span class="session-meta" aria-hidden="true">
            ${attention
              ? html`<span class="badge warn">needs you</span>`
              : status !== "idle"
              ? html`<span class="busy-dot" aria-hidden="true"></span><span>working</span>`
              : null}
            <time datetime=${new Date(session.timeUpdated ?? 0).toISOString()}
              title=${fullTime(session.timeUpdated ?? 0)}>${when}</time>
            ${isOpen ? html`<span class="open-tag" title="Open in a tab">open</span>` : null}
          </span>
        </button>
        ${children.length
          ? html`
            <button type="button" class="icon-button session-children-toggle"
              aria-expanded=${showChildren ? "true" : "false"}
              aria-label=${`Subagent sessions of ${title}`} title="Subagent sessions"
              onClick=${() => setExpanded(!showChildren)}>
              <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
                <path d="M6 4l4 4-4 4" />
              </svg>
              <span aria-hidden="true">${children.length}</span>
            </button>
          `
          : null}
        <button type="button" class="icon-button session-delete" aria-label=${`Delete ${title}`}
          title="Delete…" onClick=${() => askDelete(id)}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5M7 7v4M9 7v4" />
          </svg>
        </button>
      </div>
      ${showChildren
        ? html`<ul class="session-children" aria-label=${`Subagent sessions of ${title}`}>
          ${
          children.map((c) =>
            html`<${SessionItem} key=${c.id} session=${c} children=${[]} forceOpen=${false} />`
          )
        }
        </ul>`
        : null}
    </li>
  `;
}

/** Sessions listed at first, and added each time the list is scrolled near its end. */
const LIST_STEP = 100;

export function Sidebar() {
  const [limit, setLimit] = useState(LIST_STEP);
  const more = useRef(/** @type {HTMLElement | null} */ (null));
  const q = query.value.trim().toLowerCase();
  const all = projectSessions.value; // the project on screen's
  const ids = new Set(all.map((s) => s.id));
  /** @type {Map<string, Session[]>} */
  const childrenOf = new Map();
  for (const s of all) {
    if (!s.parentId) continue;
    const list = childrenOf.get(s.parentId) ?? [];
    list.push(s);
    childrenOf.set(s.parentId, list);
  }
  // Subagent sessions whose parent is gone are not listed: they cannot be continued on their own.
  const roots = all.filter((s) => !s.parentId && s.id && ids.has(s.id));
  /** @type {{ group: string, items: { session: Session, children: Session[], childHit: boolean }[] }[]} */
  const groups = [];
  let listed = 0;
  let cut = false;
  for (const s of roots) {
    if (listed >= limit) {
      cut = true;
      break;
    }
    const children = childrenOf.get(s.id ?? "") ?? [];
    const hit = !q || titleMatches(s, q);
    const childHits = q ? children.filter((c) => titleMatches(c, q)) : [];
    if (!hit && !childHits.length) continue;
    listed++;
    const group = dayGroup(s.timeUpdated ?? 0);
    let g = groups[groups.length - 1];
    if (!g || g.group !== group) groups.push(g = { group, items: [] });
    g.items.push({
      session: s,
      children: hit ? children : childHits,
      childHit: childHits.length > 0,
    });
  }

  // Many sessions: only the first hundreds are in the DOM; more come as the list nears its end.
  useEffect(() => {
    const el = more.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setLimit((n) => n + LIST_STEP);
    }, { root: el.closest(".session-list"), rootMargin: "600px" });
    io.observe(el);
    return () => io.disconnect();
  }, [cut, limit]);

  /** @param {KeyboardEvent} e */
  const onSearchKeyDown = (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      /** @type {HTMLElement | null} */ (document.querySelector(".session-list .session-open"))
        ?.focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      const first = groups[0]?.items[0]?.session.id;
      if (first) openFromHistory(first);
    } else if (e.key === "Escape" && query.value) {
      e.preventDefault();
      e.stopPropagation();
      query.value = "";
    }
  };

  return html`
    <aside class="sidebar" id="session-sidebar" aria-label="Sessions"
      hidden=${!sidebarOpen.value}>
      <div class="sidebar-head">
        <div class="project">
          <span class="brand">OpenCode Desk</span>
          <${ProjectSwitcher} />
        </div>
      </div>
      <div class="search">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="4.5" />
          <path d="M10.5 10.5L14 14" />
        </svg>
        <input id="session-search" type="search" aria-label="Search sessions"
          placeholder="Search sessions" value=${query.value} autocomplete="off"
          spellcheck="false"
          onInput=${(/** @type {InputEvent} */ e) =>
            query.value = /** @type {HTMLInputElement} */ (e.currentTarget).value}
          onKeyDown=${onSearchKeyDown} />
      </div>
      <nav class="session-list" aria-label="Session history" onKeyDown=${onListKeyDown}>
        ${groups.map((g) =>
          html`
            <section class="session-group" key=${g.group} aria-label=${g.group}>
              <h2 class="group-title" aria-hidden="true">${g.group}</h2>
              <ul>
                ${g.items.map((it) =>
                  html`
                    <${SessionItem} key=${it.session.id} session=${it.session}
                      children=${it.children} forceOpen=${it.childHit} />
                  `
                )}
              </ul>
            </section>
          `
        )}
        ${cut ? html`<div class="session-more" ref=${more} aria-hidden="true"></div>` : null}
        ${groups.length === 0
          ? html`<p class="sidebar-empty" role="status">
            ${q ? `No session matches “${query.value.trim()}”.` : "No sessions yet."}
          </p>`
          : null}
      </nav>
    </aside>
  `;
}
