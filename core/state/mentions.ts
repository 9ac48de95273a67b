/**
 * Files mentioned with `@` in the composer. The UI names them by a path relative to the project;
 * here each becomes a `file://` URL the server will read, and only after checking that the file
 * really lies inside the project directory: no absolute path, no `..` out of it, and no symlink
 * (anywhere on the way) that leads out of it. Pasted files keep their own rule (inline `data:`
 * URLs only, core/bridge/handlers.ts).
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

/** A file part for the server. */
export interface MentionFile {
  mime: string;
  filename: string;
  url: string;
}

/** A mention the core refuses: the person gets the sentence. */
export class MentionError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "MentionError";
  }
}

/** Whether `path` is `root` itself or below it (both absolute and normalised). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Checks a project-relative path and returns the file part that mentions it.
 * @throws {MentionError} when it is absolute, leads outside `projectDir`, or is not a file there
 */
export async function resolveMention(projectDir: string, path: string): Promise<MentionFile> {
  const refuse = (why: string) => new MentionError(`Cannot mention ${path || "a file"}: ${why}`);
  if (!projectDir) throw refuse("the project directory is not known yet");
  if (!path || path.includes("\0")) throw refuse("the path is empty or invalid");
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.startsWith("\\")) {
    throw refuse("only paths inside the project can be mentioned");
  }
  const root = await realDir(projectDir);
  if (!inside(root, resolve(root, path))) throw refuse("it is outside the project");
  let real: string;
  try {
    real = await Deno.realPath(resolve(root, path));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw refuse("there is no such file in the project");
    throw err;
  }
  // A symlink inside the project may point anywhere: what counts is where it leads.
  if (!inside(root, real)) throw refuse("it leads outside the project");
  const info = await Deno.stat(real);
  if (!info.isFile) throw refuse("it is not a file");
  return {
    mime: "text/plain",
    filename: relative(root, real).split(sep).join("/"),
    url: pathToFileURL(real).href,
  };
}

async function realDir(dir: string): Promise<string> {
  try {
    return await Deno.realPath(dir);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new MentionError(`Cannot mention a file: the project directory ${dir} is gone`);
    }
    throw err;
  }
}
