#!/usr/bin/env bash
# Debian's Chromium and the Noto CJK fonts for the browser tests (test/ui): playwright-core drives
# /usr/bin/chromium; browser downloads do not work here (STACK.md). Installs them when missing
# (needs root); does nothing when they are there.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null
echo "installed chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') and fonts-noto-cjk" >&2
