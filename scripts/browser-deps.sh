#!/usr/bin/env bash
# What the browser and print tests need from Debian: Chromium and the Noto CJK fonts (test/ui) —
# playwright-core drives /usr/bin/chromium; browser downloads do not work here (docs/stack.md) — and
# LibreOffice Calc and poppler (test/e2e/report-pdf-render: the monthly report printed to PDF by
# soffice, read back with pdftotext / pdftoppm). Installs what is missing (needs root); does
# nothing when all is there.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk fontconfig)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "browser and print tests need Debian packages: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed ${missing[*]}" >&2
