import { assert, assertEquals } from "../../tests/support/assert.ts";
import {
  dotEnvCandidates,
  type EnvTarget,
  loadDotEnv,
  providerKeys,
  redact,
  REDACTED,
} from "./env.ts";

function fakeEnv(initial: Record<string, string> = {}): EnvTarget & { vars: Map<string, string> } {
  const vars = new Map(Object.entries(initial));
  return { vars, get: (k) => vars.get(k), set: (k, v) => void vars.set(k, v) };
}

Deno.test("loadDotEnv sets variables from the first existing file without overriding", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const first = `${dir}/first.env`;
    const second = `${dir}/second.env`;
    Deno.writeTextFileSync(
      first,
      '# comment\nANTHROPIC_API_KEY=sk-ant-1\nexport OPENAI_API_KEY="sk oai"\nHOME=/evil\n',
    );
    Deno.writeTextFileSync(second, "SECOND=1\n");
    const env = fakeEnv({ HOME: "/home/me" });

    const result = loadDotEnv([`${dir}/missing.env`, first, second], env);

    assertEquals(result, { path: first, loaded: ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"] });
    assertEquals(env.vars.get("HOME"), "/home/me");
    assertEquals(env.vars.get("OPENAI_API_KEY"), "sk oai");
    assertEquals(env.vars.has("SECOND"), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("loadDotEnv keeps a variable that is set to the empty string", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/.env`, "EMPTY=from-file\n");
    const env = fakeEnv({ EMPTY: "" });
    assertEquals(loadDotEnv([`${dir}/.env`], env)?.loaded, []);
    assertEquals(env.vars.get("EMPTY"), "");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("loadDotEnv survives malformed lines", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(
      `${dir}/.env`,
      'garbage line\n=novalue\nGOOD=1\nUNCLOSED="abc\n\x00\xff\nALSO_GOOD=2\n',
    );
    const env = fakeEnv();
    const result = loadDotEnv([`${dir}/.env`], env);
    assert(result !== null && result.warning === undefined);
    assertEquals(env.vars.get("GOOD"), "1");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("loadDotEnv returns null when no file exists", () => {
  assertEquals(loadDotEnv(["/nonexistent/.env"], fakeEnv()), null);
});

Deno.test("loadDotEnv warns instead of throwing when the file cannot be read", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/.env`);
    const env = fakeEnv();
    const result = loadDotEnv([`${dir}/.env`, `${dir}/other`], env);
    assertEquals(result?.path, `${dir}/.env`);
    assertEquals(result?.loaded, []);
    assert(result?.warning?.startsWith(`Cannot read ${dir}/.env`), result?.warning);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("dotEnvCandidates looks next to a compiled binary, else in the cwd", () => {
  assertEquals(dotEnvCandidates(true, () => "/opt/desk/opencode-desk", () => "/x"), [
    "/opt/desk/.env",
  ]);
  assertEquals(dotEnvCandidates(false, () => "/usr/bin/deno", () => "/work/proj"), [
    "/work/proj/.env",
  ]);
  assertEquals(dotEnvCandidates(), [`${Deno.cwd()}/.env`]);
});

Deno.test("providerKeys maps <PROVIDER>_API_KEY variables to provider ids", () => {
  const keys = providerKeys({
    ANTHROPIC_API_KEY: "a",
    OPENAI_API_KEY: "o",
    OPENROUTER_API_KEY: "r",
    GOOGLE_GENERATIVE_AI_API_KEY: "g",
    MY_CORP_API_KEY: "m",
    TOGETHER_API_KEY: "t",
    EMPTY_API_KEY: "",
    BLANK_API_KEY: "  ",
    UNSET_API_KEY: undefined,
    API_KEY: "bare",
    lower_api_key: "l",
    OPENAI_API_KEY_OLD: "x",
    PATH: "/bin",
  });
  assertEquals(keys, [
    { providerID: "anthropic", key: "a" },
    { providerID: "google", key: "g" },
    { providerID: "my-corp", key: "m" },
    { providerID: "openai", key: "o" },
    { providerID: "openrouter", key: "r" },
    { providerID: "togetherai", key: "t" },
  ]);
});

Deno.test("providerKeys prefers the regular name over an alias for the same provider", () => {
  assertEquals(providerKeys({ GEMINI_API_KEY: "alias", GOOGLE_API_KEY: "regular" }), [
    { providerID: "google", key: "regular" },
  ]);
  assertEquals(providerKeys({ GOOGLE_API_KEY: "regular", GEMINI_API_KEY: "alias" }), [
    { providerID: "google", key: "regular" },
  ]);
});

Deno.test("redact hides every occurrence of each secret, longest first", () => {
  const text = "key sk-abc123 and sk-abc123456 and sk-abc123 again";
  assertEquals(
    redact(text, ["sk-abc123", "sk-abc123456", ""]),
    `key ${REDACTED} and ${REDACTED} and ${REDACTED} again`,
  );
  assertEquals(redact("nothing here", []), "nothing here");
});
