#!/usr/bin/env bash
# A cache server for `notebook build --cache-url`: nginx with its WebDAV module (Debian's
# nginx-light), serving Bazel's HTTP cache protocol (GET/PUT /ac/<sha256>, /cas/<sha256>) from a
# folder, on 127.0.0.1 only, as the current user, with its configuration, pid and logs in a
# private temporary folder.
#
#   scripts/cache-server.sh start PORT DIR [WATCH_PID]   # prints the state folder; returns once it answers
#   scripts/cache-server.sh stop STATE                   # stops it and waits until it is gone
#
# With WATCH_PID, the server also stops by itself once that process is gone (a test that dies
# leaves no server behind).
set -euo pipefail

# Closes every descriptor but 0-2 in this (sub)shell, so that the daemon holds nothing of the
# caller's: a caller that learns of its child's exit through an inherited socket (Foundation's
# Process does) would otherwise wait for the server to stop.
close_inherited() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

usage() { echo "usage: $0 start PORT DIR [WATCH_PID] | stop STATE" >&2; exit 2; }

start() {
  local port=$1 root=$2 watch=${3:-}
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || { echo "$0: bad port '$port'" >&2; exit 2; }
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$nginx" ] || { echo "$0: nginx is not installed (scripts/install-deps.sh installs nginx-light)" >&2; exit 2; }
  mkdir -p "$root"
  root=$(cd "$root" && pwd)
  local state
  state=$(mktemp -d "${TMPDIR:-/tmp}/notebook-cache-server.XXXXXX")
  # Workers run as the master's user; as root, nginx would switch them to 'nobody' unless told.
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat > "$state/nginx.conf" <<EOF
$user
daemon on;
worker_processes 1;
pid $state/nginx.pid;
error_log $state/error.log;
events { worker_connections 256; }
http {
  access_log $state/access.log;
  client_body_temp_path $state/body;
  proxy_temp_path $state/proxy;
  fastcgi_temp_path $state/fastcgi;
  uwsgi_temp_path $state/uwsgi;
  scgi_temp_path $state/scgi;
  client_max_body_size 4g;
  server {
    listen 127.0.0.1:$port;
    root $root;
    location ~ "^/(.*/)?(ac|cas)/[0-9a-f]{64}\$" {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
    }
    location / { return 404; }
  }
}
EOF
  # Its output to files: a daemon holding the caller's pipe would keep a reader waiting.
  if ! (close_inherited; exec "$nginx" -p "$state" -c "$state/nginx.conf" -e "$state/error.log") \
    > "$state/start.out" 2> "$state/start.err" < /dev/null; then
    cat "$state/start.err" "$state/error.log" >&2 2>/dev/null || true
    rm -rf "$state"
    exit 1
  fi
  for _ in $(seq 100); do
    [ -s "$state/nginx.pid" ] && (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.05
  done
  if [ -n "$watch" ]; then
    # Detached from the caller's output, so a caller reading it to the end is not held up.
    (close_inherited; exec nohup bash -c 'while kill -0 "$1" 2>/dev/null && [ -s "$2/nginx.pid" ]; do sleep 1; done
                   [ -s "$2/nginx.pid" ] && kill "$(cat "$2/nginx.pid")" 2>/dev/null' _ "$watch" "$state") \
      > /dev/null 2>&1 < /dev/null &
  fi
  echo "$state"
}

stop() {
  local state=$1
  [ -f "$state/nginx.conf" ] || { echo "$0: '$state' is not a cache server's state folder" >&2; exit 2; }
  if [ -s "$state/nginx.pid" ]; then
    local pid
    pid=$(cat "$state/nginx.pid")
    rm -f "$state/nginx.pid"   # tells the watcher it is done
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$state"
}

case "${1:-}" in
  start) [ $# -ge 3 ] && [ $# -le 4 ] || usage; start "$2" "$3" "${4:-}" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
