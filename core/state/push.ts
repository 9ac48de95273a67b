/**
 * What the core pushes to windows unasked: the payload of a ServerMessage with request_id 0.
 * `client` set: for that window only (what it shows is its own); absent: for every window.
 */
import type { ipc } from "../../proto/gen/ipc.js";

type Payload =
  | { events: ipc.EventBatch.$Properties }
  | { serverStatus: ipc.ServerStatus.$Properties }
  | { catalog: ipc.Catalog.$Properties }
  | { workspace: ipc.Workspace.$Properties }
  | { settings: ipc.Settings.$Properties }
  | { voiceStatus: ipc.VoiceStatus.$Properties }
  | { notice: ipc.AppNotice.$Properties }
  | { subscriptionStatus: ipc.SubscriptionStatus.$Properties }
  | { serverPanel: ipc.ServerPanel.$Properties }
  | { alert: ipc.Alert.$Properties } // core/state/notify.ts
  | { reach: ipc.Reach.$Properties } // core/bridge/reach.ts
  | { projects: ipc.ProjectsView.$Properties }; // core/state/projects.ts

export type Push = Payload & { client?: number };
