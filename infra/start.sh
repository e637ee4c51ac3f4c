#!/usr/bin/env bash
# Start the local infrastructure for the platform (dev/test only):
#   - PostgreSQL 15 (cluster 15/main) on 127.0.0.1:5432, role/db "platform"
#   - RabbitMQ (node rabbit@localhost) on 127.0.0.1:5672, guest/guest
#
# Idempotent: installs what is missing, (re)configures, starts what is not
# running, and is a fast no-op (a few seconds) when everything is up.
#
# stdout carries ONLY the connection strings as shell export lines, so a caller
# can do:   eval "$(infra/start.sh)"
# All progress/diagnostic output goes to stderr. Non-zero exit on any failure.
#
# Debian 12, run as root, no systemd/docker needed. See infra/README.md.
set -euo pipefail

# Keep the real stdout on fd 3 for the final export lines; everything else
# (including output of the tools we call) goes to stderr.
exec 3>&1 1>&2

export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C.UTF-8

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
START_MS=$(( $(date +%s%N) / 1000000 ))

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
PG_HOST=127.0.0.1
PG_USER=platform
PG_PASSWORD=platform
PG_DB=platform
PG_MAX_CONNECTIONS=300
PG_CONF_DIR="/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}"
# Memory settings sized to the machine as for a production server (docs/postgresql.md): a quarter of the memory for
# shared_buffers, at least the default 128 MB and at most 8 GB; the planner is told the rest is mostly cache.
PG_MEM_MB=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# In a container the memory limit, not the host's memory, is what PostgreSQL may use.
if [ -r /sys/fs/cgroup/memory.max ] && grep -Eq '^[0-9]+$' /sys/fs/cgroup/memory.max; then
  limit_mb=$(( $(cat /sys/fs/cgroup/memory.max) / 1048576 ))
  [ "$limit_mb" -ge "$PG_MEM_MB" ] || PG_MEM_MB=$limit_mb
fi
PG_SHARED_BUFFERS_MB=$(( PG_MEM_MB / 4 ))
[ "$PG_SHARED_BUFFERS_MB" -le 8192 ] || PG_SHARED_BUFFERS_MB=8192
[ "$PG_SHARED_BUFFERS_MB" -ge 128 ] || PG_SHARED_BUFFERS_MB=128
PG_EFFECTIVE_CACHE_MB=$(( PG_MEM_MB * 3 / 4 ))

RMQ_HOST=127.0.0.1
RMQ_PORT=5672
RMQ_DIST_PORT=25672
EPMD_PORT=4369
RMQ_NODE=rabbit@localhost
RMQ_ETC=/etc/rabbitmq
RMQ_START_TIMEOUT=90

