#!/usr/bin/env bash
# System packages the project needs beyond Python: Node.js 18+ and npm (console assets, the
# mini-program's npm folder), and a CJK
# font so Chinese text renders in product images and posters. Installed only when missing
# and only when we are root. With --test: also Chromium, for the browser tests; with --bench:
# wrk, the load generator of bench/storefront.py.
set -euo pipefail

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$@" >/dev/null; }
}
can_apt() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }

NODE_MIN=18  # the oldest Node.js the lockfiles (v3) and the mini-program's build script run on
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  if can_apt; then echo "installing Node.js and npm…"; apt_install nodejs npm
  else echo "error: Node.js ${NODE_MIN}+ and npm are needed for the console's assets and the mini-program; install them" >&2; exit 1; fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$NODE_MIN" ]; then
  echo "error: Node.js ${NODE_MIN}+ is needed, found $(node --version 2>/dev/null || echo none); install a newer one (nodejs.org or NodeSource)" >&2
  exit 1
fi

if ! fc-list :lang=zh 2>/dev/null | grep -q . && [ -z "${FONT_PATH:-}" ]; then
  if can_apt; then echo "installing fonts-wqy-microhei (CJK font)…"; apt_install fonts-wqy-microhei
  else echo "note: no CJK font found; install fonts-wqy-microhei (or set FONT_PATH) for Chinese text in images"; fi
fi

if [ "${1:-}" = "--bench" ] && ! command -v wrk >/dev/null 2>&1; then
  if can_apt; then echo "installing wrk (load generator for bench/)…"; apt_install wrk
  else echo "error: the benchmarks need wrk; install it (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1; fi
fi

if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  if can_apt; then echo "installing chromium (browser tests)…"; apt_install chromium
  else echo "note: no chromium; the browser tests will be skipped (CI requires them)"; fi
fi
