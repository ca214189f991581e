#!/usr/bin/env bash
# The SMART gateway in front of a demo FHIR server, on one machine: PermissionLayer (a private
# PostgreSQL, migrated and seeded with the demo entitlements), a real FHIR R4 server (Medplum's FHIR
# router on Node, in memory, loaded with deploy/local/gateway-demo-data.json; it also plays the demo
# authorization server that signs tokens), and the gateway in front of it. Prints a token and curl
# commands to try. Ctrl+C stops everything.
#
# Ports on 127.0.0.1: gateway 5090, FHIR server 8103, PermissionLayer gRPC 5080 / JSON 5081.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PL_PG_DIR="$repo/.local/postgres"
gateway_port=${GATEWAY_PORT:-5090}
upstream_port=${UPSTREAM_PORT:-8103}
grpc_port=${PermissionLayer__Endpoints__GrpcPort:-5080}
http_port=${PermissionLayer__Endpoints__HttpPort:-5081}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  done
  deploy/local/postgres.sh stop || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() { # url name pid
  for _ in $(seq 1 120); do
    if curl -fs "$1" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "[gateway] $2 stopped; see the log above" >&2; exit 1; fi
    sleep 0.5
  done
  echo "[gateway] $2 did not come up" >&2; exit 1
}

admin=$(deploy/local/postgres.sh start)
database=permissionlayer
psql_url="host=127.0.0.1 port=$(cat "$PL_PG_DIR/port") user=postgres dbname=postgres"
if ! psql "$psql_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql "$psql_url" -qc "CREATE DATABASE $database"
fi
export PermissionLayer__Storage__ConnectionString="${admin/Database=postgres/Database=$database}"
export PermissionLayer__Demo__Seed=true

echo "[gateway] building PermissionLayer and the gateway (Release)"
dotnet build src/PermissionLayer.Server -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build src/PermissionLayer.Gateway -c Release -nologo -clp:ErrorsOnly >/dev/null
server_dll=src/PermissionLayer.Server/bin/Release/net10.0/PermissionLayer.Server.dll
dotnet "$server_dll" migrate >/dev/null
pep_key=$(dotnet "$server_dll" create-key --name demo-gateway --role pep)
dotnet "$server_dll" &
pids+=($!)
wait_for "http://127.0.0.1:$http_port/healthz" "PermissionLayer" "${pids[-1]}"

echo "[gateway] installing and starting the demo FHIR server (npm ci, once)"
upstream_dir="$repo/.local/gateway-upstream"
mkdir -p "$upstream_dir"
cp tests/PermissionLayer.Gateway.Tests/upstream/{package.json,package-lock.json,server.mjs} "$upstream_dir/"
if ! cmp -s "$upstream_dir/package-lock.json" "$upstream_dir/node_modules/.installed-lock.json" 2>/dev/null; then
  (cd "$upstream_dir" && npm ci --no-audit --no-fund >/dev/null && cp package-lock.json node_modules/.installed-lock.json)
fi
(cd "$upstream_dir" && PL_DEMO_ISSUER=1 exec node server.mjs "$upstream_port") &
pids+=($!)
upstream="http://127.0.0.1:$upstream_port"
wait_for "$upstream/metadata" "the FHIR server" "${pids[-1]}"
curl -fs -X POST "$upstream/\$load" -H 'content-type: application/json' --data @deploy/local/gateway-demo-data.json >/dev/null

gateway="http://127.0.0.1:$gateway_port"
dotnet src/PermissionLayer.Gateway/bin/Release/net10.0/PermissionLayer.Gateway.dll --urls "$gateway" \
  --Gateway:Upstream:BaseUrl "$upstream/" \
  --Gateway:DecisionService:Address "http://127.0.0.1:$grpc_port" --Gateway:DecisionService:ApiKey "$pep_key" \
  --Gateway:Tokens:Issuer "$upstream" --Gateway:Tokens:Audience "$gateway/" \
  --Gateway:DecisionService:DeadlineSeconds 10 --Logging:LogLevel:Default Warning &
pids+=($!)
wait_for "$gateway/healthz" "the gateway" "${pids[-1]}"

token=$(curl -fs -X POST "$upstream/demo-token" -H 'content-type: application/json' \
  -d "{\"aud\":\"$gateway/\",\"client_id\":\"demo-app\",\"fhirUser\":\"Practitioner/dr-alice\",\"scope\":\"user/*.rs\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
cat <<MSG

The gateway is running on $gateway, in front of the FHIR server on $upstream.
Dr Alice (client demo-app) has p-anna, p-ben and p-carl on her panel; p-dora and p-zoe are not hers.

  export TOKEN=$token

  curl -s $gateway/Observation -H "authorization: Bearer \$TOKEN"          # hr-anna and hr-ben only
  curl -s $gateway/Observation/hr-zoe -H "authorization: Bearer \$TOKEN"   # 403 OperationOutcome
  curl -s $upstream/Observation                                            # what the FHIR server holds: all four

Every answer carries X-Decision-Id (the audit rows of its decisions). The token expires in 5 minutes:
  curl -s -X POST $upstream/demo-token -H 'content-type: application/json' -d '{"aud":"$gateway/","client_id":"demo-app","fhirUser":"Practitioner/dr-alice","scope":"user/*.rs"}'

Ctrl+C stops the gateway, the FHIR server, PermissionLayer and its PostgreSQL.
MSG
wait "${pids[0]}"
