/**
 * Runs a Deno script with one directory bind-mounted read-only in a private mount namespace: a
 * real read-only file system even for root (as CI runs), which ignores mode bits but not a
 * read-only mount.
 */

/** The command words that run what follows them with `dir` read-only. */
export function readOnlyPrefix(dir: string): string[] {
  return [
    "unshare",
    "--mount",
    "sh",
    "-c",
    'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
    "sh",
    dir,
  ];
}

/** Runs `script` under `deno run -A` with `dir` read-only; `args` follow the script. */
export async function runInReadOnly(
  dir: string,
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...prefix] = readOnlyPrefix(dir);
  const out = await new Deno.Command(command, {
    args: [
      ...prefix,
      Deno.execPath(),
      "run",
      "-A",
      script,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
