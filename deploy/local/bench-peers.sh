#!/usr/bin/env bash
# Issue 15 peers and audit cost, run by deploy/local/bench-scale.sh (bench.sh quick|full) while its server
# is up, with the data set loaded. Same machine, same run, same facts:
#   1. Cerbos: installs the PDP binary from npm (@cerbos/cerbos-linux-x64) under .local/peers (cached),
#      starts it on 127.0.0.1 with deploy/local/peers/cerbos/observation.yaml, and the load generator asks
#      the mix's Observation reads (tests/PermissionLayer.LoadGenerator/Peers) of our server (Check) and of
#      Cerbos (CheckResources over gRPC, the facts as principal/resource attributes), in alternating rounds
#      at the same concurrency, after checking that Cerbos decides every case as our server does.
#   2. Cedar: @cedar-policy/cedar-wasm in Node (deploy/local/peers/cedar/bench.mjs) on the same cases,
#      checked the same way, isAuthorized timed per decision; beside it our in-process decision
#      (tests/PermissionLayer.Benchmarks WarmEntitlementBenchmarks, median and bytes allocated) and Cedar
#      on that benchmark's facts.
#   3. Audit cost: two more servers on the same database with the audit Durable and Queued; the same cases
#      against all three, alternating with Ping, CPU per decision of each server and of PostgreSQL (every
#      process of the bench cluster, from /proc).
# A peer that does not deny what our server denies, or agrees on fewer than 99 % of the cases, fails
# the script before it is timed. Inputs (from bench-scale.sh): BENCH_DATA, BENCH_GRPC, BENCH_PEP_KEY,
# BENCH_SERVER_PID, BENCH_POSTMASTER_PID, BENCH_RESULTS, BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY,
# and the server's PermissionLayer__* environment. BENCH_PEERS_SKIP="inprocess audit" skips parts.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
for v in BENCH_DATA BENCH_GRPC BENCH_PEP_KEY BENCH_SERVER_PID BENCH_POSTMASTER_PID BENCH_RESULTS BENCH_SECONDS BENCH_ROUNDS BENCH_CONCURRENCY; do
  [ -n "${!v:-}" ] || { echo "bench-peers.sh: $v is not set (run it through deploy/local/bench.sh quick)" >&2; exit 2; }
