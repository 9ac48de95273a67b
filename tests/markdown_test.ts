/**
 * The rich transcript end to end: the real OpenCode server with the fake model saying exactly
 * what each test needs, `main.ts --headless`, and Chromium. Markdown and highlighted code,
 * hostile model output that must run nothing, streaming that leaves finished blocks alone,
 * reasoning that folds away, usage figures equal to the server's, and the retry countdown.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser, newSession, watchErrors } from "./support/browser.ts";
import type { BrowserContext, Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 5 });
const stateDir = await Deno.makeTempDir({ prefix: "markdown-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const context: BrowserContext = await browser.newContext({
  permissions: ["clipboard-read", "clipboard-write"],
});

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };
const SCREENSHOTS = Deno.env.get("MARKDOWN_SCREENSHOTS"); // a directory, to look at the result

/** Light and dark screenshots, when MARKDOWN_SCREENSHOTS names a directory. */
async function screenshots(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.setViewportSize({ width: 1000, height: 900 });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: null });
}

interface Watched {
  page: Page;
  errors: string[];
  /** What hostile payloads managed to run, and what the page tried to load that it should not. */
  pwned: string[];
  dialogs: string[];
  requests: string[];
}

/**
 * A page with tripwires installed before any model output renders: `__pwned()` (exposed, so
 * it also works as `window.top.__pwned()`), dialogs, CSP violations, and every request made.
 */
async function openPage(): Promise<Watched> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const pwned: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  await page.exposeFunction("__pwned", (what: unknown) => pwned.push(String(what)));
  await page.addInitScript(`document.addEventListener("securitypolicyviolation", (e) =>
    window.__pwned("csp " + e.violatedDirective + " " + e.blockedURI));`);
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on("request", (r) => requests.push(r.url()));
  page.on("popup", (p) => pwned.push(`popup ${p.url()}`));
  await page.goto(app.url);
  await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
  return { page, errors, pwned, dialogs, requests };
}

/** A page function from its source (this file is type-checked without the DOM library). */
// deno-lint-ignore no-explicit-any
function pageFn(source: string): (arg: any) => any {
  return new Function(`return (${source});`)();
}

