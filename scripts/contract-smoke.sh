#!/usr/bin/env bash
# Contract smoke check: starts the built app on a temporary SQLite file and checks, over HTTP,
# the docs/api.md contract on the reference data. Run from the project root after `npm run build`:
#   bash scripts/contract-smoke.sh
# It needs curl and jq. It exits non-zero at the first thing that does not hold.
set -u
MAIN=""; for m in dist/main.js dist/src/main.js; do [ -f "$m" ] && MAIN=$m && break; done
[ -n "$MAIN" ] || { echo "FAIL: no dist/main.js — run npm run build"; exit 1; }
TMPD=$(mktemp -d); PORT=$((20000 + RANDOM % 20000)); PW='Smoke-Check-Pass-1'
PORT=$PORT SQLITE_PATH="$TMPD/t.sqlite" ADMIN_PASSWORD="$PW" node "$MAIN" >"$TMPD/log" 2>&1 &
SPID=$!; trap 'kill $SPID 2>/dev/null; rm -rf "$TMPD"' EXIT
B="http://127.0.0.1:$PORT/api"
for _ in $(seq 1 60); do curl -fs "$B/health" >/dev/null && break; sleep 0.5; done
curl -fs "$B/health" >/dev/null || { tail -20 "$TMPD/log"; echo "FAIL: /api/health never answered"; exit 1; }
T=$(curl -s -X POST "$B/auth/login" -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PW\"}" | jq -r '.accessToken // empty')
H=(-H "authorization: Bearer $T")
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; exit 1; }
L=$(curl -s "${H[@]}" "$B/projects?pageSize=100")
n=$(echo "$L" | jq '.items | length'); [ "$n" = 14 ] || fail "GET /projects: $n items, want 14 in .items"
ok "14 reference projects in .items"
sum() { echo "$L" | jq -r "[.items[].$1 | select(. != null)] | join(\" \")" | python3 -c "import sys; from decimal import Decimal as D; print(sum(D(x) for x in sys.stdin.read().split()))"; }
[ "$(sum budgetWan)" = 62271.00 ] || [ "$(sum budgetWan)" = 62271 ] || fail "budget sum $(sum budgetWan), want 62271.00"
python3 -c "from decimal import Decimal as D; import sys; sys.exit(0 if D('$(sum landMu)')==D('197.15') else 1)" || fail "land sum $(sum landMu), want 197.15"
python3 -c "from decimal import Decimal as D; import sys; sys.exit(0 if D('$(sum floorAreaM2)')==D('127754') else 1)" || fail "area sum $(sum floorAreaM2), want 127754"
ok "budget 62271 万元, land 197.15 亩, area 127754 m² — exact"
seats=$(echo "$L" | jq -c '[.items[].seats] | {k: (map(.kindergarten)|add), p: (map(.primary)|add), j: (map(.juniorMiddle)|add), s: (map(.seniorSecondary)|add), t: (map(.total)|add)}')
[ "$seats" = '{"k":1796,"p":540,"j":4000,"s":600,"t":6936}' ] || fail "seats $seats"
ok "seats by stage 1796/540/4000/600, total 6936"
echo "$L" | jq -e '.items[] | select(.name=="香坪镇中心幼儿园") | .warnings | length > 0' >/dev/null || fail "香坪镇中心幼儿园 has no warnings"
ok "香坪镇中心幼儿园 carries a warning"
id=$(echo "$L" | jq -r '.items[] | select(.name=="淳溪小学") | .id')
v=$(curl -s "${H[@]}" "$B/projects/$id" | jq -r .version)
c1=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X PATCH "$B/projects/$id" -H 'content-type: application/json' -d "{\"version\":$v,\"name\":\"淳溪小学（一）\"}")
c2=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X PATCH "$B/projects/$id" -H 'content-type: application/json' -d "{\"version\":$v,\"name\":\"淳溪小学\"}")
[ "$c2" = 409 ] || fail "stale version answered $c2 (first PATCH $c1), want 409"
ok "stale version → 409"
c=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X POST "$B/projects" -H 'content-type: application/json' -d '{"name":"x","bogusField":1}')
[ "$c" = 400 ] || fail "unknown field answered $c, want 400"
c=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X POST "$B/projects" -H 'content-type: application/json' -d '{"name":')
[ "$c" = 400 ] || fail "malformed JSON answered $c, want 400"
ok "unknown field and malformed JSON → 400"
if [ "$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "$B/alerts")" = 200 ]; then  # once alerts exist
  o=$(curl -s "${H[@]}" "$B/projects?overdue=true&asOf=2021-09-01&pageSize=100" | jq -r '[.items[].name] | sort | join(",")')
  [ "$o" = "三排镇横坑幼儿园,大坪镇中心幼儿园" ] || fail "overdue as of 2021-09-01: [$o]"
  ok "overdue as of 2021-09-01: 三排镇横坑幼儿园, 大坪镇中心幼儿园"
fi
echo "contract smoke: all checks passed"