done
results=$BENCH_RESULTS
summary=$results/summary.txt
say() { echo "[peers] $* (load average $(cut -d" " -f1 /proc/loadavg))" | tee -a "$summary" >&2; }
skip() { [[ " ${BENCH_PEERS_SKIP:-} " == *" $1 "* ]]; }
loadgen=tests/PermissionLayer.LoadGenerator/bin/Release/net10.0/PermissionLayer.LoadGenerator.dll
server=src/PermissionLayer.Server/bin/Release/net10.0/PermissionLayer.Server.dll
peers=$repo/.local/peers
cerbos_bin=$peers/node_modules/@cerbos/cerbos-linux-x64/cerbos-linux-x64
cedar_wasm=$peers/node_modules/@cedar-policy/cedar-wasm
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
# results_of LOG: its RESULT lines appended to results.ndjson and shown.
results_of() { grep '^RESULT ' "$1" | sed 's/^RESULT //' | tee -a "$results/results.ndjson" | sed 's/^/[peers] /' | tee -a "$summary" >&2 || true; }
wait_http() { for _ in $(seq 1 600); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# The peers' packages, cached under .local/peers (never in the repository).
if [ ! -x "$cerbos_bin" ] || [ ! -f "$cedar_wasm/nodejs/cedar_wasm.js" ]; then
  say "installing @cerbos/cerbos-linux-x64@0.55.0 and @cedar-policy/cedar-wasm@4.13.0 into $peers"
  mkdir -p "$peers"
  [ -f "$peers/package.json" ] || echo '{"name":"permissionlayer-bench-peers","private":true}' > "$peers/package.json"
  (cd "$peers" && npm install --no-audit --no-fund --silent @cerbos/cerbos-linux-x64@0.55.0 @cedar-policy/cedar-wasm@4.13.0)
fi
say "Cerbos $("$cerbos_bin" --version | head -1), cedar-wasm $(jq -r .version "$cedar_wasm/package.json"), node $(node --version)"
"$cerbos_bin" compile deploy/local/peers/cerbos >/dev/null || { say "the Cerbos policy does not compile"; exit 1; }

# 1. Cerbos on loopback, then Check vs CheckResources on the same cases, alternating rounds.
CERBOS_HTTP_PORT=5198 CERBOS_GRPC_PORT=5199 CERBOS_POLICY_DIR=$repo/deploy/local/peers/cerbos \
  envsubst < deploy/local/peers/cerbos.yaml > "$results/cerbos.yaml"
CERBOS_NO_TELEMETRY=1 "$cerbos_bin" server --config="$results/cerbos.yaml" > "$results/cerbos.log" 2>&1 &
cerbos_pid=$!
pids+=("$cerbos_pid")
wait_http http://127.0.0.1:5198/_cerbos/health || { say "Cerbos did not start; see $results/cerbos.log"; exit 1; }
say "Cerbos (pid $cerbos_pid) on 127.0.0.1:5199: Check vs CheckResources, $BENCH_ROUNDS rounds x $BENCH_SECONDS s, concurrency $BENCH_CONCURRENCY"
common=(--key "$BENCH_PEP_KEY" --mix "$BENCH_DATA/requests.ndjson" --peer-data "$BENCH_DATA" --peer-cases 4000
        --concurrency "$BENCH_CONCURRENCY" --seconds "$BENCH_SECONDS" --rounds "$BENCH_ROUNDS" --postmaster-pid "$BENCH_POSTMASTER_PID")
if ! dotnet "$loadgen" "${common[@]}" --peer-cases-out "$results/peer-cases.json" --server-pids "$BENCH_SERVER_PID,$cerbos_pid" \
     --targets "Check=$BENCH_GRPC,Cerbos=cerbos+http://127.0.0.1:5199" > "$results/peers-cerbos.log" 2>&1; then
  grep -E '^(agreement|    |a peer)' "$results/peers-cerbos.log" | sed 's/^/[peers] /' | tee -a "$summary" >&2 || true
  say "FAILED: Cerbos run (see peers-cerbos.log)"; exit 1
fi
grep -E '^(peer cases|agreement|    (denied|deny case|DISAGREE)|round|.*ratio)' "$results/peers-cerbos.log" | sed 's/^/[peers] /' | tee -a "$summary" >&2
results_of "$results/peers-cerbos.log"
kill -TERM "$cerbos_pid"; wait "$cerbos_pid" 2>/dev/null || true

# 2. Cedar on the same cases (in Node), and our in-process decision (BenchmarkDotNet) in the same run.
say "Cedar: isAuthorized per decision in one Node process"
node deploy/local/peers/cedar/bench.mjs "$cedar_wasm" "$results/peer-cases.json" 4000 > "$results/peers-cedar.log" 2>&1 \
  || { sed 's/^/[peers] /' "$results/peers-cedar.log" | tail -20 | tee -a "$summary" >&2; say "FAILED: Cedar run"; exit 1; }
grep -vE '^RESULT' "$results/peers-cedar.log" | sed 's/^/[peers] /' | tee -a "$summary" >&2
results_of "$results/peers-cedar.log"
if ! skip inprocess; then
  say "our in-process decision: WarmEntitlementBenchmarks (BenchmarkDotNet ShortRun, in process)"
  dotnet build tests/PermissionLayer.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
  admin_connection=${PermissionLayer__Storage__ConnectionString/Database=benchscale/Database=postgres}
  (cd "$results" && PERMISSIONLAYER_TEST_POSTGRES="$admin_connection" Logging__LogLevel__Default=Warning \
     dotnet "$repo/tests/PermissionLayer.Benchmarks/bin/Release/net10.0/PermissionLayer.Benchmarks.dll" \
     --filter '*WarmEntitlementBenchmarks*' --exporters json > "$results/inprocess.log" 2>&1) \
    || { tail -20 "$results/inprocess.log" | sed 's/^/[peers] /' >&2; say "FAILED: in-process benchmark"; exit 1; }
  report=$(ls "$results"/BenchmarkDotNet.Artifacts/results/*WarmEntitlementBenchmarks*-report*.json 2>/dev/null | head -1)
  if [ -n "$report" ]; then
    jq -c '.Benchmarks[] | {measure:"inprocess", what:.Method, medianUs:((.Statistics.Median // 0)/1000), meanUs:((.Statistics.Mean // 0)/1000), allocatedBytes:.Memory.BytesAllocatedPerOperation}' "$report" \
      | tee -a "$results/results.ndjson" | sed 's/^/[peers] /' | tee -a "$summary" >&2
  fi
  grep -E '^\|' "$results/inprocess.log" | sed 's/^/[peers] /' | tee -a "$summary" >&2 || true
fi

# 3. Audit cost: the same cases against servers with the audit Off (the bench server), Durable, Queued.
if ! skip audit; then
  say "audit cost: servers with the audit Durable and Queued on the same database, same cases, alternating with Ping"
  audit_pids=()
  for mode_index in Durable:1 Queued:2; do
    mode=${mode_index%%:*} i=${mode_index##*:}
    PermissionLayer__Audit__Mode=$mode PermissionLayer__Cluster__ClusterId="bench-scale-$mode" \
    PermissionLayer__Endpoints__GrpcPort=$((5190 + 10 * i)) PermissionLayer__Endpoints__HttpPort=$((5191 + 10 * i)) \
    PermissionLayer__Cluster__SiloPort=$((11231 + i)) PermissionLayer__Cluster__GatewayPort=$((30131 + i)) \
      dotnet "$server" >> "$results/server-$mode.log" 2>&1 &
    pids+=($!) audit_pids+=($!)
  done
  for i in 1 2; do wait_http "http://127.0.0.1:$((5191 + 10 * i))/healthz" || { say "an audit server did not start"; exit 1; }; done
  if ! dotnet "$loadgen" "${common[@]}" --server-pids "$BENCH_SERVER_PID,${audit_pids[0]},${audit_pids[1]}" \
       --targets "Check(audit Off)=$BENCH_GRPC,Check(audit Durable)=http://127.0.0.1:5200,Check(audit Queued)=http://127.0.0.1:5210" > "$results/audit.log" 2>&1; then
    tail -20 "$results/audit.log" | sed 's/^/[peers] /' >&2; say "FAILED: audit run (see audit.log)"; exit 1
  fi
  grep -E '^(agreement|round|.*ratio|.*CPU per call:|.*ceiling)' "$results/audit.log" | sed 's/^/[peers] /' | tee -a "$summary" >&2
  results_of "$results/audit.log"
fi

# The ratios the targets are stated in (issue 15 §3), from this run's RESULT lines.
jq -rs '
  (map(select(.measure == "phase")) | INDEX(.target)) as $p
  | (map(select(.measure == "cedar")) | INDEX(.what)) as $c
  | (map(select(.measure == "inprocess")) | INDEX(.what)) as $i
  | [ if $p.Check and $p.Cerbos then
        "Check vs Cerbos CheckResources: throughput \($p.Check.callsPerSecond) vs \($p.Cerbos.callsPerSecond) calls/s = \(($p.Check.callsPerSecond / $p.Cerbos.callsPerSecond * 100 | round) / 100) x (target >= 1.5); p99 \($p.Check.p99Ms) vs \($p.Cerbos.p99Ms) ms (target: ours <= Cerbos)"
      else empty end,
      ( ($c | to_entries[] | select(.key | startswith("statefulIsAuthorized, benchmark")) | .value) as $cb
        | ($i.FullDecisionInProcess // empty) as $ib
        | "in-process decision (benchmark facts) median \($ib.medianUs * 100 | round / 100) us, \($ib.allocatedBytes) B allocated, vs Cedar statefulIsAuthorized median \($cb.medianUs) us on the same facts: \(($cb.medianUs / $ib.medianUs * 10 | round) / 10) x faster (target >= 2, <= 5 us, <= 1 KB)" ),
      ( ["Check(audit Off)", "Check(audit Durable)", "Check(audit Queued)"] | map($p[.]) | select(all(. != null))
        | "audit: Check durable / off \((.[1].callsPerSecond / .[0].callsPerSecond * 100 | round) / 100) (target >= 0.6), queued / off \((.[2].callsPerSecond / .[0].callsPerSecond * 100 | round) / 100) (target >= 0.9); PostgreSQL CPU per decision: off \(.[0].postgresCpuUsPerCall) us, durable \(.[1].postgresCpuUsPerCall) us, queued \(.[2].postgresCpuUsPerCall) us (target <= 15 us); server CPU per decision off \(.[0].serverCpuUsPerCall) us, durable \(.[1].serverCpuUsPerCall) us, queued \(.[2].serverCpuUsPerCall) us" )
    ] | .[]' "$results/results.ndjson" | sed 's/^/[peers] /' | tee -a "$summary" >&2 || true
say "done"
