#!/usr/bin/env bash
# Runs every test of the platform on a fresh machine: installs and starts PostgreSQL and RabbitMQ on loopback
# when they are not running (infra/start.sh), Docker for the fault suite's containers (infra/docker.sh), Chromium and
# docker-compose, gives the tests a RabbitMQ virtual host of this run's own (removed at the end, also on failure),
# runs `dotnet test` (the solution, then the fault suite),
# and ends with one line: "N passed, N failed" (", N skipped" when there are any).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

eval "$(infra/start.sh)"
# The fault-injection suite starts PostgreSQL and RabbitMQ containers of its own: a Docker engine on loopback and two
# images built here once (infra/docker.sh; no registry needed).
eval "$(infra/docker.sh)"

# The regisseur page is tested in a real headless browser: Debian's Chromium, driven by Playwright.
if ! command -v chromium >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi

# docker-compose.yml is checked by Docker Compose itself (`docker-compose config`; OperationsScriptTests).
if ! command -v docker-compose >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >&2
fi

# The broker tests share queues; a virtual host of this run's own keeps them away from anything else on the node,
# another test run on the same machine included. It goes when the run ends.
vhost="sdp-tests-$$-$RANDOM"
rabbitmqctl -q add_vhost "$vhost" >/dev/null
trap 'rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true' EXIT
rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
export SDP_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/$vhost"

log=$(mktemp)
status=0
dotnet test Platform.sln "$@" 2>&1 | tee "$log" || status=$?
# The fault suite runs after the rest, alone: it times how fast the platform catches up after each fault, which tests
# running beside it would distort.
dotnet test tests/FaultTests "$@" 2>&1 | tee -a "$log" || { fault_status=$?; [ "$status" -ne 0 ] || status=$fault_status; }

# Each test assembly reports "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T"; add them up.
summary=$(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {printf "%d %d %d", p, f, s}')
rm -f "$log"
read -r passed failed skipped <<<"$summary"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $status before reporting every result" >&2; fi
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
