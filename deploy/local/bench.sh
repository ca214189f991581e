#!/usr/bin/env bash
# Measures Check against the no-op Ping, same run (PERFORMANCE.md), with the audit log Off (the
# baseline), Durable and Queued: three servers on one database, measured in turn in every round.
#   deploy/local/bench.sh [--concurrency 64] [--seconds 8] [--rounds 3]
# Provisions its own PostgreSQL (.local/postgres-bench) and servers on ports 5180-5185, stops all after.
#
#   deploy/local/bench.sh telemetry [--concurrency 64] [--seconds 8] [--rounds 3]
# Check with telemetry off against Check with every export on (Prometheus scrape, OTLP metrics and
# every span sampled, posted to a sink on loopback), same run, audit Durable on both (issue 18).
#
#   deploy/local/bench.sh quick|full [--scale F] ...
# The issue 15 scale benchmark instead: a generated hospital network loaded and measured
# (deploy/local/bench-scale.sh, which documents its steps, options and the peer hook).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
case "${1:-}" in quick|full) exec deploy/local/bench-scale.sh "$@" ;; esac
mode=audit
if [ "${1:-}" = telemetry ]; then mode=telemetry; shift; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PL_PG_DIR="$repo/.local/postgres-bench"
server_pids=()
helper_pids=() # not servers: left out of the load generator's CPU attribution
cleanup() {
  # TERM, not INT: a background job of a script starts with SIGINT ignored.
  for pid in "${server_pids[@]}" "${helper_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  deploy/local/postgres.sh stop || true
}
trap cleanup EXIT

admin=$(deploy/local/postgres.sh start)
psql "host=127.0.0.1 port=$(cat "$PL_PG_DIR/port") user=postgres dbname=postgres" -qc "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
export PermissionLayer__Storage__ConnectionString="${admin/Database=postgres/Database=bench}"
export Logging__LogLevel__Default=Warning

dotnet build src/PermissionLayer.Server -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build tests/PermissionLayer.LoadGenerator -c Release -nologo -clp:ErrorsOnly >/dev/null
server=src/PermissionLayer.Server/bin/Release/net10.0/PermissionLayer.Server.dll
dotnet "$server" migrate >/dev/null 2>&1
pep=$(dotnet "$server" create-key --name bench-pep --role pep 2>/dev/null)
adm=$(dotnet "$server" create-key --name bench-admin --role admin 2>/dev/null)
# start_server MODE INDEX: gRPC on 5180+2*INDEX, HTTP one above; each its own single-node cluster.
start_server() {
  env "${server_env[@]}" PermissionLayer__Audit__Mode=$1 PermissionLayer__Cluster__ClusterId="bench-$1-$2" \
  PermissionLayer__Endpoints__GrpcPort=$((5180 + 2 * $2)) PermissionLayer__Endpoints__HttpPort=$((5181 + 2 * $2)) \
  PermissionLayer__Cluster__SiloPort=$((11211 + $2)) PermissionLayer__Cluster__GatewayPort=$((30100 + $2)) \
    dotnet "$server" &
  server_pids+=($!)
  until curl -fs "http://127.0.0.1:$((5181 + 2 * $2))/healthz" >/dev/null 2>&1; do sleep 0.5; done
}
server_env=()
if [ "$mode" = telemetry ]; then
  # An OTLP sink on loopback: accepts every export (200, empty body), so the server pays the whole export.
  sink_port=5190
  python3 -c '
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200); self.send_header("content-type", "application/x-protobuf"); self.send_header("content-length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()' "$sink_port" &
  helper_pids+=($!)
  start_server Durable 0
  server_env=(PermissionLayer__Telemetry__PrometheusScrape=true OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port"
              OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRIC_EXPORT_INTERVAL=5000)
  start_server Durable 1
  server_env=()
  targets="Check(telemetry off)=http://127.0.0.1:5180,Check(telemetry on)=http://127.0.0.1:5182"
  # A scraper as Prometheus would be, every 5 s, for the whole run.
  (while sleep 5; do curl -fs http://127.0.0.1:5183/metrics >/dev/null || true; done) &
  helper_pids+=($!)
else
  start_server Off 0
  start_server Durable 1
  start_server Queued 2
  targets="Check(audit Off)=http://127.0.0.1:5180,Check(audit Durable)=http://127.0.0.1:5182,Check(audit Queued)=http://127.0.0.1:5184"
fi
for body in '{"grant":{"principal":"Client/bench-app","target":"*","actions":"rs","reason":"bench"}}' \
            '{"grant":{"principal":"Practitioner/bench-doc","target":"Patient/bench-patient","actions":"rs","reason":"bench"}}'; do
  curl -fs -X POST http://127.0.0.1:5181/v1/grants -H "authorization: Bearer $adm" -H 'content-type: application/json' -d "$body" >/dev/null
done
echo "[bench] nproc=$(nproc)"
dotnet tests/PermissionLayer.LoadGenerator/bin/Release/net10.0/PermissionLayer.LoadGenerator.dll \
  --key "$pep" --server-pids "$(IFS=,; echo "${server_pids[*]}")" --postmaster-pid "$(head -1 "$PL_PG_DIR/data/postmaster.pid")" \
  --targets "$targets" "$@"
