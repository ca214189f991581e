#!/usr/bin/env bash
# Start with N consents on record (issue 15's target: ready ≤ 10 s with 100,000). The consent
# registry's shards load in parallel at start; the first start after consents arrive in bulk (here
# through SQL, as a migration from another system would leave them) compiles each from its FHIR JSON
# and stores its compiled form, every later start reads the forms. Prints both starts and the ratio.
#
#   deploy/local/bench-consent-start.sh [consents]     (default 100000)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
consents=${1:-100000}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PL_PG_DIR="$repo/.local/postgres-bench"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  deploy/local/postgres.sh stop >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

admin=$(deploy/local/postgres.sh start)
psql_url="host=127.0.0.1 port=$(cat "$PL_PG_DIR/port") user=postgres"
database=pl_consent_start
psql "$psql_url dbname=postgres" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
export PermissionLayer__Storage__ConnectionString="${admin/Database=postgres/Database=$database}"
# Ports of their own, so that another local server (run.sh, a test) does not collide.
export PermissionLayer__Endpoints__GrpcPort=5280 PermissionLayer__Endpoints__HttpPort=5281
export PermissionLayer__Cluster__SiloPort=11280 PermissionLayer__Cluster__GatewayPort=30280

dotnet build src/PermissionLayer.Server -c Release -nologo -clp:ErrorsOnly >/dev/null
server_dll=src/PermissionLayer.Server/bin/Release/net10.0/PermissionLayer.Server.dll
dotnet "$server_dll" migrate >/dev/null

# Three shapes of the FHIR examples in turn (a root deny of an organization, nested provisions with
# actors and classes, a purpose deny), each re-aimed at its own patient and id.
fixtures=tests/PermissionLayer.Fhir.Tests/Consents/Fixtures
template() { sed -E 's/"Patient\/f00[0-9]"/"Patient\/__PATIENT__"/; s/"id": "consent-example-[A-Za-z]+"/"id": "__ID__"/' "$fixtures/$1.json"; }
echo "[consent-start] inserting $consents consents"
psql "$psql_url dbname=$database" -q \
  -v notorg="$(template consent-example-notOrg)" -v out="$(template consent-example-Out)" -v research="$(template consent-example-research)" <<SQL
INSERT INTO consents (id, patient_id, status, raw_json, revision, created_at, updated_at)
SELECT 'cs-' || n, 'cs-pt-' || n, 'active',
       replace(replace((ARRAY[:'notorg', :'out', :'research'])[1 + n % 3], '__PATIENT__', 'cs-pt-' || n), '__ID__', 'cs-' || n),
       0, now(), now()
FROM generate_series(1, $consents) AS n;
SQL

# Starts the service, waits for the registry's "ready" line, stops it; writes
# "<healthz ms> <ready ms> <loading ms> <patients>" to $work/result-<name> (run in this shell: cleanup must see server_pid).
start_once() {
  local log="$work/server-$1.log" t0 healthz=""
  t0=$(date +%s%N)
  dotnet "$server_dll" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 3000); do
    if [ -z "$healthz" ] && curl -fs "http://127.0.0.1:5281/healthz" >/dev/null 2>&1; then healthz=$(( ($(date +%s%N) - t0) / 1000000 )); fi
    if grep -q "Consent registry ready\|Consent registry not warmed" "$log"; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$log" >&2; echo "[consent-start] the service stopped" >&2; exit 1; fi
    sleep 0.1
  done
  local ready=$(( ($(date +%s%N) - t0) / 1000000 ))
  local line
  line=$(grep -m1 "Consent registry ready" "$log") || { tail -40 "$log" >&2; echo "[consent-start] the registry did not load" >&2; exit 1; }
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
  echo >"$work/result-$1" "${healthz:-?} $ready $(sed -E 's/.*, ([0-9]+) ms.*/\1/' <<<"$line") $(sed -E 's/.*ready: ([0-9]+) patient.*/\1/' <<<"$line")"
}

start_once first
start_once second
read -r h1 r1 l1 p1 <"$work/result-first"
read -r h2 r2 l2 p2 <"$work/result-second"
forms=$(psql "$psql_url dbname=$database" -tAc "SELECT count(*) FROM consents WHERE compiled_form IS NOT NULL")
[ "$p1" = "$consents" ] && [ "$p2" = "$consents" ] || { echo "[consent-start] registry holds $p1 / $p2 patients, expected $consents" >&2; exit 1; }
cat <<REPORT
consents on record: $consents (compiled forms stored after the first start: $forms); nproc $(nproc); $(date -u +%F)
first start  (compile FHIR JSON, store forms): /healthz $h1 ms, registry ready $r1 ms after start (loading took $l1 ms)
second start (read compiled forms):            /healthz $h2 ms, registry ready $r2 ms after start (loading took $l2 ms)
registry load, second / first: $(awk "BEGIN { printf \"%.2f\", $l2 / $l1 }")
REPORT
