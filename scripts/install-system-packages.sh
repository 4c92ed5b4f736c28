#!/usr/bin/env bash
# System packages the project needs beyond Python: a CJK font so Chinese text renders in
# product images and posters. Installed only when missing and only when we are root.
set -euo pipefail

if fc-list :lang=zh 2>/dev/null | grep -q . || [ -n "${FONT_PATH:-}" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: no CJK font found; install fonts-wqy-microhei (or set FONT_PATH) for Chinese text in images"
  exit 0
fi
echo "installing fonts-wqy-microhei (CJK font)…"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q fonts-wqy-microhei >/dev/null; }
