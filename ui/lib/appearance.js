// @ts-check
/**
 * Applies the appearance settings to the page: the theme (light, dark, or the desktop's choice,
 * followed live), the matching highlight.js colours, the text size and the chat density. The CSS
 * reads `data-theme`, `data-text-size` and `data-density` on the root element.
 */
import { effect, signal } from "@preact/signals";
import { settings } from "../state/store.js";
import { Density, TextSize, Theme } from "../state/words.js";

const darkQuery = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
const systemDark = signal(!!darkQuery?.matches);
darkQuery?.addEventListener("change", (e) => (systemDark.value = e.matches));

/** Starts following the settings; returns a function that stops. */
export function followAppearance() {
  return effect(() => {
    const s = settings.value;
    const chosen = Theme.word(s.theme);
    const theme = chosen === "light" || chosen === "dark"
      ? chosen
      : systemDark.value
      ? "dark"
      : "light";
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.dataset.textSize = TextSize.word(s.textSize);
    root.dataset.density = Density.word(s.density);
    for (const link of document.querySelectorAll("link[data-hljs]")) {
      /** @type {HTMLLinkElement} */ (link).media = link.getAttribute("data-hljs") === theme
        ? "all"
        : "not all";
    }
  });
}
