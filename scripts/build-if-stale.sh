#!/usr/bin/env bash
# Builds the server and the web (`npm run build`) unless the last build is newer than every file it
# is made from. `npm test` and the PostgreSQL run call it first, so CI's suites, which .ci/run starts
# side by side after one build, never rebuild dist/ under each other's feet.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.build-stamp
inputs=(src web/src web/public web/index.html web/vite.config.mts scripts seeds tsconfig.json
  tsconfig.build.json nest-cli.json package.json package-lock.json)
if [ -f "$stamp" ] && [ -f web/dist/index.html ] &&
  [ -z "$(find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "build is current (dist/.build-stamp newer than its sources)"
  exit 0
fi
started=$(mktemp)
npm run build
# stamped with the build's start, so a file edited while it ran counts as newer
mv "$started" "$stamp"
