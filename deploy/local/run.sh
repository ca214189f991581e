#!/usr/bin/env bash
# Starts PermissionLayer on its embedded default: a private PostgreSQL (provisioned here), migrated
# and seeded with a small demo data set. Ctrl+C stops the service and the database.
#
# Ports: gRPC 5080 (HTTP/2), JSON + health 5081 (HTTP/1.1), on 127.0.0.1. Override with
# PermissionLayer__Endpoints__GrpcPort / PermissionLayer__Endpoints__HttpPort.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PL_PG_DIR="$repo/.local/postgres"

server_pid=""
cleanup() {
  # SIGTERM, not SIGINT: a background job of a script ignores SIGINT, so Ctrl+C alone never reaches
  # the service; SIGTERM asks it for the same graceful shutdown (audit queue flushed).
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  deploy/local/postgres.sh stop || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

admin=$(deploy/local/postgres.sh start)
database=permissionlayer
psql_url="host=127.0.0.1 port=$(cat "$PL_PG_DIR/port") user=postgres dbname=postgres"
if ! psql "$psql_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  echo "[run] creating database $database"
  psql "$psql_url" -qc "CREATE DATABASE $database"
fi
export PermissionLayer__Storage__ConnectionString="${admin/Database=postgres/Database=$database}"
export PermissionLayer__Demo__Seed=true
http_port=${PermissionLayer__Endpoints__HttpPort:-5081}
grpc_port=${PermissionLayer__Endpoints__GrpcPort:-5080}

echo "[run] building (Release)"
dotnet build src/PermissionLayer.Server -c Release -nologo -clp:ErrorsOnly >/dev/null
server_dll=src/PermissionLayer.Server/bin/Release/net10.0/PermissionLayer.Server.dll
echo "[run] applying migrations and creating demo API keys (shown once; stored hashed)"
dotnet "$server_dll" migrate >/dev/null
pep_key=$(dotnet "$server_dll" create-key --name demo-fhir-server --role pep)
admin_key=$(dotnet "$server_dll" create-key --name demo-admin --role admin)
auditor_key=$(dotnet "$server_dll" create-key --name demo-privacy-officer --role auditor)
echo "[run] starting the service (demo data is seeded)"
dotnet "$server_dll" &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "[run] the service stopped; see the log above" >&2; exit 1; fi
  sleep 0.5
done
sleep 1 # let the demo seeder finish its few writes

cat <<MSG

PermissionLayer is running: gRPC on 127.0.0.1:$grpc_port, JSON and /healthz on 127.0.0.1:$http_port.
Demo data: Practitioner/dr-alice has patients p-anna, p-ben and p-carl on her panel; client demo-app
may reach every patient; client g9245-app only the members of Group/g9245 (p-anna, p-dora).

API keys for this run:  pep (FHIR server): $pep_key
                        admin:             $admin_key
                        auditor:           $auditor_key

The console: open http://127.0.0.1:$http_port/console and sign in with the auditor key (patient
access, break-the-glass review, decision search) or the admin key (access map). The pep key cannot
sign in.

Ask a decision (expect OUTCOME_PERMIT):

  curl -s -X POST http://127.0.0.1:$http_port/v1/decisions:check -H "authorization: Bearer $pep_key" -H 'content-type: application/json' -d '{"token":{"clientId":"demo-app","fhirUser":"Practitioner/dr-alice","scope":"user/Patient.rs"},"interaction":"INTERACTION_READ","resourceType":"Patient","resourceId":"p-anna","stored":{"facts":{"patients":["p-anna"],"complete":true}}}'

and for a patient not on her panel (expect OUTCOME_DENY, with the reason):

  curl -s -X POST http://127.0.0.1:$http_port/v1/decisions:check -H "authorization: Bearer $pep_key" -H 'content-type: application/json' -d '{"token":{"clientId":"demo-app","fhirUser":"Practitioner/dr-alice","scope":"user/Patient.rs"},"interaction":"INTERACTION_READ","resourceType":"Patient","resourceId":"p-zoe","stored":{"facts":{"patients":["p-zoe"],"complete":true}}}'

List Dr Alice's grants as an admin:

  curl -s "http://127.0.0.1:$http_port/v1/grants?principal=Practitioner/dr-alice" -H "authorization: Bearer $admin_key"

Ctrl+C stops the service and its PostgreSQL.
MSG
wait "$server_pid"
