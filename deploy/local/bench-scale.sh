#!/usr/bin/env bash
# Issue 15: a generated hospital network loaded through the real import and admin paths, then measured.
#   deploy/local/bench.sh quick|full [--scale F] [--seconds S] [--rounds R] [--concurrency C]
# quick ≈ 20k patients (a few minutes on 2 cores); full = 1M patients; --scale F scales the preset
# (e.g. full --scale 0.25). Steps: private PostgreSQL (.local/postgres-bench-scale), Release build,
# generate (tests/PermissionLayer.DataGenerator, into .local/bench-data/NAME; kept and reused when its
# manifest matches), start the server (audit Off unless BENCH_AUDIT=Durable|Queued), load, restart
# (time to ready with the consents on record), cold activation, narrowing under load, every principal
# activated once + memory, the request mix alternating with Ping (tests/PermissionLayer.LoadGenerator
# --mix) with the revocation probe running beside it, then the peer hook. Every figure goes to
# .local/bench-results/NAME-<time>/summary.txt (and results.ndjson: one JSON object per measurement).
#
# Peer hook (Cerbos, Cedar): if deploy/local/bench-peers.sh exists it is run last, while the server is
# still up, with BENCH_DATA (the data folder: facts-summary.json, requests.ndjson, fhir/, admin/),
# BENCH_GRPC (gRPC address), BENCH_PEP_KEY, BENCH_SERVER_PID, BENCH_POSTMASTER_PID, BENCH_RESULTS (the
# results folder: append JSON lines to results.ndjson), BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
preset=${1:?usage: bench.sh quick|full [--scale F] [--seconds S] [--rounds R] [--concurrency C]}; shift
scale="" seconds=8 rounds=3 concurrency=32
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;; --seconds) seconds=$2; shift 2 ;; --rounds) rounds=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;; *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
name=$preset${scale:+x$scale}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PL_PG_DIR="$repo/.local/postgres-bench-scale"
results="$repo/.local/bench-results/$name-$(date -u +%Y%m%dT%H%M%SZ)"
data="$repo/.local/bench-data/$name"
mkdir -p "$results"
summary="$results/summary.txt"
say() { echo "[bench] $* (load average $(cut -d" " -f1 /proc/loadavg))" | tee -a "$summary" >&2; }
result() { echo "$1" >> "$results/results.ndjson"; }
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
cleanup() { stop_server; deploy/local/postgres.sh stop || true; }
trap cleanup EXIT

say "preset $name, nproc=$(nproc), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), audit ${BENCH_AUDIT:-Off}"
admin=$(deploy/local/postgres.sh start)
pg_port=$(cat "$PL_PG_DIR/port")
psql "host=127.0.0.1 port=$pg_port user=postgres dbname=postgres" -qc "DROP DATABASE IF EXISTS benchscale" -c "CREATE DATABASE benchscale"
export PermissionLayer__Storage__ConnectionString="${admin/Database=postgres/Database=benchscale}"
export Logging__LogLevel__Default=Warning PermissionLayer__Audit__Mode=${BENCH_AUDIT:-Off}
export PermissionLayer__Endpoints__GrpcPort=5190 PermissionLayer__Endpoints__HttpPort=5191
export PermissionLayer__Cluster__ClusterId=bench-scale PermissionLayer__Cluster__SiloPort=11231 PermissionLayer__Cluster__GatewayPort=30131
grpc=http://127.0.0.1:5190

say "building (Release)"
for project in src/PermissionLayer.Server tests/PermissionLayer.DataGenerator tests/PermissionLayer.LoadGenerator; do
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly >/dev/null
done
server=src/PermissionLayer.Server/bin/Release/net10.0/PermissionLayer.Server.dll
gen=tests/PermissionLayer.DataGenerator/bin/Release/net10.0/PermissionLayer.DataGenerator.dll
loadgen=tests/PermissionLayer.LoadGenerator/bin/Release/net10.0/PermissionLayer.LoadGenerator.dll
counters=$repo/.local/tools/dotnet-counters
if [ ! -x "$counters" ]; then
  dotnet tool install --tool-path "$repo/.local/tools" dotnet-counters --version 10.0.750501 >/dev/null 2>&1 || say "dotnet-counters not installed: no managed heap figure"
fi

if [ ! -f "$data/manifest.json" ]; then
  say "generating $name into $data"
  dotnet "$gen" generate --preset "$preset" ${scale:+--scale "$scale"} --out "$data" | tee -a "$summary"
fi
cp "$data/manifest.json" "$results/"

dotnet "$server" migrate >/dev/null 2>&1
pep=$(dotnet "$server" create-key --name bench-pep --role pep 2>/dev/null)
adm=$(dotnet "$server" create-key --name bench-admin --role admin 2>/dev/null)

rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
start_server() {
  start_ms=$(date +%s%3N)
  dotnet "$server" >>"$results/server.log" 2>&1 &
  server_pid=$!
  until curl -fs http://127.0.0.1:5191/healthz >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { say "the server stopped; see $results/server.log"; exit 1; }
    sleep 0.1
  done
  ready_ms=$(( $(date +%s%3N) - start_ms ))
}
# managed_heap: the GC heap after its last collection and the committed GC memory, from dotnet-counters.
managed_heap() {
  [ -x "$counters" ] || { echo "n/a"; return; }
  rm -f "$results/counters.csv"
  "$counters" collect -p "$server_pid" --counters 'System.Runtime[dotnet.gc.last_collection.heap.size,dotnet.gc.last_collection.memory.committed_size]' \
    --format csv -o "$results/counters.csv" --duration 00:00:00:04 >/dev/null 2>&1 || true
  [ -f "$results/counters.csv" ] || { echo "n/a"; return; }
  awk -F, '/heap.size/ {heap[$5]=$NF} /committed_size/ {committed=$NF} END {s=0; for (g in heap) s+=heap[g]; printf "heap %.0f MiB, committed %.0f MiB", s/1048576, committed/1048576}' "$results/counters.csv"
}

start_server
sleep 2
baseline_rss=$(rss_mib "$server_pid")
say "empty server: ready in $ready_ms ms, RSS $baseline_rss MiB, $(managed_heap)"

say "loading $name through Import / ApplyChanges / PutClientRegistration / ChangeOrganizationPatients / PutConsent"
dotnet "$gen" load --data "$data" --address "$grpc" --key "$adm" | tee "$results/load.log" | grep -E '^\[load\] (all|.*patients/s|[a-z].* items )' | tee -a "$summary" >&2 || true
cp "$data/load-report.json" "$results/"
result "$(jq -c '{measure:"load"} + .' "$data/load-report.json")"
loaded_rss=$(rss_mib "$server_pid")
say "after load (grains the import touched are active): RSS $loaded_rss MiB"

say "restart with the data set on record"
stop_server
start_server
say "restart: /healthz ready in $ready_ms ms"
result "{\"measure\":\"restart\",\"healthzMs\":$ready_ms}"
dotnet "$gen" probe population --data "$data" --address "$grpc" --key "$pep" --since-ms "$start_ms" | tee -a "$results/probes.log" | grep RESULT | sed 's/^RESULT //' | tee -a "$results/results.ndjson" | sed 's/^/[bench] /' | tee -a "$summary" >&2

run_probe() {
  dotnet "$gen" probe "$@" --data "$data" --address "$grpc" --key "$pep" | tee -a "$results/probes.log" | grep RESULT | sed 's/^RESULT //' | tee -a "$results/results.ndjson" | sed 's/^/[bench] /' | tee -a "$summary" >&2
}
say "cold activation (first Check of each big-panel practitioner after the restart)"
run_probe cold
say "narrowing: StreamAccessiblePatients for the largest panel, the mix running beside it"
run_probe narrow --practitioner dr0 --repeat 5 --background 8
say "every practitioner and client activated once"
run_probe activate --parallel 8
sleep 3
activated_rss=$(rss_mib "$server_pid")
heap=$(managed_heap)
relationships=$(jq '.relationships.total' "$data/manifest.json")
per_relationship=$(( (activated_rss - baseline_rss) * 1048576 / (relationships > 0 ? relationships : 1) ))
say "memory, all activated: RSS $activated_rss MiB (empty server $baseline_rss MiB), $heap; $relationships relationships: $per_relationship bytes each (RSS growth / relationships)"
result "{\"measure\":\"memory\",\"rssMiB\":$activated_rss,\"emptyRssMiB\":$baseline_rss,\"managed\":\"$heap\",\"relationships\":$relationships,\"bytesPerRelationship\":$per_relationship}"

say "request mix alternating with Ping ($rounds rounds x $seconds s, concurrency $concurrency), revocation probe beside it"
postmaster=$(head -1 "$PL_PG_DIR/data/postmaster.pid")
dotnet "$loadgen" --key "$pep" --mix "$data/requests.ndjson" --concurrency "$concurrency" --seconds "$seconds" --rounds "$rounds" \
  --server-pids "$server_pid" --postmaster-pid "$postmaster" --targets "Mix=$grpc" > "$results/loadgen.log" 2>&1 &
loadgen_pid=$!
sleep 15 # past the load generator's warm-up: the probe runs under the timed load
dotnet "$gen" probe revoke --rounds 200 --data "$data" --address "$grpc" --key "$pep" --admin-key "$adm" > "$results/revoke.log" 2>&1 || true
wait "$loadgen_pid" || say "the load generator reported errors (see loadgen.log)"
grep RESULT "$results/revoke.log" | sed 's/^RESULT //' | tee -a "$results/results.ndjson" | sed 's/^/[bench] /' | tee -a "$summary" >&2 || say "revocation probe failed: $(tail -3 "$results/revoke.log")"
grep -vE '^\s*$' "$results/loadgen.log" | sed 's/^/[loadgen] /' | tee -a "$summary" >&2

if [ -x deploy/local/bench-peers.sh ]; then
  say "peers (deploy/local/bench-peers.sh)"
  BENCH_DATA="$data" BENCH_GRPC="$grpc" BENCH_PEP_KEY="$pep" BENCH_SERVER_PID="$server_pid" BENCH_POSTMASTER_PID="$postmaster" \
  BENCH_RESULTS="$results" BENCH_SECONDS="$seconds" BENCH_ROUNDS="$rounds" BENCH_CONCURRENCY="$concurrency" \
    deploy/local/bench-peers.sh 2>&1 | tee -a "$summary" || say "peer benchmark failed"
else
  say "no deploy/local/bench-peers.sh: peer engines (Cerbos, Cedar) not measured"
fi
say "done: $results"
