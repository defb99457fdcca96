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

# no_arguments COMMAND USAGE "$@": answers --help with USAGE, refuses anything else in one line.
no_arguments() {
  local command=$1 usage=$2; shift 2
  case "${1:-}" in
    -h|--help) echo "usage: $command   ($usage)"; exit 0 ;;
    "") ;;
    *) echo "$command: unknown argument '$1'; see --help" >&2; exit 2 ;;
  esac
}
