#!/usr/bin/env bash
# One entry point for a fresh machine (Debian + Node 20 + npm): installs what is missing, then runs
#   bash build/run.sh start [app flags…]   the app (a window, or headless with --headless)
#   bash build/run.sh test  [test files…]  the whole test suite
#   bash build/run.sh <deno task> …        any other task (bench, build, proto, check)
# System packages come from apt (only when missing, and only as root); Deno and the OpenCode
# server from npm, pinned in build/tools/package-lock.json; npm modules for the app are installed
# by Deno from deno.json / deno.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
task="${1:-start}"
shift || true

apt_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

# The window needs GTK 3 + WebKitGTK 4.1 and shows desktop notifications with notify-send
# (libnotify-bin); OpenCode's search tools want ripgrep; voice input's offline engine is
# PocketSphinx with its US English model. Tests also drive a real Chromium and a window under Xvfb
# (screenshots and closing go through libX11 by FFI) whose notifications go to dunst on a private
# D-Bus session bus (dbus-daemon), and the voice tests make and play real speech
# (pocketsphinx-testdata's recordings, espeak-ng, sox); the PWA test makes a certificate with
# openssl and the undo test makes its project a git repository.
pkgs=(libwebkit2gtk-4.1-0 libnotify-bin ripgrep xdg-utils pocketsphinx pocketsphinx-en-us)
if [ "$task" = "test" ] || [ "$task" = "bench" ]; then
  pkgs+=(chromium xvfb libx11-6 libxtst6 dbus-daemon dunst pocketsphinx-testdata espeak-ng sox)
  pkgs+=(openssl git)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  missing=$(apt_missing "${pkgs[@]}")
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "build/run.sh: installing system packages: $missing" >&2
      apt-get update -qq >&2
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
    else
      echo "build/run.sh: missing system packages (install them as root): $missing" >&2
    fi
  fi
fi

tools=build/tools
if [ ! -x "$tools/node_modules/.bin/deno" ] || [ ! -s "$tools/node_modules/opencode-ai/bin/opencode.exe" ] ||
   [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  echo "build/run.sh: installing Deno and OpenCode from npm" >&2
  # npm install, not npm ci: the registry lacks some of deno's optional per-platform packages, so
  # the lock file leaves them out and npm ci would refuse it. Versions are pinned exactly.
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
export PATH="$PWD/$tools/node_modules/.bin:$PATH"
export DENO_NO_UPDATE_CHECK=1

deno install --frozen --quiet >&2

if [ "$task" = "test" ]; then
  # The whole suite also holds the code to its standards: formatted, lint-free, type-checked
  # (the UI separately: it is checked with the DOM library, the rest without).
  if [ "$#" -eq 0 ]; then
    deno task check >&2 || { echo "build/run.sh: deno fmt / lint / check failed" >&2; exit 1; }
  fi
  log=$(mktemp)
  status=0
  deno task test "$@" 2>&1 | tee "$log" || status=$?
  # Deno ends with "ok | 12 passed | 0 failed (3s)"; CI reads the plain "N passed, N failed".
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -1 || true)
  passed=$(echo "$summary" | sed -E 's/.*\| ([0-9]+) passed.*/\1/')
  failed=$(echo "$summary" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
  rm -f "$log"
  if [ -n "$summary" ]; then echo "tests: ${passed} passed, ${failed} failed"; fi
  exit "$status"
fi
if [ "$task" = "start" ]; then
  [ "${1:-}" = "--" ] && shift
  exec deno run --allow-all main.ts "$@"
fi
exec deno task "$task" "$@"
