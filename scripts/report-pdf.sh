#!/usr/bin/env bash
# scripts/report-pdf.sh MONTH [REGION] — renders the 月度进展报表 to PDF the way a user prints it:
# the workbook the API serves (from data/tracker.sqlite, or DATABASE_URL), through LibreOffice
# headless, with each sheet's own page setup (A4 landscape, fit to width, repeated title rows).
# REGION is an id or an exact name (连南瑶族自治县); the whole database when left out.
# Installs libreoffice-calc-nogui and fonts-noto-cjk from Debian when soffice is missing (needs root).
# Writes data/reports/<name>.xlsx and .pdf, and PNG pages beside them when pdftoppm is there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: scripts/report-pdf.sh MONTH(YYYY-MM) [REGION id or name]" >&2
  exit 2
fi
month=$1
region=${2:-}
out=data/reports

if ! command -v soffice >/dev/null 2>&1; then
  echo "installing LibreOffice Calc and Noto CJK fonts from Debian…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui fonts-noto-cjk poppler-utils >/dev/null
fi

[ -f dist/scripts/report-file.js ] || npx nest build
printed=$(node dist/scripts/report-file.js "$month" "$region" "$out")
# the last line is the workbook's path; anything before it (a first start's admin password) is shown
printf '%s\n' "$printed" | sed '$d' >&2
xlsx=$(printf '%s\n' "$printed" | tail -n 1)
echo "workbook: $xlsx" >&2

# a profile of its own, so a LibreOffice the user has open does not swallow the conversion
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation=file://"$profile" --headless --norestore \
  --convert-to pdf --outdir "$out" "$xlsx" >&2
pdf="${xlsx%.xlsx}.pdf"
echo "pdf: $pdf" >&2
if command -v pdfinfo >/dev/null 2>&1; then
  pdfinfo "$pdf" | grep -E '^(Pages|Page size):' >&2
fi
if command -v pdftoppm >/dev/null 2>&1; then
  pdftoppm -png -r 80 "$pdf" "${pdf%.pdf}-page"
  echo "pages: ${pdf%.pdf}-page-*.png" >&2
fi
echo "$pdf"