async function prompt(page: Page, text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

interface StoredMessage {
  info: {
    id: string;
    role: string;
    parentID?: string;
    cost?: number;
    time: { completed?: number };
    tokens?: {
      input: number;
      output: number;
      reasoning: number;
      cache: { read: number; write: number };
    };
  };
  parts: { type: string; text?: string }[];
}

async function stored(sessionId: string): Promise<StoredMessage[]> {
  const res = await fetch(`${oc.url}/session/${sessionId}/message`);
  return await res.json() as StoredMessage[];
}

/** Waits until the session's last assistant message is complete on the server and on screen. */
async function settled(page: Page, sessionId: string): Promise<StoredMessage[]> {
  const msgs = await waitFor(
    async () => {
      const all = await stored(sessionId);
      const last = all.at(-1);
      return last?.info.role === "assistant" && last.info.time.completed ? all : null;
    },
    "the reply to complete on the server",
    30_000,
  );
  await page.locator(".turn-footer").last().waitFor({ timeout: 20_000 });
  return msgs;
}

const lastAssistant = (page: Page) => page.locator('article[data-role="assistant"]').last();

const RICH = [
  "# Release notes",
  "",
  "Some **bold words**, *emphasis* and `inline code` here.",
  "",
  "- first item",
  "- second item",
  "",
  "1. one",
  "2. two",
  "",
  "```ts",
  "const answer: number = 42;",
  "function greet(name: string): string {",
  "  return `hi ${name}`;",
  "}",
  `const long = "${"x".repeat(400)}";`,
  "```",
  "",
  "See [the docs](https://example.com/docs) and this table:",
  "",
  "| key | value |",
  "|-----|------:|",
  "| a   | 1     |",
  "| b   | 2     |",
].join("\n");
const RICH_CODE = RICH.split("```ts\n")[1].split("\n```")[0];

Deno.test({
  name: "markdown: a reply renders headings, lists, emphasis, links, tables and highlighted code",
  ...opts,
  fn: async () => {
    const w = await openPage();
    const { page } = w;
    const sessionId = await newSession(page);
    oc.model.enqueue({ text: RICH });
    await prompt(page, "Show me **not bold** and <b>not html</b> please");
    await settled(page, sessionId);
    const reply = lastAssistant(page);
    await reply.getByRole("heading", { level: 1, name: "Release notes" }).waitFor();
    assertEquals(await reply.locator("strong").textContent(), "bold words");
    assertEquals(await reply.locator("em").textContent(), "emphasis");
    assertEquals(await reply.locator("p > code").textContent(), "inline code");
    assertEquals(await reply.getByRole("listitem").count(), 4);
    assertEquals(await reply.getByRole("list").count(), 2);

    // The code block: label, Copy button, highlight.js classes, the code exactly as written.
    const block = reply.locator(".md-code");
    assertEquals(await block.count(), 1);
    assertEquals(await block.locator(".md-code-lang").textContent(), "ts");
    const code = block.locator("pre code");
    assertMatch(await code.getAttribute("class") ?? "", /\bhljs\b.*\blanguage-ts\b/);
    assert(
      await code.locator("span.hljs-keyword", { hasText: "const" }).count() >= 2,
      "keywords are highlighted",
    );
    assert(await code.locator("span.hljs-string").count() >= 1, "strings are highlighted");
    assertEquals(await code.textContent(), RICH_CODE);
    // Long lines scroll sideways inside the block; they do not wrap.
    const pre = await block.locator("pre").evaluate(pageFn(`(el) => ({
      whiteSpace: getComputedStyle(el).whiteSpace,
      overflowX: getComputedStyle(el).overflowX,
      scrolls: el.scrollWidth > el.clientWidth + 100,
      lines: Math.round(el.querySelector("code").getBoundingClientRect().height /
        parseFloat(getComputedStyle(el.querySelector("code")).lineHeight)),
    })`)) as { whiteSpace: string; overflowX: string; scrolls: boolean; lines: number };
    assertEquals(pre, { whiteSpace: "pre", overflowX: "auto", scrolls: true, lines: 5 });

    // Copy puts exactly the code on the clipboard and says so.
    const copy = block.getByRole("button", { name: "Copy code" });
    await copy.click();
    await block.getByText("Copied").waitFor();
    assertEquals(await page.evaluate("navigator.clipboard.readText()"), RICH_CODE);
    await copy.focus();
    assertEquals(
      await page.evaluate("document.activeElement.getAttribute('aria-label')"),
      "Copy code",
    );

    // Links open outside the app, without handing over the opener or the referrer.
    const link = reply.getByRole("link", { name: "the docs" });
    assertEquals(await link.getAttribute("href"), "https://example.com/docs");
    assertEquals(await link.getAttribute("target"), "_blank");
    assertEquals(await link.getAttribute("rel"), "noopener noreferrer");
    const table = reply.getByRole("table");
    assertEquals(await table.getByRole("cell").count(), 4);
    assertEquals(await table.getByRole("cell", { name: "2" }).getAttribute("align"), "right");

    // The person's own message stays plain text: no markdown, no HTML.
    const mine = page.locator('article[data-role="user"]').last();
    await mine.getByText("Show me **not bold** and <b>not html</b> please").waitFor();
    assertEquals(await mine.locator("strong, b").count(), 0);

    await screenshots(page, "markdown");
    assertEquals(w.errors, [], "page errors");
    await page.close();
  },
});

/** Model output that would run something, load something or look like something if trusted. */
const HOSTILE: string[] = [
  `<script>window.top.__pwned("script")</script>`,
  `<img src=x onerror="window.top.__pwned('img-onerror')">`,
  `[click me](javascript:window.top.__pwned('js-link'))`,
  `[tab link](jav&#x09;ascript:window.top.__pwned('entity-tab'))`,
  `<a href="jav&#x09;ascript:window.top.__pwned('raw-entity-tab')">raw tab link</a>`,
  `<svg onload="window.top.__pwned('svg-onload')"><circle r="10"/></svg>`,
  `<iframe src="javascript:window.top.__pwned('iframe')"></iframe>`,
  `<iframe srcdoc="<script>parent.__pwned('srcdoc')</script>"></iframe>`,
  `[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZCgnZGF0YScpPC9zY3JpcHQ+)`,
  `<object data="data:text/html,<script>parent.__pwned('object')</script>"></object>`,
  `<embed src="javascript:window.top.__pwned('embed')">`,
  `<form action="/pwned-form"><input type="submit" value="go"></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.top.__pwned('meta')">`,
  `<style>body{background:url('/pwned-style')}</style>`,
  `<div style="background-image:url(/pwned-inline-style);width:expression(__pwned('expr'))">styled</div>`,
  `![remote image](https://evil.example/pwned.png)`,
  `![js image](javascript:window.top.__pwned('img-js'))`,
  `<noscript><p title="</noscript><img src=x onerror=window.top.__pwned('mxss-noscript')>"></noscript>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=window.top.__pwned('mxss-math')>`,
  `<details open ontoggle="window.top.__pwned('details')">x</details>`,
  `<input autofocus onfocus="window.top.__pwned('autofocus')">`,
  `<video><source onerror="window.top.__pwned('video')"></video>`,
  `<link rel="stylesheet" href="/pwned-link-css">`,
  `<base href="https://evil.example/">`,
  `<a href="#" onclick="window.top.__pwned('onclick')" onmouseover="window.top.__pwned('hover')">hover me</a>`,
  `[ref link][evil]\n\n[evil]: javascript:window.top.__pwned('ref')`,
  `<javascript:window.top.__pwned('autolink')>`,
  `[titled](https://ok.example/ "x\\" onmouseover=\\"window.top.__pwned('title')")`,
  `<template><script>__pwned('template')</script></template>`,
  "```\" onmouseover=\"window.top.__pwned('fence-lang')\nlang payload\n```",
  "```html\n<script>window.top.__pwned('fenced')</script>\n<img src=x onerror=window.top.__pwned('fenced-img')>\n```",
  `**never closed <img src=x onerror=window.top.__pwned('unterminated')> [half](javascript:window.top.__pwned('half')`,
  "```js\nwindow.top.__pwned('unterminated-fence')\n<script>window.top.__pwned('unterminated-fence-script')</script>",
];

Deno.test({
  name: "markdown: hostile model output runs nothing, loads nothing and stays readable",
  ...opts,
  fn: async () => {
    assert(HOSTILE.length >= 20, "at least 20 payloads");
    const w = await openPage();
    const { page } = w;
    const sessionId = await newSession(page);
    oc.model.enqueue({ text: HOSTILE.join("\n\n"), delayMs: 2 });
    await prompt(page, "say something nasty");
    await settled(page, sessionId);
    const reply = lastAssistant(page);
    // Give anything that was going to fire (onerror, onload, refresh, autofocus) time to.
    await reply.hover();
    await page.mouse.move(5, 5);
    await page.waitForTimeout(1500);
    // The tripwires: nothing ran, nothing was blocked by the CSP (nothing even tried).
    assertEquals(w.pwned, [], "payloads that ran or tried to load");
    assertEquals(w.dialogs, [], "dialogs");
    const origin = new URL(app.url).origin;
    const bad = w.requests.filter((u) =>
      !u.startsWith(origin) || /pwned|evil/.test(u) || u.startsWith("data:")
    );
    assertEquals(bad, [], "unexpected requests");

    // Nothing dangerous is in the DOM at all.
    const found = await reply.evaluate(pageFn(`(root) => {
      const out = [];
      for (const el of root.querySelectorAll("*")) {
        const tag = el.tagName.toLowerCase();
        if (["script", "iframe", "object", "embed", "form", "input", "meta", "style", "link",
          "base", "svg", "math", "video", "source", "template", "noscript", "details"].includes(tag)) {
          out.push("tag " + tag);
        }
        for (const a of el.attributes) {
          if (/^on/i.test(a.name) || a.name === "style" || a.name === "srcdoc") out.push(tag + " " + a.name);
          if (/^(href|src|action|data)$/.test(a.name) && !/^(https?:|mailto:)/i.test(a.value)) {
            out.push(tag + " " + a.name + "=" + a.value);
          }
        }
      }
      return out;
    }`)) as string[];
    assertEquals(found, [], "dangerous elements or attributes");
    const hrefs = await reply.locator("a").evaluateAll(pageFn(`(as) => as.map((a) => a.href)`));
    assertEquals(
      (hrefs as string[]).sort(),
      ["https://evil.example/pwned.png", "https://ok.example/"],
      "the only links: the remote image (as a link) and the titled https link",
    );
    assertEquals(await reply.locator("img").count(), 0, "no remote image is loaded");

    // And it all stays readable as text.
    const text = await reply.textContent() ?? "";
    for (
      const literal of [
        `<script>window.top.__pwned("script")</script>`,
        `<img src=x onerror="window.top.__pwned('img-onerror')">`,
        `<svg onload="window.top.__pwned('svg-onload')">`,
        `<iframe srcdoc="<script>parent.__pwned('srcdoc')</script>"></iframe>`,
        `<style>body{background:url('/pwned-style')}</style>`,
        "click me",
        "Image: remote image",
      ]
    ) assert(text.includes(literal), `visible as text: ${literal}`);
    const fenced = reply.locator(".md-code", {
      has: page.locator(".md-code-lang", { hasText: "html" }),
    });
    assertEquals(
      await fenced.locator("pre code").textContent(),
      "<script>window.top.__pwned('fenced')</script>\n<img src=x onerror=window.top.__pwned('fenced-img')>",
    );
    const open = reply.locator(".md-code").last();
    assertMatch(await open.locator("pre code").textContent() ?? "", /unterminated-fence-script/);
    await screenshots(page, "hostile");
    assertEquals(w.errors, [], "page errors");
    await page.close();
  },
});

Deno.test({
  name: "markdown: streaming re-renders only the open block; finished blocks keep their nodes",
  ...opts,
  fn: async () => {
    const w = await openPage();
    const { page } = w;
    const sessionId = await newSession(page);
    const para = (n: number) =>
      Array.from({ length: 10 }, (_, i) => `p${n}w${i}${i === 9 ? "." : ""} `);
    const code = Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};\n`);
    const tokens = [
      "## ",
      "Streaming ",
      "title\n\n",
      ...para(1),
      "\n\n",
      ...para(2),
      "\n\n",
      "- item ",
      "one\n",
      "- item ",
      "two\n\n",
      "```ts\n",
      ...code,
      "```\n\n",
      ...para(3),
    ];
    oc.model.enqueue({ tokens, delayMs: 30 });
    // Watch the reply as it streams: a fence is never shown as raw text, and while open its
    // code already sits in a (not yet highlighted) code block.
    await page.evaluate(`(() => {
      const seen = globalThis.__stream = { rawFence: [], openCode: 0, highlightedOpen: 0 };
      new MutationObserver(() => {
        const all = document.querySelectorAll('article[data-role="assistant"] .part.text');
        const md = all[all.length - 1];
        if (!md) return;
        for (const p of md.querySelectorAll(".md-block > p")) {
          if (p.textContent.includes("\\u0060\\u0060\\u0060")) seen.rawFence.push(p.textContent);
        }
        const code = md.querySelector(".md-code pre code");
        if (code && !md.textContent.includes("p3w0")) {
          seen.openCode++;
          if (code.querySelector(".hljs-keyword") && !code.textContent.includes("v39")) {
            seen.highlightedOpen++;
          }
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    })()`);
    await prompt(page, "stream some markdown");
    const reply = lastAssistant(page);
    // Once the code block is streaming, the heading, both paragraphs and the list are finished:
    // mark their nodes.
    await reply.locator(".md-code pre code", { hasText: "const v2 =" }).waitFor({
      timeout: 20_000,
    });
    const marked = await reply.evaluate(pageFn(`(root) => {
      const md = root.querySelector(".part.text .markdown");
      const blocks = [...md.querySelectorAll(":scope > .md-block")];
      const done = blocks.filter((b) => !b.querySelector(".md-code"));
      for (const b of done) {
        b.__mark = true;
        b.firstElementChild.__mark = true;
      }
      globalThis.__marked = done;
      return { renders: Number(md.dataset.blockRenders), kinds: done.map((b) => b.firstElementChild.tagName) };
    }`)) as { renders: number; kinds: string[] };
    assertEquals(marked.kinds, ["H2", "P", "P", "UL"]);
    await reply.getByText("p3w9.").waitFor({ timeout: 30_000 });
    await settled(page, sessionId);
    const after = await reply.evaluate(pageFn(`(root) => {
      const md = root.querySelector(".part.text .markdown");
      const blocks = [...md.querySelectorAll(":scope > .md-block")];
      return {
        survived: globalThis.__marked.every((b) => b.isConnected && b.__mark && b.firstElementChild.__mark),
        sameFirst: blocks.slice(0, 4).every((b, i) => b === globalThis.__marked[i]),
        renders: Number(md.dataset.blockRenders),
        blocks: blocks.length,
        highlighted: md.querySelectorAll(".md-code .hljs-keyword").length,
      };
    }`)) as {
      survived: boolean;
      sameFirst: boolean;
      renders: number;
      blocks: number;
      highlighted: number;
    };
    assert(after.survived, "finished blocks kept their DOM nodes while later tokens arrived");
    assert(after.sameFirst, "and they are still the first blocks, in order");
    assertEquals(after.blocks, 6);
    assert(after.highlighted >= 40, `code highlighted once complete: ${after.highlighted}`);
    // Renders: about one per batch for the open block, plus one as a block closes or gets
    // highlighted; never one per finished block per token.
    assert(
      after.renders <= tokens.length + 2 * after.blocks,
      `block renders ${after.renders} for ${tokens.length} tokens`,
    );
    const seen = await page.evaluate("globalThis.__stream") as {
      rawFence: string[];
      openCode: number;
      highlightedOpen: number;
    };
    assertEquals(seen.rawFence, [], "an open fence never shows as raw text");
    assert(seen.openCode > 5, `the open code block was seen streaming (${seen.openCode})`);
    assertEquals(seen.highlightedOpen, 0, "code is highlighted only once complete");
    const text = await reply.locator(".md-code pre code").textContent();
    assertEquals(text, code.join("").trimEnd());
    console.log(
      `  streamed ${tokens.length} tokens: ${after.renders} block renders, ${after.blocks} blocks`,
    );
    assertEquals(w.errors, [], "page errors");
    await page.close();
  },
});

