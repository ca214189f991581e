#!/usr/bin/env bash
# A private PostgreSQL for development and tests, bound to 127.0.0.1 on a free port.
#
#   deploy/local/postgres.sh start   install Debian's postgresql if missing, initdb once, start
#   deploy/local/postgres.sh stop    stop it (the data stays for the next start)
#   deploy/local/postgres.sh status  say whether it runs, and where
#   deploy/local/postgres.sh url     print the Npgsql connection string
#
# PL_PG_DIR chooses the cluster folder (default: .local/postgres in the repo, git-ignored).
# Idempotent: start on a running cluster and stop on a stopped one only say so.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${PL_PG_DIR:-$repo/.local/postgres}
# A cluster moved to /tmp (see prepare_dir) is used through its real path: the postgres user cannot
# follow the link through a folder it may not enter.
if [ -L "$dir" ]; then dir=$(readlink -f "$dir"); fi
say() { echo "[postgres] $*" >&2; }

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && echo "$candidate"
}

ensure_installed() {
  bindir=$(find_bindir || true)
  if [ -z "${bindir:-}" ]; then
    say "PostgreSQL is not installed: installing Debian's postgresql package (apt-get)."
    if [ "$(id -u)" -ne 0 ]; then say "need root to install postgresql"; exit 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bindir=$(find_bindir)
  fi
}

# PostgreSQL refuses to run as root: as root, run it as the 'postgres' user the package creates.
as_owner() {
  # From /, so the postgres user never needs to enter the caller's working folder.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster lives in $dir. When that folder is not reachable by the postgres user (a clone under
# /root, say), the data goes to a folder in /tmp named after $dir and $dir links to it.
prepare_dir() {
  mkdir -p "$(dirname "$dir")"
  if [ -e "$dir" ]; then return; fi
  if [ "$(id -u)" -eq 0 ] && ! (cd / && runuser -u postgres -- test -x "$(dirname "$dir")"); then
    local target="/tmp/permissionlayer-pg-$(echo -n "$dir" | md5sum | cut -c1-12)"
    mkdir -p "$target"
    ln -s "$target" "$dir"
    say "$(dirname "$dir") is not reachable by the postgres user: the cluster lives in $target"
  else
    mkdir -p "$dir"
  fi
  dir=$(readlink -f "$dir")
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  return 0
}

free_port() {
  local port
  for port in $(seq 55432 55632); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
  say "no free port in 55432-55632"; exit 1
}

is_running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

url() { echo "Host=127.0.0.1;Port=$(cat "$dir/port");Username=postgres;Database=postgres"; }

start() {
  ensure_installed
  prepare_dir
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    say "initdb: new cluster in $dir/data (trust auth, loopback only)"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  fi
  if is_running; then
    say "already running on 127.0.0.1:$(cat "$dir/port")"
    return
  fi
  # The port of the last start when it is still free: a restarted cluster keeps its connection string.
  local port
  if [ -f "$dir/port" ] && ! (exec 3<>/dev/tcp/127.0.0.1/"$(cat "$dir/port")") 2>/dev/null; then
    port=$(cat "$dir/port")
  else
    port=$(free_port)
  fi
  echo "$port" > "$dir/port"
  as_owner mkdir -p "$dir/socket"
  say "starting on 127.0.0.1:$port (log: $dir/postgres.log)"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/data/postgres.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir/socket -c max_connections=1000 -c shared_buffers=256MB" start >/dev/null
  ln -sf "$dir/data/postgres.log" "$dir/postgres.log" 2>/dev/null || true
}

stop() {
  bindir=$(find_bindir || true)
  if [ -z "${bindir:-}" ] || ! is_running; then say "not running"; return; fi
  say "stopping"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case "${1:-}" in
  start) start; url ;;
  stop) stop ;;
  status) bindir=$(find_bindir || true); if [ -n "${bindir:-}" ] && is_running; then say "running: $(url)"; else say "not running"; exit 3; fi ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
