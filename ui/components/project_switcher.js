// @ts-check
/**
 * The project switcher at the top of the history: the project on screen, and a list of the
 * others this window can show (the startup one, the server's, the recent ones) with
 * "Open folder…". Each window shows a project of its own; the core keeps which.
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { notice } from "../state/actions.js";
import { needsAttention } from "../state/sessions.js";
import { projects, sessions } from "../state/store.js";
import { project, projectName, showProject } from "../state/projects.js";
import { folderDialogOpen, OpenFolderDialog } from "./open_folder.js";

/** Sessions of a project that wait for the person. @param {string} dir @param {string} start */
function waiting(dir, start) {
  return sessions.value.filter((s) => (s.directory || start) === dir && needsAttention(s.id ?? ""))
    .length;
}

export function ProjectSwitcher() {
  const [open, setOpen] = useState(false);
  const current = project.value;
  const list = projects.value.projects ?? [];
  const start = list.find((p) => p.startup)?.directory ?? current;
  const name = projectName(current);

  /** @param {string} dir */
  const choose = async (dir) => {
    setOpen(false);
    if (dir === current) return;
    const why = await showProject(dir);
    if (why) notice.value = why;
  };
  return html`
    <div class="project-switcher" onKeyDown=${(/** @type {KeyboardEvent} */ e) => {
      if (e.key !== "Escape" || !open) return;
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      /** @type {HTMLElement | null} */ (document.querySelector(".project-button"))?.focus();
    }}>
      <button type="button" class="project-button" aria-expanded=${open ? "true" : "false"}
        aria-controls=${open
          ? "project-list"
          : undefined} aria-label=${`Project: ${name}`} title=${current}
        onClick=${() => setOpen(!open)}>
        <span class="project-name">${name}</span>
        <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
          <path d="M4 6l4 4 4-4" />
        </svg>
      </button>
      ${open
        ? html`
          <ul id="project-list" class="project-list" aria-label="Projects">
            ${list.map((p) => {
              const dir = p.directory ?? "";
              const n = dir === current ? 0 : waiting(dir, start);
              return html`
                <li key=${dir}>
                  <button type="button" class="project-choice" title=${dir}
                    aria-current=${dir === current ? "true" : undefined}
                    aria-description=${n ? `${n} waiting for you` : undefined}
                    onClick=${() => choose(dir)}>
                    <span class="project-choice-name">${p.name}</span>
                    ${n ? html`<span class="badge warn" aria-hidden="true">${n}</span>` : null}
                    <span class="project-choice-path">${dir}</span>
                  </button>
                </li>
              `;
            })}
            <li>
              <button type="button" class="project-open-folder" onClick=${() => {
                setOpen(false);
                folderDialogOpen.value = true;
              }}>Open folder…</button>
            </li>
          </ul>
        `
        : null}
      <${OpenFolderDialog} />
    </div>
  `;
}
