// @ts-check
/**
 * A request from the agent takes keyboard focus when it appears, unless the person is typing
 * somewhere: their keys must not answer it by accident.
 */
import { useEffect, useRef } from "preact/hooks";

/** A printable key this recently means the person is typing: focus is not taken from them. */
const TYPING_MS = 1500;
let lastTyped = 0;
if (typeof document !== "undefined") {
  document.addEventListener("keydown", (e) => {
    // Enter sent what was typed: a request may take focus from the now empty field.
    if (e.key === "Enter") lastTyped = 0;
    else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) lastTyped = performance.now();
  }, true);
}

/** Whether the person is in the middle of typing into a field. */
function typing() {
  const el = document.activeElement;
  if (!(el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement)) {
    return el instanceof HTMLElement && el.isContentEditable;
  }
  if (el instanceof HTMLInputElement && el.type !== "text") return false;
  return el.value !== "" || performance.now() - lastTyped < TYPING_MS;
}

/**
 * Focuses `ref` once, when it appears, if `wanted()` says so (checked then) and nobody is
 * typing. Returns when that happened (0: never), for a key guard.
 * @param {{ current: HTMLElement | null }} ref
 * @param {() => boolean} wanted
 * @param {string} [inside] a selector: focus the first such element in `ref` instead
 */
export function useAutoFocus(ref, wanted, inside = "") {
  const at = useRef(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || !wanted() || typing()) return;
    const target = inside ? el.querySelector(inside) : el;
    (target instanceof HTMLElement ? target : el).focus();
    at.current = performance.now();
  }, []);
  return at;
}