log() { printf '[infra %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
DIED=0
die() { DIED=1; printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
# Unexpected failures (set -e) still get a clear message on stderr.
trap 'rc=$?; [ $rc -eq 0 ] || [ $DIED -eq 1 ] || printf "[infra] ERROR: start.sh failed (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' EXIT

[ "$(id -u)" -eq 0 ] || die "must be run as root (uses apt-get, pg_ctlcluster, runuser)"

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
pkg_installed() {
  dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

wait_for_other_apt() {
  local waited=0
  while pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null; do
    [ $waited -eq 0 ] && log "another apt-get/dpkg is running; waiting for it to finish..."
    sleep 3; waited=$((waited + 3))
    [ $waited -lt 1800 ] || die "apt-get/dpkg still running after 30 min; giving up"
  done
}

# Listening sockets on $1 whose local address is not loopback (prints them).
non_loopback_listeners() {
  ss -Hltn "sport = :$1" 2>/dev/null | awk '{print $4}' | grep -Ev '^(127\.[0-9.]+|\[::1\]):[0-9]+$' || true
}

tcp_open() { timeout 3 bash -c "exec 9<>/dev/tcp/$1/$2" 2>/dev/null; }

# Run a command that may leave a daemon behind (postgres, epmd, beam, apt
# postinst scripts, ...). The daemon must not inherit our stdout pipe (fd 3)
# or stderr, or any other descriptor of the caller. Otherwise
# `eval "$(infra/start.sh)"` or `infra/start.sh 2>&1 | tee` would wait until
# the daemon exits. So: all fds > 2 closed, stdin /dev/null, output to a temp
# file that is then copied to stderr. Returns the command's exit code.
spawn() {
  local out rc=0
  out="$(mktemp /tmp/infra-start.XXXXXX)"
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
    done
    exec "$@" </dev/null >"$out" 2>&1
  ) || rc=$?
  cat "$out" >&2 || true
  rm -f "$out"
  return $rc
}

# Real AMQP 0-9-1 handshake: connect, PLAIN login, open vhost, close cleanly.
# Usage: amqp_login host port user pass vhost   -> exit 0 on success.
amqp_login() {
  timeout 10 perl -MIO::Socket::INET -e '
    use strict; use warnings;
    my ($host, $port, $user, $pass, $vhost) = @ARGV;
    my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Proto => "tcp", Timeout => 3)
      or do { print STDERR "amqp: connect $host:$port failed: $!\n"; exit 2 };
    sub rd { my $n = shift; my $b = "";
      while (length($b) < $n) { my $r = sysread($s, $b, $n - length($b), length($b));
        die "amqp: connection closed by server (bad credentials / not allowed from this address?)\n" unless $r; }
      return $b; }
    sub method { my ($class, $meth, $args) = @_; my $p = pack("nn", $class, $meth) . $args;
      syswrite($s, pack("CnN", 1, 0, length $p) . $p . "\xCE") or die "amqp: write failed\n"; }
    sub next_method { while (1) { my ($type, $ch, $size) = unpack("CnN", rd(7));
      my $p = rd($size); rd(1); next unless $type == 1; return ($p, unpack("nn", $p)); } }
    sub sstr { pack("C/a*", $_[0]) }
    syswrite($s, "AMQP\x00\x00\x09\x01");
    my ($p, $c, $m) = next_method();
    die "amqp: expected connection.start, got $c.$m\n" unless $c == 10 && $m == 10;
    method(10, 11, pack("N", 0) . sstr("PLAIN") . pack("N/a*", "\0$user\0$pass") . sstr("en_US"));
    ($p, $c, $m) = next_method();
    if ($c == 10 && $m == 50) { my ($code, $txt) = unpack("x4 n C/a*", $p); die "amqp: refused: $code $txt\n"; }
    die "amqp: expected connection.tune, got $c.$m\n" unless $c == 10 && $m == 30;
    my ($chmax, $fmax, $hb) = unpack("x4 n N n", $p);
    method(10, 31, pack("nNn", $chmax, $fmax, 0));
    method(10, 40, sstr($vhost) . sstr("") . "\0");
    ($p, $c, $m) = next_method();
    if ($c == 10 && $m == 50) { my ($code, $txt) = unpack("x4 n C/a*", $p); die "amqp: refused: $code $txt\n"; }
    die "amqp: expected connection.open-ok, got $c.$m\n" unless $c == 10 && $m == 41;
    method(10, 50, pack("n", 200) . sstr("bye") . pack("nn", 0, 0));
    ($p, $c, $m) = next_method();
    exit 0;
  ' "$@"
}

# The RabbitMQ server VM (not the short-lived CLI VMs, which also run as rabbitmq).
rabbit_beam_pids() { pgrep -u rabbitmq -f 'beam.*-s rabbit boot' 2>/dev/null || true; }

pg_psql_super() {
  (cd / && runuser -u postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@")
}

pg_check_app_login() {
  # Prints the settings that need a restart (pg_restart_settings_sql) when the app user can log in over TCP.
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -A -t -v ON_ERROR_STOP=1 \
    -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -c "$pg_restart_settings_sql" \
    2>/dev/null
}

# The settings that only take effect on a restart, as "max_connections|listen_addresses|port|shared_buffers in MB".
pg_restart_settings_sql="select current_setting('max_connections') || '|' || current_setting('listen_addresses') || '|' || current_setting('port') || '|' || pg_size_bytes(current_setting('shared_buffers')) / 1048576"

# ---------------------------------------------------------------------------
# 1. packages
# ---------------------------------------------------------------------------
missing=()
for p in "postgresql-${PG_VERSION}" "postgresql-client-${PG_VERSION}" rabbitmq-server; do
  pkg_installed "$p" || missing+=("$p")
done
command -v ss >/dev/null || missing+=(iproute2)
command -v perl >/dev/null || missing+=(perl-base)
if [ ${#missing[@]} -gt 0 ]; then
  wait_for_other_apt
  # re-check: the other apt run may have installed them meanwhile
  still=()
  for p in "${missing[@]}"; do
    case "$p" in
      iproute2) command -v ss >/dev/null || still+=("$p") ;;
      perl-base) command -v perl >/dev/null || still+=("$p") ;;
      *) pkg_installed "$p" || still+=("$p") ;;
    esac
  done
  if [ ${#still[@]} -gt 0 ]; then
    log "installing: ${still[*]}"
    spawn apt-get -o DPkg::Lock::Timeout=600 update -qq
    spawn apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confold -y -q \
      --no-install-recommends install "${still[@]}"
  fi
  for p in "postgresql-${PG_VERSION}" rabbitmq-server; do
    pkg_installed "$p" || die "package $p is still not installed"
  done
fi

# ---------------------------------------------------------------------------
# 2. PostgreSQL
# ---------------------------------------------------------------------------
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'; then
  log "creating PostgreSQL cluster ${PG_VERSION}/${PG_CLUSTER}"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" --encoding UTF8 --locale C.UTF-8
fi
[ -d "$PG_CONF_DIR" ] || die "PostgreSQL config dir $PG_CONF_DIR not found"

pg_conf_changed=0
mkdir -p "$PG_CONF_DIR/conf.d"
pg_conf_file="$PG_CONF_DIR/conf.d/90-platform.conf"
pg_conf_new="$(cat <<EOF
# Managed by infra/start.sh (platform dev/test infrastructure). Do not edit;
# changes here are overwritten. Durability settings are left at defaults.
listen_addresses = '${PG_HOST}'
port = ${PG_PORT}
max_connections = ${PG_MAX_CONNECTIONS}
password_encryption = 'scram-sha-256'
# Sized to this machine (${PG_MEM_MB} MB) as for production; why: docs/postgresql.md.
shared_buffers = ${PG_SHARED_BUFFERS_MB}MB
effective_cache_size = ${PG_EFFECTIVE_CACHE_MB}MB
# Checkpoints by time rather than by WAL volume, and compressed full-page images.
checkpoint_timeout = 15min
max_wal_size = 8GB
min_wal_size = 1GB
wal_compression = lz4
EOF
)"
if [ ! -f "$pg_conf_file" ] || [ "$(cat "$pg_conf_file")" != "$pg_conf_new" ]; then
  log "writing $pg_conf_file"
  printf '%s\n' "$pg_conf_new" > "$pg_conf_file"
  chown postgres:postgres "$pg_conf_file"; chmod 0644 "$pg_conf_file"
  pg_conf_changed=1
fi
grep -Eq "^[[:space:]]*include_dir[[:space:]]*=[[:space:]]*'conf\.d'" "$PG_CONF_DIR/postgresql.conf" \
  || die "$PG_CONF_DIR/postgresql.conf does not include conf.d; cannot apply settings"

# pg_hba: password (scram) auth for the platform role over TCP on 127.0.0.1.
# Put first so it wins over anything below it (first match wins).
pg_hba="$PG_CONF_DIR/pg_hba.conf"
hba_line="host    all             ${PG_USER}        127.0.0.1/32            scram-sha-256"
if ! grep -qxF "$hba_line" "$pg_hba"; then
  log "adding '$hba_line' to $pg_hba"
  { printf '# platform dev/test (added by infra/start.sh)\n%s\n' "$hba_line"; cat "$pg_hba"; } > "$pg_hba.tmp"
  chown postgres:postgres "$pg_hba.tmp"; chmod 0640 "$pg_hba.tmp"
  mv "$pg_hba.tmp" "$pg_hba"
  pg_conf_changed=1
fi

pg_wait_ready() {
  for _ in $(seq 1 60); do
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return 0
    sleep 0.5
  done
  die "PostgreSQL not accepting connections on $PG_HOST:$PG_PORT (log: /var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log)"
}
pg_running() { pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; }
pg_expected="${PG_MAX_CONNECTIONS}|${PG_HOST}|${PG_PORT}|${PG_SHARED_BUFFERS_MB}"

if pg_running && [ $pg_conf_changed -eq 0 ] && [ "$(pg_check_app_login || true)" = "$pg_expected" ]; then
  log "PostgreSQL ${PG_VERSION}/${PG_CLUSTER} already running and configured"
else
  if pg_running; then
    if [ $pg_conf_changed -eq 1 ]; then
      log "reloading PostgreSQL configuration"
      pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" reload
    fi
  else
    log "starting PostgreSQL ${PG_VERSION}/${PG_CLUSTER}"
    spawn pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start \
      || die "PostgreSQL failed to start; see /var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log"
  fi
  pg_wait_ready

  # listen_addresses / port / max_connections / shared_buffers only take effect on restart.
  cur="$(pg_psql_super -c "$pg_restart_settings_sql")"
  if [ "$cur" != "$pg_expected" ]; then
    log "restarting PostgreSQL to apply settings (running: $cur, wanted: $pg_expected)"
    # ALTER SYSTEM values (postgresql.auto.conf) would override conf.d.
    pg_psql_super -c "ALTER SYSTEM RESET listen_addresses" -c "ALTER SYSTEM RESET port" -c "ALTER SYSTEM RESET max_connections" \
      -c "ALTER SYSTEM RESET shared_buffers"
    spawn pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart \
      || die "PostgreSQL failed to restart; see /var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log"
    pg_wait_ready
  fi

  log "ensuring role '$PG_USER' and database '$PG_DB'"
  pg_psql_super <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_USER}') THEN
    CREATE ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  ELSE
    ALTER ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  END IF;
END
\$\$;
SQL
  if [ "$(pg_psql_super -c "select 1 from pg_database where datname = '${PG_DB}'")" != "1" ]; then
    pg_psql_super -c "CREATE DATABASE ${PG_DB} OWNER ${PG_USER} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
  else
    pg_psql_super -c "ALTER DATABASE ${PG_DB} OWNER TO ${PG_USER}"
  fi

  got="$(pg_check_app_login || true)"
  [ "$got" = "$pg_expected" ] \
    || die "PostgreSQL check failed: password login as $PG_USER@$PG_HOST:$PG_PORT/$PG_DB returned '${got}', expected '$pg_expected'"
  log "PostgreSQL ready on $PG_HOST:$PG_PORT (max_connections=$PG_MAX_CONNECTIONS, shared_buffers=${PG_SHARED_BUFFERS_MB}MB)"
fi

# ---------------------------------------------------------------------------
# 3. RabbitMQ
# ---------------------------------------------------------------------------
rmq_conf_changed=0
mkdir -p "$RMQ_ETC"
for f in rabbitmq.conf rabbitmq-env.conf; do
  src="$SCRIPT_DIR/rabbitmq/$f"
  [ -f "$src" ] || die "missing $src"
  if ! cmp -s "$src" "$RMQ_ETC/$f"; then
    log "installing $src -> $RMQ_ETC/$f"
    install -o rabbitmq -g rabbitmq -m 0644 "$src" "$RMQ_ETC/$f"
    rmq_conf_changed=1
  fi
done

rabbit_exposed() {
  local p bad=""
  for p in "$RMQ_PORT" "$RMQ_DIST_PORT" "$EPMD_PORT"; do
    bad+="$(non_loopback_listeners "$p")"
  done
  [ -n "$bad" ]
}

stop_rabbit_nodes() {
  local pids
  pids="$(rabbit_beam_pids)"
  [ -n "$pids" ] || return 0
  log "stopping running RabbitMQ node (pid(s): $(echo $pids))"
  # Clean shutdown of our node; a node started some other way (e.g. by the
  # package postinst, named rabbit@<hostname>) gets SIGTERM, which the Erlang
  # VM also handles as a graceful shutdown.
  if spawn rabbitmqctl -q -n "$RMQ_NODE" shutdown --timeout 60 2>/dev/null; then
    for _ in $(seq 1 30); do [ -z "$(rabbit_beam_pids)" ] && break; sleep 1; done
  else
    log "rabbitmqctl shutdown of $RMQ_NODE failed (node not reachable under that name); using SIGTERM"
  fi
  pids="$(rabbit_beam_pids)"
  if [ -n "$pids" ]; then
    kill $pids 2>/dev/null || true
    for _ in $(seq 1 60); do [ -z "$(rabbit_beam_pids)" ] && break; sleep 1; done
    pids="$(rabbit_beam_pids)"
    [ -z "$pids" ] || die "could not stop RabbitMQ beam process(es): $pids"
  fi
}

# Called when a detached node died while booting. Early boot errors (e.g. an
# invalid rabbitmq.conf) never reach the log file and -detached discards the
# console, so show new log lines and then boot once in the foreground
# (bounded) to capture the error.
rabbit_boot_diagnostics() {
  local new
  new="$(tail -c +$((rmq_log_offset + 1)) "$rmq_log" 2>/dev/null | grep -E '\[(error|critical)\]' | tail -n 30 || true)"
  if [ -n "$new" ]; then
    printf '%s\n' "$new" >&2
  else
    log "no errors in $rmq_log; booting once in the foreground to capture the error:"
    timeout -k 5 30 rabbitmq-server 2>&1 3>&- </dev/null \
      | grep -E '\[(error|critical)\]|[Ee]rror|Kernel pid terminated|BOOT FAILED' | grep -v '^\s*$' | head -n 40 >&2 || true
    rm -f /var/lib/rabbitmq/erl_crash.dump
  fi
}

if [ $rmq_conf_changed -eq 0 ] && ! rabbit_exposed && amqp_login "$RMQ_HOST" "$RMQ_PORT" guest guest / 2>/dev/null; then
  log "RabbitMQ already running and configured"
else
  if [ -n "$(rabbit_beam_pids)" ]; then
    if [ $rmq_conf_changed -eq 1 ]; then log "RabbitMQ config changed; restarting node"; fi
    if rabbit_exposed; then log "RabbitMQ/epmd listening on non-loopback addresses; restarting"; fi
    stop_rabbit_nodes
  fi
  # epmd must be bound to loopback; if one is running on a wildcard address
  # (started without ERL_EPMD_ADDRESS), replace it.
  if [ -n "$(non_loopback_listeners "$EPMD_PORT")" ]; then
    log "epmd is listening on a non-loopback address; restarting it on 127.0.0.1"
    epmd -kill >/dev/null 2>&1 || true
    sleep 1
    [ -z "$(non_loopback_listeners "$EPMD_PORT")" ] || die "epmd still listening on non-loopback address (other Erlang nodes running?)"
  fi
  if ! ss -Hltn "sport = :$EPMD_PORT" | grep -q .; then
    spawn runuser -u rabbitmq -- env ERL_EPMD_ADDRESS=127.0.0.1 epmd -daemon
  fi

  mkdir -p /var/log/rabbitmq /var/lib/rabbitmq
  chown rabbitmq:rabbitmq /var/log/rabbitmq /var/lib/rabbitmq
  rmq_log="/var/log/rabbitmq/${RMQ_NODE}.log"
  rmq_log_offset=$(stat -c %s "$rmq_log" 2>/dev/null || echo 0)
  log "starting RabbitMQ node $RMQ_NODE (detached)"
  spawn rabbitmq-server -detached \
    || die "rabbitmq-server -detached failed"
  ok=0
  for i in $(seq 1 $((RMQ_START_TIMEOUT * 2))); do
    if tcp_open "$RMQ_HOST" "$RMQ_PORT" && amqp_login "$RMQ_HOST" "$RMQ_PORT" guest guest / 2>/dev/null; then
      ok=1; break
    fi
    # Node died during boot? (give it a few seconds to fork first)
    if [ "$i" -gt 10 ] && [ -z "$(rabbit_beam_pids)" ]; then
      rabbit_boot_diagnostics
      die "RabbitMQ node exited during startup (errors above; full log: $rmq_log)"
    fi
    sleep 0.5
  done
  if [ $ok -ne 1 ]; then
    tail -c +$((rmq_log_offset + 1)) "$rmq_log" 2>/dev/null | tail -n 40 >&2 || true
    die "RabbitMQ did not accept AMQP logins on $RMQ_HOST:$RMQ_PORT within ${RMQ_START_TIMEOUT}s; see $rmq_log"
  fi
  spawn rabbitmqctl -q -n "$RMQ_NODE" await_startup --timeout 60 \
    || die "rabbitmqctl await_startup failed for $RMQ_NODE"
  spawn rabbitmq-diagnostics -q -n "$RMQ_NODE" check_port_connectivity \
    || die "rabbitmq-diagnostics check_port_connectivity failed"
  # Show the error if the guest login check fails now.
  amqp_login "$RMQ_HOST" "$RMQ_PORT" guest guest / || die "guest/guest AMQP login from $RMQ_HOST failed"
  log "RabbitMQ ready on $RMQ_HOST:$RMQ_PORT (guest/guest, vhost /)"
fi

# ---------------------------------------------------------------------------
# 4. final checks + output
# ---------------------------------------------------------------------------
pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "PostgreSQL is not accepting connections on $PG_HOST:$PG_PORT"
tcp_open "$RMQ_HOST" "$RMQ_PORT" || die "RabbitMQ is not accepting connections on $RMQ_HOST:$RMQ_PORT"
exposed=""
for p in "$PG_PORT" "$RMQ_PORT" "$RMQ_DIST_PORT" "$EPMD_PORT"; do
  exposed+="$(non_loopback_listeners "$p")"$'\n'
done
exposed="$(printf '%s' "$exposed" | grep . || true)"
[ -z "$exposed" ] || die "services listening on non-loopback addresses: $(echo $exposed)"

elapsed_ms=$(( $(date +%s%N) / 1000000 - START_MS ))
log "all services up (took $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s)"

printf 'export SDP_POSTGRES="Host=%s;Port=%s;Username=%s;Password=%s;Database=%s"\n' \
  "$PG_HOST" "$PG_PORT" "$PG_USER" "$PG_PASSWORD" "$PG_DB" >&3
printf 'export SDP_RABBITMQ="amqp://guest:guest@%s:%s/"\n' "$RMQ_HOST" "$RMQ_PORT" >&3
