/**
 * Claims the instance lock next to the state file named by the first argument and prints the
 * claim's kind: run by instance_lock_test.ts inside a read-only mount.
 */
import { claimInstance } from "../instance_lock.ts";

const claim = await claimInstance(Deno.args[0]);
console.log(claim.kind);
