/**
 * Requests about models and credentials (proto `[models]` block): the subscription's status and
 * its Refresh, and the server's own OAuth sign-in flows. Tokens never go into a reply.
 */
import type { ipc } from "../../proto/envelope.js";
import { authMethods, authorize, finishOAuth } from "../opencode/anthropic_auth.ts";
import type { Store } from "../state/store.ts";
import type { Reply } from "./handlers.ts";

export type ModelsPayload = "getSubscription" | "getProviderAuth" | "startOauth" | "finishOauth";

function providerOf(id: string | null | undefined): string {
  if (!id || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
    throw new TypeError("Cannot sign in: provider_id is missing or invalid");
  }
  return id;
}

/** Answers one `[models]` request. */
export async function handleModels(
  store: Store,
  msg: ipc.ClientMessage,
  payload: ModelsPayload,
): Promise<Reply> {
  const client = store.sessions.client;
  switch (payload) {
    case "getSubscription":
      return {
        subscriptionStatus: msg.getSubscription?.reread
          ? await store.subscription.reread()
          : store.subscription.status(),
      };
    case "getProviderAuth": {
      const want = msg.getProviderAuth?.providerId ?? "";
      const all = await authMethods(client);
      return {
        providerAuth: {
          providers: [...all].filter(([id]) => !want || id === want)
            .map(([providerId, methods]) => ({ providerId, methods })),
        },
      };
    }
    case "startOauth": {
      const s = msg.startOauth!;
      return {
        oauthAuthorization: await authorize(client, providerOf(s.providerId), s.method ?? 0),
      };
    }
    case "finishOauth": {
      const f = msg.finishOauth!;
      await finishOAuth(client, providerOf(f.providerId), f.method ?? 0, f.code ?? "");
      // The server stored the tokens; re-read them and let sessions use them.
      await store.sessions.refreshCatalog();
      return { subscriptionStatus: await store.subscription.reread() };
    }
  }
}
