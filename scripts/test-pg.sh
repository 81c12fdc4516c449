#!/usr/bin/env bash
# Runs the e2e suite against PostgreSQL. Uses TEST_DATABASE_URL when set (a role that may create
# databases); otherwise starts the local Debian cluster (installed by .ci/run) and uses a
# `tracker` role on it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  bash scripts/pg-local.sh
  export TEST_DATABASE_URL=postgres://tracker:tracker@127.0.0.1:5432/postgres
fi
bash scripts/build-if-stale.sh  # the stop and crash tests run the built server (dist/src/main.js)
# in a random order, as npm test; extra arguments (e.g. --seed=N from .ci/run) go to Jest.
# The browser scenarios (test/ui) run on SQLite only: they drive the same API whose every route and
# rule the e2e suite checks here on PostgreSQL, and they took a third of this run (CI ≤ 30 min). So
# do three specs of what is refused or printed before or after any query — hostile uploads, random
# request bodies, the workbook's LibreOffice rendering — the slowest of the rest and the same on both.
# The OpenAPI document (the `openapi` project, test/e2e/docs) is built from the code alone, the same
# on both: it runs on SQLite only (its type-checked compile took ~40 s of this run, the longer of the
# two CI runs side by side); the health check with its dialect is in test/e2e/database, run on both.
# PG_TEST_IGNORE adds patterns to skip (.ci/run leaves the timing specs for a quiet moment).
# shellcheck disable=SC2086
exec node --max-old-space-size=6144 node_modules/jest/bin/jest.js --selectProjects e2e --randomize \
  --testPathIgnorePatterns=/test/ui/ /test/e2e/hostile-workbooks /test/e2e/random-bodies /test/e2e/report-pdf-render ${PG_TEST_IGNORE:-} \
  "$@"
