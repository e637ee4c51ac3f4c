#!/usr/bin/env bash
# Runs the platform as separate processes, one per service, against PostgreSQL and RabbitMQ on loopback
# (installed and started by infra/start.sh). Ctrl+C stops them all.
#   participatiewet http://127.0.0.1:5081   wmo http://127.0.0.1:5082
#   jeugdwet        http://127.0.0.1:5083   projections http://127.0.0.1:5084
#   households      http://127.0.0.1:5085
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eval "$(infra/start.sh)"
export Store__Provider=Postgres Bus__Transport=RabbitMq
export ConnectionStrings__Postgres="$SDP_POSTGRES" ConnectionStrings__RabbitMq="$SDP_RABBITMQ"
# A development run on loopback with the development database: the services run in the Development environment, so
# they take the tokens of `dotnet run --project services/Embedded -- token ...` (signed with the development key).
# Set Auth__SigningKey, or Auth__Authority and Auth__Audience, and ASPNETCORE_ENVIRONMENT=Production to run it otherwise.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

dotnet build Platform.sln -c Release -v quiet -nologo
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
port=5081
for service in Participatiewet Wmo Jeugdwet Projections Households; do
  dotnet "services/$service/bin/Release/net10.0/SocialDomain.$service.dll" --urls "http://127.0.0.1:$port" &
  pids+=($!)
  echo "$service: http://127.0.0.1:$port/api/v1/docs"
  port=$((port + 1))
done
wait
