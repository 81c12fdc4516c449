#!/usr/bin/env bash
# Starts the local Debian PostgreSQL cluster and makes sure a `tracker` role exists.
# Installs PostgreSQL from Debian's packages when it is missing (needs root).
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
read -r ver name _ < <(pg_lsclusters -h | head -n 1)
pg_ctlcluster "$ver" "$name" start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'tracker'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE tracker LOGIN SUPERUSER PASSWORD 'tracker'\""
echo "PostgreSQL $ver/$name ready on 127.0.0.1:5432 (role tracker)"
