#!/usr/bin/env bash
# Rewrites citations of documents outside the repository into the docs/ that holds those rules:
#   bash scripts/cite-docs.sh [path ...]    (default: every tracked text file that may cite them)
# Idempotent. `npm run lint` (scripts/check-citations.ts) fails while any citation is left.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(src test web/src web/index.html web/vite.config.mts scripts .ci docs \
  README.md CONTRIBUTING.md eslint.config.mjs jest.config.js)
files=$(grep -rlE --exclude-dir=node_modules --exclude-dir=dist \
  --exclude=cite-docs.sh --exclude=check-citations.ts \
  '\.\./shared|SPEC §|SPEC[:.]|CONVENTIONS|STACK(\.md| pitfall|$)' "${targets[@]}" 2>/dev/null || true)
[ -n "$files" ] || exit 0
# shellcheck disable=SC2086
sed -i -E \
  -e 's#\.\./shared/checks/contract-smoke\.sh#scripts/contract-smoke.sh#g' \
  -e 's#`\.\./shared/SPEC\.md`#`docs/`#g' \
  -e 's#\.\./shared/SPEC\.md#docs/#g' \
  -e 's#\.\./shared/(STACK|CONVENTIONS)\.md#docs/#g' \
  -e 's#SPEC §2, §5#docs/domain.md, docs/api.md#g' \
  -e 's#SPEC §1#docs/domain.md#g' \
  -e 's#SPEC §2#docs/domain.md#g' \
  -e 's#SPEC §3#docs/alerts.md#g' \
  -e 's#SPEC §4#docs/excel-layouts.md#g' \
  -e 's#SPEC §5#docs/api.md#g' \
  -e 's#SPEC §6#docs/conventions.md#g' \
  -e 's#SPEC §7#docs/limits.md#g' \
  -e 's#SPEC §8#docs/web.md#g' \
  -e 's#SPEC §9#docs/limits.md#g' \
  -e 's#\(SPEC: #(docs/limits.md: #g' \
  -e 's#CONVENTIONS\.md#docs/conventions.md#g' \
  -e 's#STACK\.md#docs/stack.md#g' \
  -e 's#STACK pitfall#docs/stack.md pitfall#g' \
  -e 's#([ (])STACK$#\1docs/stack.md#' \
  $files
# a line wrapped right after "docs/stack.md" keeps its "pitfall N" on the next line: fine as it is
echo "$files" | sed 's/^/cited docs\/ in /'
