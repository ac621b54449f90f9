# shellcheck shell=bash
# Helpers sourced by scripts/run and scripts/test: make sure a PostgreSQL and a
# Redis server are reachable, installing (apt) and starting project-local
# instances when the ones in DATABASE_URL / REDIS_URL do not answer.
#   ensure_postgres  -> exports DATABASE_URL (app database) and PG_ADMIN_URL
#   ensure_redis     -> exports REDIS_URL
#   ensure_go_deps   -> checks go, installs the CA bundle Go needs if missing
#   ensure_chromium  -> exports CHROMIUM, installing Debian's chromium (browser tests) if missing
# Local instances: PostgreSQL on 127.0.0.1:55432, Redis on 127.0.0.1:56379,
# their files under .local/ (see _pg_base for when PostgreSQL's go elsewhere).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
export PATH="/usr/local/go/bin:$PATH"
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME

LOCAL_PG_PORT=55432
LOCAL_REDIS_PORT=56379

_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# _apt_install PKG... : install Debian packages (apt-get update once per run);
# apt's chatter is only shown if it fails.
_apt_install() {
  local log
  log=$(mktemp)
  echo "installing $* with apt-get..." >&2
  if { [ -n "${_CLINIC_APT_UPDATED:-}" ] || _as_root apt-get update -qq; } >"$log" 2>&1 &&
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      -o DPkg::Lock::Timeout=300 --no-install-recommends "$@" >>"$log" 2>&1; then
    _CLINIC_APT_UPDATED=1
    rm -f "$log"
  else
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
}

# _need CMD PKG : install PKG unless CMD is on PATH.
_need() { command -v "$1" >/dev/null 2>&1 || _apt_install "$2"; }

# _pg_url_db URL DB : URL with its database name replaced by DB.
_pg_url_db() {
  local url=$1 query="" hostpart
  case $url in *\?*) query="?${url#*\?}"; url=${url%%\?*} ;; esac
  hostpart=${url#*://}
  printf '%s://%s/%s%s' "${url%%://*}" "${hostpart%%/*}" "$2" "$query"
}

# _url_db URL : database name in URL (default clinic).
_url_db() {
  local rest=${1%%\?*}
  rest=${rest#*://}
  case $rest in */?*) printf '%s' "${rest#*/}" ;; *) printf clinic ;; esac
}

# _url_host URL : host:port of URL, without credentials (for messages).
_url_host() { local h=${1#*://}; h=${h%%[/?]*}; printf '%s' "${h##*@}"; }

# Every psql runs with -w: it never waits at a password prompt, it fails and says why.
_psql() { PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5} psql -X -w -q -A -t -v ON_ERROR_STOP=1 "$@"; }
_pg_ok() { _psql -d "$1" -c 'select 1' >/dev/null 2>&1; }

# _pg_probe URL : 0 when the server at URL answers a query, 1 when nothing answers there (worth
# starting a local server instead), 2 when a server answers but refuses us (a password, a role...),
# with psql's words in PG_ERR.
_pg_probe() {
  PG_ERR=$(_psql -d "$1" -c 'select 1' 2>&1 >/dev/null) && return 0
  case $PG_ERR in
    *"Connection refused"* | *"could not connect"* | *"timeout expired"* | *"No such file or directory"* | \
      *"could not translate host name"* | *"Network is unreachable"* | *"No route to host"*) return 1 ;;
  esac
  return 2
}

# _pg_refused URL : explain why the server at URL refused the connection and what to set.
_pg_refused() {
  echo "postgres: $(_url_host "$1") refused the connection: ${PG_ERR:-no reason given}" >&2
  case $PG_ERR in
    *password*)
      case $PG_ERR in
        *"no password supplied"*) echo "The server wants a password and none was given (psql runs with -w, so it never prompts)." >&2 ;;
        *) echo "The server did not accept the password given." >&2 ;;
      esac
      cat >&2 <<'EOF2'
Set DATABASE_URL with the password, e.g.
  DATABASE_URL='postgres://USER:PASSWORD@HOST:PORT/clinic?sslmode=disable' scripts/run
or put it in ~/.pgpass, one line HOST:PORT:*:USER:PASSWORD, readable only by you (chmod 600 ~/.pgpass).
EOF2
      ;;
    *)
      echo "Set DATABASE_URL to a server and role that may connect and create databases." >&2
      ;;
  esac
}

# Run a command as the OS user owning the local cluster (postgres when root:
# initdb/postgres refuse to run as root).
_as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Directory of the newest installed PostgreSQL server binaries (or $1's version).
_pg_bindir() {
  local d
  if [ -n "${1:-}" ] && [ -x "/usr/lib/postgresql/$1/bin/initdb" ]; then
    d=/usr/lib/postgresql/$1/bin
  else
    d=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n1)
    d=${d%/initdb}
    [ -n "$d" ] || d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")
  fi
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && printf '%s' "$d"
}

# Folder of the local cluster (data/, log, socket). Normally .local/postgres.
# As root the server runs as the postgres user, which cannot enter the project
# if it lives somewhere private such as /root; then a postgres-owned folder
# /var/tmp/clinic-<hash of project path>/postgres is used instead (same path
# on every run, so later runs find and reuse it).
# Sets PG_BASE.
_pg_base() {
  PG_BASE=$ROOT/.local/postgres
  mkdir -p "$ROOT/.local"
  if [ "$(id -u)" != 0 ]; then mkdir -p "$PG_BASE"; return; fi
  id postgres >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
  if ! runuser -u postgres -- test -x "$ROOT/.local"; then
    PG_BASE=/var/tmp/clinic-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)/postgres
    install -d -m 755 "${PG_BASE%/*}"
  fi
  install -d -o postgres -g postgres -m 700 "$PG_BASE"
}

