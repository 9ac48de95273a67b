/**
 * The voice requests of the UI (VoiceStart, VoiceChunk, VoiceStop, VoiceCancel, GetVoiceStatus,
 * VoiceModelAction): one function from the decoded message to the reply, called by
 * core/bridge/handlers.ts.
 */
import type { ipc } from "../../proto/envelope.js";
import type { VoiceService } from "./voice_service.ts";

type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

/** The payload cases handled here. */
export type VoicePayload =
  | "voiceStart"
  | "voiceChunk"
  | "voiceStop"
  | "voiceCancel"
  | "getVoiceStatus"
  | "voiceModelAction";

/** Handles one voice request; `voice` is undefined when the app runs without voice input. */
export async function handleVoice(
  voice: VoiceService | undefined,
  msg: ipc.ClientMessage,
  payload: VoicePayload,
): Promise<Reply> {
  if (!voice) throw new Error("Cannot use voice input: it is not enabled in this app");
  switch (payload) {
    case "voiceStart":
      voice.start(msg.voiceStart!.utteranceId ?? "", msg.voiceStart!.sampleRate ?? 0);
      return { ack: {} };
    case "voiceChunk": {
      const c = msg.voiceChunk!;
      voice.chunk(c.utteranceId ?? "", c.seq ?? 0, c.pcm ?? new Uint8Array());
      return { ack: {} };
    }
    case "voiceStop":
      return { voiceTranscript: await voice.stop(msg.voiceStop!.utteranceId ?? "") };
    case "voiceCancel":
      voice.cancel(msg.voiceCancel!.utteranceId ?? "");
      return { ack: {} };
    case "getVoiceStatus":
      return { voiceStatus: await voice.status() };
    case "voiceModelAction": {
      const a = msg.voiceModelAction!;
      return { voiceStatus: await voice.modelAction(a.modelId ?? "", a.action ?? "") };
    }
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown voice payload ${unknown}`);
    }
  }
}
