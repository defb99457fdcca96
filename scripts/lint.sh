#!/usr/bin/env bash
# `npm run lint`: strict TypeScript over the whole repository, then ESLint (which enforces the import
# layers of docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/progress.sh
no_arguments "npm run lint" "tsc --noEmit, then eslint .; no options" "$@"
run_with_progress "lint: typescript" npx tsc --noEmit -p tsconfig.json
run_with_progress "lint: eslint" npx eslint .