# Initialise (first time) and start the project-local cluster.
_pg_start_local() {
  local base data bin sock locale=C
  _pg_base
  base=$PG_BASE data=$PG_BASE/data
  bin=$(_pg_bindir "$(cat "$data/PG_VERSION" 2>/dev/null || true)") ||
    { _apt_install postgresql; bin=$(_pg_bindir); }
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"
    locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=C.UTF-8
    _as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale="$locale" \
      >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; return 1; }
    sock=$base
    [ ${#sock} -le 80 ] || sock=""   # unix socket paths are limited to ~107 bytes
    cat >>"$data/postgresql.conf" <<EOF

# project-local settings (scripts/lib/services.sh)
listen_addresses = '127.0.0.1'
port = $LOCAL_PG_PORT
unix_socket_directories = '$sock'
max_connections = 200
fsync = off                 # throwaway dev/test cluster: speed over durability
synchronous_commit = off
EOF
  fi
  _as_pg "$bin/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t 120 start >/dev/null ||
    { tail -n 20 "$base/postgres.log" >&2; return 1; }
}

ensure_postgres() {
  local url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/clinic?sslmode=disable}
  local db where
  db=$(_url_db "$url")
  _need psql postgresql-client
  local rc=0
  _pg_probe "$(_pg_url_db "$url" postgres)" || rc=$?
  if [ "$rc" = 0 ]; then
    echo "postgres: using $(_url_host "$url") (DATABASE_URL)" >&2
  elif [ "$rc" = 2 ]; then
    _pg_refused "$url"
    return 1
  else
    where="$(_url_host "$url") not answering"
    url="postgres://postgres@127.0.0.1:$LOCAL_PG_PORT/$db?sslmode=disable"
    if _pg_ok "$(_pg_url_db "$url" postgres)"; then
      echo "postgres: $where; using running project-local server 127.0.0.1:$LOCAL_PG_PORT" >&2
    else
      _pg_start_local
      echo "postgres: $where; started project-local server 127.0.0.1:$LOCAL_PG_PORT, data in $PG_BASE/data" >&2
    fi
  fi
  DATABASE_URL=$(_pg_url_db "$url" "$db")
  PG_ADMIN_URL=$(_pg_url_db "$url" postgres)
  export DATABASE_URL PG_ADMIN_URL
  if [ -z "$(_psql -d "$PG_ADMIN_URL" -v db="$db" <<<"select 1 from pg_database where datname = :'db'")" ]; then
    _psql -d "$PG_ADMIN_URL" -v db="$db" <<<'create database :"db"' >/dev/null
  fi
}

# Go fetches modules over HTTPS: a bare Debian lacks the CA bundle.
ensure_go_deps() {
  command -v go >/dev/null || { echo "go not found (expected in /usr/local/go/bin)" >&2; return 1; }
  [ -s /etc/ssl/certs/ca-certificates.crt ] || _apt_install ca-certificates
}

_redis_ok() { [ "$(timeout 5 redis-cli "$@" ping 2>/dev/null)" = PONG ]; }

ensure_redis() {
  local url=${REDIS_URL:-redis://127.0.0.1:6379/0} dir=$ROOT/.local/redis where
  _need redis-cli redis-tools
  if _redis_ok -u "$url"; then
    echo "redis: using $(_url_host "$url") (REDIS_URL)" >&2
  else
    where="$(_url_host "$url") not answering"
    if _redis_ok -p "$LOCAL_REDIS_PORT"; then
      echo "redis: $where; using running project-local server 127.0.0.1:$LOCAL_REDIS_PORT" >&2
    else
      _need redis-server redis-server
      mkdir -p "$dir"
      redis-server --port "$LOCAL_REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
        --save "" --appendonly no --dir "$dir" --logfile "$dir/redis.log" \
        --pidfile "$dir/redis.pid" >/dev/null
      for _ in $(seq 50); do _redis_ok -p "$LOCAL_REDIS_PORT" && break; sleep 0.2; done
      _redis_ok -p "$LOCAL_REDIS_PORT" || { tail -n 20 "$dir/redis.log" >&2; return 1; }
      echo "redis: $where; started project-local server 127.0.0.1:$LOCAL_REDIS_PORT, files in $dir" >&2
    fi
    url="redis://127.0.0.1:$LOCAL_REDIS_PORT/0"
  fi
  export REDIS_URL=$url
}

# ensure_chromium -> exports CHROMIUM (path of Debian's chromium) for the console's browser tests,
# installing the chromium package when it is missing. The fonts make pages and screenshots readable.
ensure_chromium() {
  local bin
  bin=$(command -v chromium 2>/dev/null || true)
  if [ -z "$bin" ]; then
    _apt_install chromium fonts-dejavu-core fonts-liberation2 || {
      echo "chromium: could not install it; the browser tests will fail under CI" >&2
      return 0
    }
    bin=$(command -v chromium)
  fi
  export CHROMIUM=$bin
}
