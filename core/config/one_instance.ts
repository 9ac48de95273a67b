/**
 * What a launch does when the app already runs on the same state file: hand over to it (print
 * its URL and open it, then exit), or with `--new-instance` run beside it with a state file of
 * its own (a copy), saying which. Sets `OPENCODE_DESK_STATE` for the rest of the start then.
 * @module
 */
import { join } from "node:path";
import { claimInstance, InstanceLock } from "./instance_lock.ts";
import { statePath } from "./settings.ts";

/**
 * Claims the state file for this launch and returns its lock, or returns null after handing over
 * to the running instance (the caller exits). `say` prints one line for the person.
 */
export async function claimOrHandOver(
  newInstance: boolean,
  say: (line: string) => void,
  open: (url: string) => Promise<void> = async () => {},
): Promise<InstanceLock | null> {
  const state = statePath(Deno.env.toObject());
  const claim = await claimInstance(state);
  if (claim.kind === "claimed") return claim.lock;
  if (claim.kind === "unlockable") {
    say(`opencode-desk: Cannot lock ${state}: ${claim.reason}; not checking for another instance`);
    return new InstanceLock(null);
  }
  const { pid, url } = claim.info;
  if (!newInstance) {
    say(
      `opencode-desk: the app already runs on ${state} (process ${pid}); handing over to it ` +
        "(--new-instance runs another one beside it)",
    );
    await open(url);
    say(`opencode-desk: open ${url}`);
    return null;
  }
  const scratch = await Deno.makeTempDir({ prefix: "opencode-desk-instance-" });
  const own = join(scratch, "state.json");
  try {
    await Deno.copyFile(state, own);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  Deno.env.set("OPENCODE_DESK_STATE", own);
  say(
    `opencode-desk: the app already runs on ${state} (process ${pid}); this one runs ` +
      `separately, with its own state in ${own} (removed when it exits)`,
  );
  const mine = await claimInstance(own);
  if (mine.kind === "running") throw new Error(`Cannot claim ${own}: another instance holds it`);
  return new InstanceLock(mine.kind === "claimed" ? mine.lock.path : null, scratch);
}