Deno.test({
  name: "markdown: reasoning is open while it streams, folds when the reply ends, obeys the person",
  ...opts,
  fn: async () => {
    const w = await openPage();
    const { page } = w;
    const sessionId = await newSession(page);
    const reasoning = Array.from({ length: 80 }, (_, i) => `thought${i}`).join(" ");
    oc.model.enqueue({ reasoning, text: "The **answer** is 42.", delayMs: 50 });
    await prompt(page, "think about it");
    const details = lastAssistant(page).locator("details.part.reasoning");
    await details.getByText("thought3").waitFor({ timeout: 20_000 });
    assertEquals(await details.evaluate(pageFn("(d) => d.open")), true, "open while streaming");
    const summary = details.locator("summary");
    assertEquals((await summary.textContent())?.trim().startsWith("Thinking"), true);
    await settled(page, sessionId);
    await lastAssistant(page).locator("strong", { hasText: "answer" }).waitFor();
    await waitFor(
      async () => !(await details.evaluate(pageFn("(d) => d.open"))),
      "folded after the reply",
    );
    assertMatch(await summary.textContent() ?? "", /^Thinking · \d+(\.\d)? s$/);
    // Its text is all there when opened.
    await summary.click();
    await details.getByText("thought79").waitFor();

    // The person's choice wins: closed and reopened while streaming, it stays open at the end.
    const ideas = Array.from({ length: 80 }, (_, i) => `idea${i}`).join(" ");
    oc.model.enqueue({ reasoning: ideas, text: "Second answer.", delayMs: 50 });
    await prompt(page, "think again");
    const second = lastAssistant(page).locator("details.part.reasoning");
    await second.getByText("idea2").waitFor({ timeout: 20_000 });
    await second.locator("summary").click();
    await waitFor(
      async () => !(await second.evaluate(pageFn("(d) => d.open"))),
      "closed by the person",
    );
    await second.locator("summary").click();
    await waitFor(
      async () => await second.evaluate(pageFn("(d) => d.open")),
      "reopened by the person",
    );
    await settled(page, sessionId);
    await lastAssistant(page).getByText("Second answer.").waitFor();
    await page.waitForTimeout(300);
    assertEquals(
      await second.evaluate(pageFn("(d) => d.open")),
      true,
      "the person's choice is kept",
    );
    assertEquals(await second.getAttribute("data-done"), "true");
    await screenshots(page, "reasoning");
    assertEquals(w.errors, [], "page errors");
    await page.close();
  },
});

