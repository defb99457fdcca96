#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then every check. .ci/run runs exactly this.
#   npm test                                  install (npm ci, missing Debian tools), lint, every test project
#   npm test -- [FILE|DIR...] [--project NAME] [-t PATTERN] [-u]
#                                             only those tests (no lint): the inner loop
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help)
      echo "usage: npm test                       install what is missing (npm ci, Debian tools), lint, then every test project"
      echo "       npm test -- [FILE|DIR...] [--project unit|templates|drill] [-t PATTERN] [-u]   only those tests, no lint"
      echo "Also: npm run test:unit (pure and real-server tests, no synthesis), npx vitest run FILE (any vitest option)."
      exit 0 ;;
    --project|-t) [ $# -ge 2 ] || { echo "npm test: $1 needs a value; see --help" >&2; exit 2; }; shift 2 ;;
    -u) shift ;;
    -*) echo "npm test: unknown option '$1'; see --help (npx vitest run takes every vitest option)" >&2; exit 2 ;;
    *) shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
source scripts/lib/progress.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  run_with_progress "test: npm ci" npm ci --no-audit --no-fund
fi
bash scripts/ensure-host-tools.sh
if [ $# -eq 0 ]; then
  bash scripts/lint.sh
fi
npx vitest run "$@"
