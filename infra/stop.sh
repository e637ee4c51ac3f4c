#!/usr/bin/env bash
# Stop the local platform infrastructure started by infra/start.sh:
# RabbitMQ node rabbit@localhost (+ its loopback epmd) and PostgreSQL 15/main.
# Tolerant: anything already stopped (or not installed) is skipped.
# Data is kept; see infra/README.md for how to reset.
set -euo pipefail
exec 1>&2

RMQ_NODE=rabbit@localhost
PG_VERSION=15
PG_CLUSTER=main

log() { printf '[infra %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must be run as root"

rabbit_beam_pids() { pgrep -u rabbitmq -f 'beam.*-s rabbit boot' 2>/dev/null || true; }

# --- RabbitMQ ---------------------------------------------------------------
if command -v rabbitmqctl >/dev/null && [ -n "$(rabbit_beam_pids)" ]; then
  log "stopping RabbitMQ ($RMQ_NODE)"
  # 'shutdown' blocks until the node's OS process has exited.
  if rabbitmqctl -q -n "$RMQ_NODE" shutdown --timeout 60; then
    for _ in $(seq 1 30); do [ -z "$(rabbit_beam_pids)" ] && break; sleep 1; done
  fi
  pids="$(rabbit_beam_pids)"
  if [ -n "$pids" ]; then
    # Not reachable as $RMQ_NODE (e.g. started under another node name):
    # SIGTERM makes the Erlang VM shut down gracefully.
    log "RabbitMQ still running; sending TERM to $(echo $pids)"
    kill $pids 2>/dev/null || true
    for _ in $(seq 1 60); do [ -z "$(rabbit_beam_pids)" ] && break; sleep 1; done
    [ -z "$(rabbit_beam_pids)" ] || die "could not stop RabbitMQ (pids: $(rabbit_beam_pids))"
  fi
  log "RabbitMQ stopped"
else
  log "RabbitMQ not running"
fi
# epmd: stop it too if no Erlang node is registered any more.
if command -v epmd >/dev/null && epmd -names >/dev/null 2>&1; then
  if ! epmd -names 2>/dev/null | grep -q '^name '; then
    epmd -kill >/dev/null 2>&1 || true
    log "epmd stopped"
  else
    log "epmd left running (other Erlang nodes registered)"
  fi
fi

# --- PostgreSQL -------------------------------------------------------------
if command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'; then
  if pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
    log "stopping PostgreSQL $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast
    log "PostgreSQL stopped"
  else
    log "PostgreSQL $PG_VERSION/$PG_CLUSTER not running"
  fi
else
  log "PostgreSQL $PG_VERSION/$PG_CLUSTER not installed"
fi
