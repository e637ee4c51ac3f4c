#!/usr/bin/env bash
# Runs the platform as separate processes, one per service, against PostgreSQL and RabbitMQ on loopback
# (installed and started by infra/start.sh). Each service runs under infra/supervise.sh, which starts it again when
# it exits or is killed, as a process manager would (docs/operations.md has systemd units for real hosts).
# Ctrl+C stops them all. `infra/run-distributed.sh --help` lists the options.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
  cat <<'USAGE'
usage: infra/run-distributed.sh [--port-base PORT] [--instances "Service=N ..."] [--signing-key-file FILE] [--no-build]

  --port-base PORT         the five services listen on PORT..PORT+4 (default 5081, or SDP_PORT_BASE):
                           participatiewet, wmo, jeugdwet, projections, households; extra instances after them
  --instances "S=N ..."    more than one instance of a service, e.g. "Jeugdwet=2 Projections=3" (or SDP_INSTANCES;
                           docs/scaling.md); one relay per write service publishes (docs/relay.md)
  --signing-key-file FILE  run in the Production environment, checking tokens with the key in FILE (32+ bytes; or
                           Auth__SigningKey). Without it the services run in Development and take the tokens of
                           `dotnet run --project services/Embedded -- token ...` (the development key)
  --no-build               start what the last run built (services/*/bin/Release)
USAGE
}

port_base=${SDP_PORT_BASE:-5081}
instances=${SDP_INSTANCES:-}
key_file=
build=true
fail() {
  echo "error: $1 (infra/run-distributed.sh --help lists the options)" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --port-base) [ $# -ge 2 ] || fail "--port-base needs a port"; port_base=$2; shift 2 ;;
    --instances) [ $# -ge 2 ] || fail "--instances needs a list such as \"Jeugdwet=2\""; instances=$2; shift 2 ;;
    --signing-key-file) [ $# -ge 2 ] || fail "--signing-key-file needs a file"; key_file=$2; shift 2 ;;
    --no-build) build=false; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown option '$1'" ;;
  esac
done

services=(Participatiewet Wmo Jeugdwet Projections Households)
[[ $port_base =~ ^[0-9]+$ ]] && ((port_base >= 1024 && port_base + 64 <= 65535)) ||
  fail "--port-base is a port from 1024 to 65471, not '$port_base'"
for entry in $instances; do
  [[ $entry =~ ^([A-Za-z]+)=([1-9][0-9]*)$ ]] && [[ " ${services[*]} " == *" ${BASH_REMATCH[1]} "* ]] ||
    fail "--instances takes Service=N with a service of ${services[*]}, not '$entry'"
done
if [ -n "$key_file" ]; then
  [ -r "$key_file" ] || fail "--signing-key-file: cannot read '$key_file'"
  Auth__SigningKey=$(tr -d '\n' <"$key_file")
  export Auth__SigningKey
fi
if [ -n "${Auth__SigningKey:-}" ]; then
  ((${#Auth__SigningKey} >= 32)) || fail "the signing key has ${#Auth__SigningKey} characters; it needs 32 or more (openssl rand -base64 48)"
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
else
  # A development run on loopback with the development database: in the Development environment the services
  # take the tokens of the embedded host's token command (signed with the development key).
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
fi

eval "$(infra/start.sh)"
export Store__Provider=Postgres Bus__Transport=RabbitMq
export ConnectionStrings__Postgres="$SDP_POSTGRES" ConnectionStrings__RabbitMq="$SDP_RABBITMQ"
# The projection is the only subscriber here and takes batches of events (docs/relay.md, Several events per message).
export Relay__EventsPerMessage="${Relay__EventsPerMessage:-50}"

# Only the services, not the tests: they share their libraries, so each build after the first is incremental.
if $build; then
  for service in "${services[@]}"; do
    dotnet build "services/$service" -c Release -v quiet -nologo
  done
fi

instances_of() {
  local entry
  for entry in $instances; do
    [ "${entry%%=*}" = "$1" ] && { echo "${entry#*=}"; return; }
  done
  echo 1
}

start() {
  local service=$1 port=$2 name=$3
  infra/supervise.sh "$name" dotnet "services/$service/bin/Release/net10.0/SocialDomain.$service.dll" --urls "http://127.0.0.1:$port" &
  echo "$name: http://127.0.0.1:$port/api/v1/docs"
}

trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM
port=$port_base
extra=$((port + ${#services[@]}))
for service in "${services[@]}"; do
  start "$service" "$port" "$service"
  port=$((port + 1))
  for ((i = 2; i <= $(instances_of "$service"); i++)); do
    start "$service" "$extra" "$service instance $i"
    extra=$((extra + 1))
  done
done
echo "Environment $ASPNETCORE_ENVIRONMENT; Ctrl+C stops every service."
wait
