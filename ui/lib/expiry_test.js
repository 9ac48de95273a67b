// @ts-check
import { assertEquals } from "../../tests/support/assert.ts";
import { expiryLevel, formatLeft, leftMs, SOON_MS } from "./expiry.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

Deno.test("expiry: time left reads in hours and minutes, then minutes and seconds", () => {
  assertEquals(formatLeft(24 * HOUR - 1), "23h 59m");
  assertEquals(formatLeft(4 * MIN + 12_000), "4m 12s");
  assertEquals(formatLeft(59 * MIN + 59_999), "59m 59s");
  assertEquals(formatLeft(HOUR), "1h 0m");
  assertEquals(formatLeft(9_500), "9s");
  assertEquals(formatLeft(50 * HOUR), "2d 2h");
  assertEquals(formatLeft(0), "expired");
  assertEquals(formatLeft(-5 * MIN), "expired");
});

Deno.test("expiry: green above five minutes, amber at five or less, red once expired", () => {
  assertEquals(expiryLevel(SOON_MS + 1), "ok");
  assertEquals(expiryLevel(SOON_MS), "soon");
  assertEquals(expiryLevel(1), "soon");
  assertEquals(expiryLevel(0), "expired");
  assertEquals(expiryLevel(-1), "expired");
});

Deno.test("expiry: the countdown follows the page clock's progress, not its offset", () => {
  // The page clock is an hour off the core's; ten seconds passed since the status came.
  const core = 1_000_000_000_000;
  const page = core - HOUR;
  assertEquals(leftMs(core + 10 * MIN, core, page, page + 10_000), 10 * MIN - 10_000);
});
