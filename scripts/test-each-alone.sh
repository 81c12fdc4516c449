#!/usr/bin/env bash
# Runs every spec file by itself (its own Jest run, its own global setup), so that no file passes
# only thanks to another. Prints one line per file and fails if any file fails alone.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
files=$(ls src/**/*.spec.ts src/*/*.spec.ts test/e2e/*.e2e-spec.ts test/ui/*.e2e-spec.ts test/service/*.service-spec.ts 2>/dev/null | sort -u)
n=0
for f in $files; do
  n=$((n + 1))
  if npx jest --silent "$f" >"/tmp/alone-$(basename "$f").log" 2>&1; then
    echo "alone ok   $f"
  else
    echo "alone FAIL $f (log: /tmp/alone-$(basename "$f").log)"
    failed+=("$f")
  fi
done
echo "${#failed[@]} of $n spec files failed alone"
[ ${#failed[@]} -eq 0 ]
