#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then every check. .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/ensure-host-tools.sh
npm run --silent lint
npx vitest run "$@"
