#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then every check. .ci/run runs exactly this.
#   npm test                 install (npm ci, missing Debian tools), lint, then every test project
#   npm test -- FILE...      the named test files only (no lint): the inner loop
# Other vitest arguments pass through (e.g. npm test -- --project unit).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    echo "Also: npm run test:unit (pure and real-server tests, no synthesis), npx vitest run FILE."
    exit 0 ;;
esac
source scripts/lib/progress.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  run_with_progress "test: npm ci" npm ci --no-audit --no-fund
fi
bash scripts/ensure-host-tools.sh
if [ $# -eq 0 ]; then
  bash scripts/lint.sh
fi
npx vitest run "$@"
