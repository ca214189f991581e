#!/usr/bin/env bash
# The slow reliability scenarios of docs/reliability.md, one after another (they measure timings,
# so they do not share the machine with each other): a node killed under load (failover window,
# old settings against the defaults), kill -9 of a queued-mode server (answered decisions lost),
# the cost of the queued-mode write-ahead log; plus the fast fault scenarios whose figures the
# document quotes (audit store cut and restored, unknown-principal flood). Figures are printed at
# the end (and kept in tests/PermissionLayer.Server.Tests/bin/Debug/net10.0/reliability-figures.log).
#
#   deploy/local/reliability.sh            build, start the local PostgreSQL if needed, run
#   PL_PG_DIR=... deploy/local/reliability.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export PL_PG_DIR=${PL_PG_DIR:-$repo/.local/postgres-test}
export PERMISSIONLAYER_TEST_POSTGRES=${PERMISSIONLAYER_TEST_POSTGRES:-$(deploy/local/postgres.sh start)}
export PERMISSIONLAYER_SLOW_SCENARIOS=1
dotnet build tests/PermissionLayer.Server.Tests -c Debug -clp:ErrorsOnly -nologo
out=tests/PermissionLayer.Server.Tests/bin/Debug/net10.0
export PERMISSIONLAYER_SCENARIO_REPORT=$repo/$out/reliability-figures.log
: > "$PERMISSIONLAYER_SCENARIO_REPORT"
status=0
(cd "$out" && dotnet PermissionLayer.Server.Tests.dll -parallel none \
  -class PermissionLayer.Server.Tests.Cluster.FailoverWindowTests \
  -class PermissionLayer.Server.Tests.Audit.QueuedAuditCrashTests \
  -class PermissionLayer.Server.Tests.Audit.QueuedWriteAheadCostTests \
  -class PermissionLayer.Server.Tests.Audit.AuditOutageTests \
  -class PermissionLayer.Server.Tests.Cluster.UnknownPrincipalMemoryTests) || status=$?
echo "--- figures ($PERMISSIONLAYER_SCENARIO_REPORT)"
cat "$PERMISSIONLAYER_SCENARIO_REPORT"
exit $status
