import { assert, assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { HELP_TEXT, parseArgs, UsageError } from "./cli.ts";

Deno.test("parseArgs gives defaults with no flags and no environment", () => {
  assertEquals(parseArgs([], {}), {
    help: false,
    version: false,
    headless: false,
    host: "127.0.0.1",
    port: 0,
    serverUrl: null,
    dir: Deno.cwd(),
    dirGiven: false,
    open: true,
    allowHosts: [],
    newInstance: false,
    tls: null,
  });
});

Deno.test("parseArgs takes --tls-cert and --tls-key together, never one alone", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/c.pem`, "");
    Deno.writeTextFileSync(`${dir}/k.pem`, "");
    const o = parseArgs(["--tls-cert", `${dir}/c.pem`, `--tls-key=${dir}/k.pem`], {});
    assertEquals(o.tls, { certFile: `${dir}/c.pem`, keyFile: `${dir}/k.pem` });
    assertThrows(() => parseArgs(["--tls-cert", `${dir}/c.pem`], {}), UsageError, "--tls-key");
    assertThrows(
      () => parseArgs(["--tls-cert", `${dir}/nope.pem`, "--tls-key", `${dir}/k.pem`], {}),
      UsageError,
      "a readable PEM file",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("parseArgs accepts --flag value and --flag=value", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const a = parseArgs(
      [
        "--headless",
        "--host",
        "0.0.0.0",
        "--port",
        "8080",
        "--server",
        "http://h:4096/",
        "--dir",
        dir,
      ],
      {},
    );
    const b = parseArgs(
      ["--headless", "--host=0.0.0.0", "--port=8080", "--server=http://h:4096/", `--dir=${dir}`],
      {},
    );
    assertEquals(a, b);
    assertEquals(a.host, "0.0.0.0");
    assertEquals(a.port, 8080);
    assertEquals(a.serverUrl, "http://h:4096");
    assertEquals(a.dir, dir);
    assertEquals(a.headless, true);
  } finally {
    Deno.removeSync(dir);
  }
});

Deno.test("parseArgs reads short and boolean flags", () => {
  const options = parseArgs(["-h", "-V", "--no-open"], {});
  assertEquals([options.help, options.version, options.open], [true, true, false]);
  assertEquals(parseArgs(["--help", "--version"], {}).help, true);
});

Deno.test("parseArgs falls back to the environment, and flags win", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const env = {
      OPENCODE_URL: "https://example.test:8443/base/",
      OPENCODE_DIR: dir,
      OPENCODE_DESK_HOST: "localhost",
      OPENCODE_DESK_PORT: "1234",
      PORT: "9999",
    };
    const fromEnv = parseArgs([], env);
    assertEquals(fromEnv.serverUrl, "https://example.test:8443/base");
    assertEquals(fromEnv.dir, dir);
    assertEquals(fromEnv.host, "localhost");
    assertEquals(fromEnv.port, 1234);

    assertEquals(parseArgs([], { PORT: "9999" }).port, 9999);
    assertEquals(parseArgs([], { PORT: "", OPENCODE_URL: "" }).serverUrl, null);
    const flagsWin = parseArgs(["--port", "5", "--server", "http://a:1", "--host", "::1"], env);
    assertEquals([flagsWin.port, flagsWin.serverUrl, flagsWin.host], [5, "http://a:1", "::1"]);
  } finally {
    Deno.removeSync(dir);
  }
});

Deno.test("parseArgs resolves a relative --dir against the cwd", () => {
  assertEquals(parseArgs(["--dir", "."], {}).dir, Deno.cwd());
});

Deno.test("parseArgs rejects unknown flags and stray arguments", () => {
  assertThrows(() => parseArgs(["--frob"], {}), UsageError, "Unknown flag: --frob");
  assertThrows(() => parseArgs(["--frob=1"], {}), UsageError, "Unknown flag: --frob");
  assertThrows(() => parseArgs(["-x"], {}), UsageError, "Unknown flag: -x");
  assertThrows(() => parseArgs(["serve"], {}), UsageError, 'Unexpected argument: "serve"');
  assertThrows(() => parseArgs(["--headless=yes"], {}), UsageError, "does not take a value");
});

Deno.test("parseArgs rejects a missing value", () => {
  assertThrows(() => parseArgs(["--port"], {}), UsageError, "Missing value for --port");
  assertThrows(() => parseArgs(["--server", "--headless"], {}), UsageError, "Missing value");
});

Deno.test("parseArgs rejects bad ports from flags and environment", () => {
  for (const bad of ["abc", "-1", "65536", "1.5", "", "0x10", "123456"]) {
    assertThrows(
      () => parseArgs([`--port=${bad}`], {}),
      UsageError,
      `Invalid value for --port: ${JSON.stringify(bad)} (expected 0-65535)`,
    );
  }
  assertEquals(parseArgs(["--port", "65535"], {}).port, 65535);
  assertThrows(
    () => parseArgs([], { OPENCODE_DESK_PORT: "http" }),
    UsageError,
    'Invalid value for OPENCODE_DESK_PORT: "http"',
  );
});

Deno.test("parseArgs rejects a --server that is not an http(s) URL", () => {
  for (const bad of ["localhost:4096", "ftp://h/", "ws://h:1", "not a url", "http://h/?x=1"]) {
    assertThrows(() => parseArgs(["--server", bad], {}), UsageError, "Invalid value for --server");
  }
  assertThrows(() => parseArgs([], { OPENCODE_URL: "nope" }), UsageError, "OPENCODE_URL");
});

Deno.test("parseArgs rejects a --dir that is missing or a file", () => {
  const file = Deno.makeTempFileSync();
  try {
    assertThrows(() => parseArgs(["--dir", file], {}), UsageError, "it is not one");
    assertThrows(
      () => parseArgs(["--dir", `${file}-missing`], {}),
      UsageError,
      "it does not exist",
    );
    assertThrows(
      () => parseArgs([], { OPENCODE_DIR: `${file}-missing` }),
      UsageError,
      "OPENCODE_DIR",
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("parseArgs rejects an empty or malformed host", () => {
  assertThrows(() => parseArgs(["--host="], {}), UsageError, "Invalid value for --host");
  assertThrows(() => parseArgs(["--host", "a b"], {}), UsageError, "Invalid value for --host");
});

Deno.test("HELP_TEXT names the app and every flag and variable", () => {
  assert(HELP_TEXT.includes("opencode-desk"));
  for (
    const word of [
      "--help",
      "-h",
      "--version",
      "-V",
      "--headless",
      "--host",
      "--port",
      "--server",
      "--dir",
      "--no-open",
      "OPENCODE_URL",
      "OPENCODE_DIR",
      "OPENCODE_DESK_HOST",
      "OPENCODE_DESK_PORT",
      "PORT",
    ]
  ) {
    assert(HELP_TEXT.includes(word), `HELP_TEXT lacks ${word}`);
  }
});
