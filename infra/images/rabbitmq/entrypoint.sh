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

if [ "${1:-}" = rabbitmq-server ]; then
  shift
  exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
