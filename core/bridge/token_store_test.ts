import { assert, assertEquals } from "../../tests/support/assert.ts";
import { TokenStore } from "./token_store.ts";

Deno.test("token store keeps the token next to the state file, private, until revoked", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const state = `${dir}/sub/state.json`;
    const first = await TokenStore.open(state);
    assertEquals(first.warning, null);
    assertEquals((await Deno.stat(`${dir}/sub/token`)).mode! & 0o777, 0o600);
    const again = await TokenStore.open(state);
    assertEquals(again.current, first.current, "the same token after a restart");
    const fresh = await again.revoke();
    assert(fresh !== first.current);
    assertEquals((await TokenStore.open(state)).current, fresh, "the new one is kept");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("token store replaces a token file that is not one of ours", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/token`, "short\n");
    const store = await TokenStore.open(`${dir}/state.json`);
    assertEquals(store.current.length, 43);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("token store works from memory where nothing can be written, and says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The state "directory" is a file: nothing can be written under it, even by root.
    await Deno.writeTextFile(`${dir}/file`, "");
    const store = await TokenStore.open(`${dir}/file/state.json`);
    assert(store.warning?.startsWith("Cannot save the browser token"), store.warning ?? "");
    assertEquals(store.current.length, 43, "a token for this run all the same");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
