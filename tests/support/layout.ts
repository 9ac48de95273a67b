/**
 * Layout checks a phone needs, measured in the page: nothing wider than the screen, and targets
 * a finger can hit.
 */
import type { Locator, Page } from "playwright-core";

/**
 * Elements that stick out of the viewport sideways (the page itself, or any visible element not
 * clipped by a scrolling or clipping ancestor), described for a failure message.
 */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return await page.evaluate(`(() => {
    const width = innerWidth;
    const out = [];
    const doc = document.scrollingElement;
    if (doc.scrollWidth > width) out.push("page scrollWidth " + doc.scrollWidth + " > " + width);
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== "visible" || s.clip !== "auto" && s.position === "absolute") return a;
      }
      return null;
    };
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(el);
      if (s.visibility === "hidden" || el.closest(".visually-hidden, [hidden], dialog:not([open])")) continue;
      if (r.left >= -1 && r.right <= width + 1) continue;
      const box = clipped(el);
      if (box) {
        const b = box.getBoundingClientRect();
        if (b.left >= -1 && b.right <= width + 1) continue;
      }
      out.push(el.tagName.toLowerCase() + "." + [...el.classList].join(".") +
        " [" + Math.round(r.left) + ", " + Math.round(r.right) + "]");
    }
    return out.slice(0, 10);
  })()`) as string[];
}

/** The size of each control that is smaller than 44 × 44 CSS px, for a failure message. */
export async function smallTargets(controls: Record<string, Locator>): Promise<string[]> {
  const small: string[] = [];
  for (const [name, loc] of Object.entries(controls)) {
    const box = await loc.boundingBox();
    if (!box) small.push(`${name}: not visible`);
    else if (box.width < 44 || box.height < 44) {
      small.push(`${name}: ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}
