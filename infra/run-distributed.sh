#!/usr/bin/env bash
# Runs the platform as separate processes, one per service, against PostgreSQL and RabbitMQ on loopback
# (installed and started by infra/start.sh). A service that exits or is killed is started again, as a process
# manager would in production. Ctrl+C stops them all.
#   participatiewet http://127.0.0.1:5081   wmo http://127.0.0.1:5082
#   jeugdwet        http://127.0.0.1:5083   projections http://127.0.0.1:5084
#   households      http://127.0.0.1:5085
# SDP_PORT_BASE moves the five ports (default 5081).
# SDP_INSTANCES runs more than one instance of a service, e.g. SDP_INSTANCES="Jeugdwet=2 Projections=3": the extra
# instances get the ports after the five (docs/scaling.md); one relay per write service publishes (docs/relay.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eval "$(infra/start.sh)"
export Store__Provider=Postgres Bus__Transport=RabbitMq
export ConnectionStrings__Postgres="$SDP_POSTGRES" ConnectionStrings__RabbitMq="$SDP_RABBITMQ"
# A development run on loopback with the development database: the services run in the Development environment, so
# they take the tokens of `dotnet run --project services/Embedded -- token ...` (signed with the development key).
# Set Auth__SigningKey, or Auth__Authority and Auth__Audience, and ASPNETCORE_ENVIRONMENT=Production to run it otherwise.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

services=(Participatiewet Wmo Jeugdwet Projections Households)
# Only the services, not the tests: they share their libraries, so each build after the first is incremental.
for service in "${services[@]}"; do
  dotnet build "services/$service" -c Release -v quiet -nologo
done

supervise() {
  local service=$1 port=$2 status
  while true; do
    status=0
    dotnet "services/$service/bin/Release/net10.0/SocialDomain.$service.dll" --urls "http://127.0.0.1:$port" || status=$?
    echo "$service exited with status $status; starting it again in 2 s" >&2
    sleep 2
  done
}

instances_of() {
  local entry
  for entry in ${SDP_INSTANCES:-}; do
    [ "${entry%%=*}" = "$1" ] && { echo "${entry#*=}"; return; }
  done
  echo 1
}

trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM
port=${SDP_PORT_BASE:-5081}
extra=$((port + ${#services[@]}))
for service in "${services[@]}"; do
  supervise "$service" "$port" &
  echo "$service: http://127.0.0.1:$port/api/v1/docs"
  port=$((port + 1))
  for ((i = 2; i <= $(instances_of "$service"); i++)); do
    supervise "$service" "$extra" &
    echo "$service instance $i: http://127.0.0.1:$extra/api/v1/docs"
    extra=$((extra + 1))
  done
done
wait
