#!/usr/bin/env bash
# run_with_progress LABEL CMD...: runs CMD, saying what it runs and, every 5 s while it lasts, that it
# is still running, so a long step never looks hung. Exits with CMD's status.
run_with_progress() {
  local label=$1; shift
  local start=$SECONDS
  echo "$label: $*" >&2
  "$@" &
  local pid=$! ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
    if [ $((ticks % 5)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then echo "$label: still running ($((SECONDS - start)) s)" >&2; fi
  done
  local rc=0
  wait "$pid" || rc=$?
  echo "$label: $([ $rc -eq 0 ] && echo done || echo "failed (exit $rc)") in $((SECONDS - start)) s" >&2
  return $rc
}
