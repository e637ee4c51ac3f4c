#!/bin/sh
# Takes what the official rabbitmq image takes (and Testcontainers passes): RABBITMQ_DEFAULT_USER,
# RABBITMQ_DEFAULT_PASS, RABBITMQ_DEFAULT_VHOST. Logs go to stdout, where Testcontainers waits for
# "Server startup complete". The defaults apply when the node's database is created, at a container's first start.
set -eu

cat >"$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = 5672
loopback_users = none
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}
log.console = true
log.console.level = info
log.file = false
CONF

# A node of a cluster (tests/FaultTests/BrokerClusterTests.cs): the nodes share an Erlang cookie, and a node joins
# a running node of RABBITMQ_CLUSTER_NODES (space-separated node names, e.g. rabbit@rmq1) when it first starts.
if [ -n "${RABBITMQ_ERLANG_COOKIE:-}" ]; then
  cookie="$HOME/.erlang.cookie"
  [ -f "$cookie" ] && chmod 600 "$cookie"
  printf '%s' "$RABBITMQ_ERLANG_COOKIE" >"$cookie"
  chmod 400 "$cookie"
  unset RABBITMQ_ERLANG_COOKIE
fi
if [ -n "${RABBITMQ_CLUSTER_NODES:-}" ]; then
  echo "cluster_formation.peer_discovery_backend = classic_config" >>"$RABBITMQ_CONFIG_FILE"
  i=1
  for node in $RABBITMQ_CLUSTER_NODES; do
    echo "cluster_formation.classic_config.nodes.$i = $node" >>"$RABBITMQ_CONFIG_FILE"
    i=$((i + 1))
  done
fi

if [ "${1:-}" = rabbitmq-server ]; then
  shift
  exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
