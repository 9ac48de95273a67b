// @ts-check
import { assertEquals } from "../../tests/support/assert.ts";
import { routedSession, routeOf } from "./route.js";

Deno.test("routedSession reads the session a link names", () => {
  assertEquals(routedSession("#/s/ses_2a9fC0"), "ses_2a9fC0");
  assertEquals(routedSession("#/s/ses_2a9fC0?token=abc"), "ses_2a9fC0");
  assertEquals(routedSession(routeOf("ses_x1")), "ses_x1");
});

Deno.test("routedSession ignores what is not a session id", () => {
  assertEquals(routedSession(""), "");
  assertEquals(routedSession("#token=abc"), "");
  assertEquals(routedSession("#/s/"), "");
  assertEquals(routedSession("#/s/../../etc"), "");
  assertEquals(routedSession("#/s/ses_a%20b"), "");
  assertEquals(routedSession("#/x/ses_abc"), "");
});
