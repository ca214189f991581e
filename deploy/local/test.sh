#!/usr/bin/env bash
# Runs every test of the solution against a private PostgreSQL that this script provisions.
#
#   deploy/local/test.sh            build (Release) and run all tests
#   deploy/local/test.sh --no-build run the tests of the last build
#
# The cluster lives in .local/postgres-test (git-ignored) and is stopped afterwards, whatever the
# outcome. Prints the totals as one plain line, "N passed, N failed, N skipped", and exits non-zero
# on any failure.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

export PL_PG_DIR="$repo/.local/postgres-test"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The console's browser tests (tests/PermissionLayer.Console.Tests) drive Debian's chromium through
# Debian's chromedriver: install both when missing (CI runs this as root on a fresh machine).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "[test] installing Debian's chromium and chromium-driver (console browser tests)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 || echo "[test] chromium install failed: the console browser tests will fail" >&2
  else
    echo "[test] chromium or chromedriver missing and not root: the console browser tests will fail" >&2
  fi
fi

cleanup() { deploy/local/postgres.sh stop || true; }
trap cleanup EXIT

connection=$(deploy/local/postgres.sh start) || { echo "0 passed, 1 failed"; echo "could not start PostgreSQL" >&2; exit 1; }
export PERMISSIONLAYER_TEST_POSTGRES="$connection"
echo "[test] PostgreSQL: $connection"

if [ "${1:-}" != "--no-build" ]; then
  echo "[test] dotnet build -c Release"
  if ! dotnet build PermissionLayer.sln -c Release -nologo -clp:ErrorsOnly; then
    echo "0 passed, 1 failed"; echo "build failed" >&2; exit 1
  fi
fi

log="$repo/.local/test-output.log"
mkdir -p "$repo/.local"
echo "[test] dotnet test -c Release (full output: $log)"
dotnet test --solution PermissionLayer.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints one summary for the whole run; CI wants one plain line.
total_line() { grep -E "^\s+$1: [0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
passed=$(total_line succeeded); failed=$(total_line failed); skipped=$(total_line skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# The run's output is long (server logs); repeat each failed test and its message just before the
# totals so that the tail of a CI log names what failed.
if [ "$status" -ne 0 ]; then
  echo "[test] failed tests:"
  grep -E -A 14 "^\s*failed [A-Za-z_]" "$log" | grep -v -E "Orleans\.Runtime\.(Watchdog|Silo)" | head -n 150
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