Deno.test({
  name: "markdown: turn footer and context meter show the server's tokens and cost",
  ...opts,
  fn: async () => {
    const w = await openPage();
    const { page } = w;
    const sessionId = await newSession(page);
    // One turn, two assistant messages: a tool call step, then the answer.
    oc.model.enqueue({ toolCalls: [{ name: "bash", args: { command: "echo footer" } }] });
    await prompt(page, "run a command for me");
    const msgs = await settled(page, sessionId);
    const user = msgs.findLast((m) => m.info.role === "user")!;
    const turn = msgs.filter((m) =>
      m.info.role === "assistant" && m.info.parentID === user.info.id
    );
    assertEquals(turn.length, 2, "a tool step and an answer");
    const sum = (f: (m: StoredMessage) => number) => turn.reduce((a, m) => a + f(m), 0);
    const want = {
      input: sum((m) => m.info.tokens?.input ?? 0),
      output: sum((m) => m.info.tokens?.output ?? 0),
      reasoning: sum((m) => m.info.tokens?.reasoning ?? 0),
      "cache-read": sum((m) => m.info.tokens?.cache.read ?? 0),
      "cache-write": sum((m) => m.info.tokens?.cache.write ?? 0),
      cost: sum((m) => m.info.cost ?? 0),
    };
    assert(
      want.input > 0 && want.output > 0,
      `the fake model reports usage: ${JSON.stringify(want)}`,
    );

    // One footer for the turn, under its last message.
    const articles = page.locator('article[data-role="assistant"]');
    const footer = articles.last().getByRole("note", { name: "Turn usage" });
    await waitFor(
      async () =>
        await articles.count() === 2 &&
        Number(await footer.locator('[data-usage="input"]').getAttribute("data-value")) ===
          want.input,
      "the footer of the whole turn",
    );
    assertEquals(await articles.first().locator(".turn-footer").count(), 0);
    const shown: Record<string, number> = {};
    for (const key of Object.keys(want)) {
      const item = footer.locator(`[data-usage="${key}"]`);
      if (await item.count() === 0) {
        shown[key] = 0; // zero token kinds are left out
        continue;
      }
      const text = await item.textContent() ?? "";
      shown[key] = key === "cost"
        ? Number(text.replace("$", ""))
        : Number(text.replace(/[^\d]/g, ""));
    }
    assertEquals(shown, {
      ...want,
      cost: Number(want.cost.toFixed(want.cost && want.cost < 0.01 ? 4 : 2)),
    });
    assertMatch(await footer.textContent() ?? "", /in .* out .*\$\d+\.\d{2}/);

    // The status bar: the last answer's tokens against the model's 128k window, and the cost.
    const last = turn.at(-1)!.info.tokens!;
    const used = last.input + last.output + last.reasoning + last.cache.read + last.cache.write;
    const meter = page.getByRole("meter", { name: "Context window" });
    await waitFor(async () => Number(await meter.getAttribute("aria-valuenow")) === used, "meter");
    assertEquals(await meter.getAttribute("aria-valuemax"), "128000");
    assertMatch(
      await meter.getAttribute("aria-valuetext") ?? "",
      /of 128,000 tokens \((<1|\d+)%\)/,
    );
    const all = msgs.filter((m) => m.info.role === "assistant");
    const total = all.reduce((a, m) => a + (m.info.cost ?? 0), 0);
    const cost = page.locator(".status-bar .session-cost");
    assertEquals(Number((await cost.textContent())?.replace("$", "")), Number(total.toFixed(2)));
    assertEquals(w.errors, [], "page errors");
    await page.close();
  },
});

