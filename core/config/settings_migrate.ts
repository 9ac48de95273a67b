/**
 * The versions of the state file and the steps between them. Each step takes the parsed JSON of
 * one version to the next, without judging its fields (`settings.ts` cleans those), so a file of
 * any older version reads as the current one.
 *
 * - Version 1 (and files without a version): `projects[dir].workspace = { tabs, activeSessionId }`.
 * - Version 2: `projects[dir] = { tabs, shownSessionId }`, named as the protocol names them
 *   (`Workspace.shown_session_id`). Settings are unchanged; enums stay words.
 */

/** The version this app writes. */
export const FILE_VERSION = 2;

/** A parsed file in the current shape; its fields are not checked yet. */
export interface RawFile {
  version: typeof FILE_VERSION;
  settings?: unknown;
  projects: Record<string, unknown>;
}

/** What {@linkcode migrate} found: the file in the current shape and the version it had. */
export interface Migrated {
  file: RawFile;
  /** The version the file was written in; above {@linkcode FILE_VERSION}: a newer app wrote it. */
  from: number;
}

function objectOr(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

/** Version 1 → 2: a project's tabs move up from `workspace`, `activeSessionId` becomes `shownSessionId`. */
function v1ToV2(raw: Record<string, unknown>): RawFile {
  const projects: RawFile["projects"] = {};
  for (const [dir, p] of Object.entries(objectOr(raw.projects))) {
    const w = objectOr(objectOr(p).workspace);
    projects[dir] = { tabs: w.tabs, shownSessionId: w.activeSessionId };
  }
  return { version: 2, settings: raw.settings, projects };
}

/**
 * Brings a parsed state file to the current shape. A file without `version` is version 1; a
 * newer version is read as the current one (what it added is dropped, so the caller keeps a copy).
 * Throws `SyntaxError` when it is not an object or its version is not a whole number from 1 up.
 */
export function migrate(raw: unknown): Migrated {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SyntaxError("Cannot read the state file: it is not a JSON object");
  }
  const r = raw as Record<string, unknown>;
  const from = r.version ?? 1;
  if (typeof from !== "number" || !Number.isInteger(from) || from < 1) {
    throw new SyntaxError(`Cannot read the state file: version ${JSON.stringify(from)} is unknown`);
  }
  if (from === 1) return { file: v1ToV2(r), from };
  return {
    file: { version: FILE_VERSION, settings: r.settings, projects: objectOr(r.projects) },
    from,
  };
}
