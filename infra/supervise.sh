#!/usr/bin/env bash
# Keeps one process running, as a process manager would (on a real host systemd does this: Restart=always,
# docs/operations.md): starts it again after it exits or is killed. The first restart comes after 2 s; while the
# process keeps dying within 10 s of its start, the wait doubles up to 60 s, so a service that cannot start (a
# database that is down) does not spin. Stopping the supervisor (TERM, INT) stops the process and does not restart it.
#   infra/supervise.sh NAME COMMAND [ARGUMENT...]
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: infra/supervise.sh NAME COMMAND [ARGUMENT...]" >&2
  exit 2
fi
name=$1
shift

child=
# The process gets the signal and the time to shut down gracefully (a service finishes its relay round).
stop() {
  if [ -n "$child" ]; then
    kill "$child" 2>/dev/null
    wait "$child"
  fi
  exit 0
}
trap stop INT TERM
delay=2
while true; do
  started=$SECONDS
  "$@" &
  child=$!
  status=0
  # Without bash's own "Killed" notice: the line below says the same.
  wait "$child" 2>/dev/null || status=$?
  child=
  if ((SECONDS - started >= 10)); then delay=2; fi
  echo "$(date -u +%FT%TZ) $name exited with status $status; starting it again in $delay s" >&2
  # In the background, so a stop signal is handled at once rather than after the wait.
  sleep "$delay" &
  wait $!
  delay=$((delay * 2 > 60 ? 60 : delay * 2))
done