Deno.test({
  name: "markdown: a retry shows the attempt and counts down until the reply comes",
  ...opts,
  fn: async () => {
    const w = await openPage();
    const { page } = w;
    await newSession(page);
    oc.model.enqueue(
      { error: { status: 503, headers: { "retry-after-ms": "3500" } } },
      { text: "Recovered after the retry." },
    );
    await prompt(page, "retry me please");
    const notice = page.locator(".status-bar .retry-notice");
    await notice.waitFor({ timeout: 20_000 });
    const seen = new Set<string>();
    const end = Date.now() + 4000;
    while (Date.now() < end) {
      // Read in one step in the page: the notice may go away between two locator calls.
      const t = await page.evaluate(
        `document.querySelector('.status-bar .retry-notice [aria-hidden="true"]')?.textContent ?? null`,
      ) as string | null;
      if (t === null) break;
      if (t) seen.add(t);
      await page.waitForTimeout(200);
    }
    const texts = [...seen];
    assert(texts.length >= 2, `the countdown moved: ${JSON.stringify(texts)}`);
    for (const t of texts) assertMatch(t, /^Retrying \(attempt 1\) (in \d+s|now)$/);
    await lastAssistant(page).getByText("Recovered after the retry.").waitFor({ timeout: 20_000 });
    await notice.waitFor({ state: "detached", timeout: 10_000 });
    await page.close();
  },
});

// Closing the browser closes its context too.
shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
