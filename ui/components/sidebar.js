// @ts-check
/**
 * The session history: the project's sessions, newest first and grouped by day, with their
 * relative time and whether they are working. The core sends the list in pages; reaching its end
 * asks for older ones (ui/state/session_list.js). The search box asks the server, so it finds
 * sessions not loaded yet. A click opens the session in a tab (or focuses the tab that has it).
 * Subagent sessions sit under their parent, folded. Deleting asks first (delete_dialog.js).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { dayGroup, fullTime, relativeTime } from "../lib/time.js";
import { newSession, openSession } from "../state/actions.js";
import { activeSessionId } from "../state/store.js";
import { project, projectSessions } from "../state/projects.js";
import { ProjectSwitcher } from "./project_switcher.js";
import { isTab } from "../state/indexes.js";
import { displayTitle, needsAttention, statusOf } from "../state/sessions.js";
import { askDelete, isNarrow, query, sidebarOpen, toggleSidebar } from "../state/view.js";
import {
  inRange,
  listError,
  listStateOf,
  loadingMore,
  loadMoreSessions,
  matches,
  searching,
  searchSessions,
} from "../state/session_list.js";

/** @typedef {import("../../proto/envelope.js").ipc.Session.$Properties} Session */

/** Opens a session from the history; in a narrow window the history then gets out of the way. */
function openFromHistory(/** @type {string} */ id) {
  openSession(id);
  if (isNarrow()) toggleSidebar(false);
}

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

/**
 * What the history lists: without a search, the root sessions of the range the core holds (a
 * subagent session sits under its parent; one whose parent is gone is not listed: it cannot be
 * continued on its own); with one, the server's matches.
 * @param {string} q
 * @returns {{ session: Session, children: Session[] }[]}
 */
function listedSessions(q) {
  const all = projectSessions.value; // the project on screen's
  if (q) {
    // A match the windows also hold is shown as it is now (title, status).
    const held = new Map(all.map((s) => [s.id, s]));
    return (matches.value?.sessions ?? []).map((s) => ({
      session: held.get(s.id) ?? s,
      children: [],
    }));
  }
  /** @type {Map<string, Session[]>} */
  const childrenOf = new Map();
  for (const s of all) {
    if (!s.parentId) continue;
    const list = childrenOf.get(s.parentId) ?? [];
    list.push(s);
    childrenOf.set(s.parentId, list);
  }
  return all.filter((s) => !s.parentId && s.id && inRange(s, project.value))
    .map((session) => ({ session, children: childrenOf.get(session.id ?? "") ?? [] }));
}

/** The end of the list: older sessions are read when it comes into view, or on a click. */
function LoadMoreRow() {
  const row = useRef(/** @type {HTMLElement | null} */ (null));
  useEffect(() => {
    const el = row.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMoreSessions(project.peek());
    }, { root: el.closest(".session-list"), rootMargin: "400px" });
    io.observe(el);
    return () => io.disconnect();
  }, [listStateOf(project.value).until, project.value]);
  return html`
    <div class="session-load-more" ref=${row}>
      ${loadingMore.value ? html`<p class="sidebar-empty" role="status">Loading more…</p>` : html`
        <button type="button" class="session-load-button"
          onClick=${() => loadMoreSessions(project.peek())}>Load older sessions</button>
      `}
    </div>
  `;
}

/** The history's line when it lists nothing (or could not read the list). @param {{ q: string }} props */
function EmptyLine({ q }) {
  const text = listError.value
    ? listError.value
    : q && searching.value
    ? "Searching…"
    : q
    ? `No session matches “${query.value.trim()}”.`
    : "No sessions yet.";
  if (q || listError.value) return html`<p class="sidebar-empty" role="status">${text}</p>`;
  // An empty project (one just opened, say): start its first session from here.
  return html`
    <div class="sidebar-empty-start">
      <p class="sidebar-empty" role="status">${text}</p>
      <button type="button" class="session-load-button"
        onClick=${async () => {
          if (await newSession() && isNarrow()) toggleSidebar(false);
        }}>Start a session here</button>
    </div>
  `;
}

export function Sidebar() {
  const [limit, setLimit] = useState(LIST_STEP);
  const more = useRef(/** @type {HTMLElement | null} */ (null));
  const q = query.value.trim().toLowerCase();
  const found = listedSessions(q);
  const shown = project.value;
  // Another project on screen: a search shown is asked again of its list.
  useEffect(() => {
    if (query.peek().trim()) searchSessions(query.peek(), shown);
  }, [shown]);
  /** @type {{ group: string, items: { session: Session, children: Session[] }[] }[]} */
  const groups = [];
  const cut = found.length > limit;
  for (const it of found.slice(0, limit)) {
    const group = dayGroup(it.session.timeUpdated ?? 0);
    let g = groups[groups.length - 1];
    if (!g || g.group !== group) groups.push(g = { group, items: [] });
    g.items.push(it);
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
      searchSessions("");
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
          onInput=${(/** @type {InputEvent} */ e) => {
            query.value = /** @type {HTMLInputElement} */ (e.currentTarget).value;
            searchSessions(query.value, project.peek());
          }}
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
                      children=${it.children} forceOpen=${false} />
                  `
                )}
              </ul>
            </section>
          `
        )}
        ${cut ? html`<div class="session-more" ref=${more} aria-hidden="true"></div>` : null}
        ${!cut && !q && listStateOf(project.value).more ? html`<${LoadMoreRow} />` : null}
        ${q && matches.value?.more && !cut
          ? html`<p class="sidebar-empty">More sessions match: type more of the title.</p>`
          : null}
        ${groups.length === 0 || listError.value ? html`<${EmptyLine} q=${q} />` : null}
      </nav>
    </aside>
  `;
}
