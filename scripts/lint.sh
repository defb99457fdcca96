#!/usr/bin/env bash
# `npm run lint`: strict TypeScript over the whole repository, then ESLint (which enforces the import
# layers of docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help) echo "usage: npm run lint   (tsc --noEmit, then eslint .; no options)"; exit 0 ;;
  "") ;;
  *) echo "npm run lint: unknown argument '$1'; see --help" >&2; exit 2 ;;
esac
source scripts/lib/progress.sh
run_with_progress "lint: typescript" npx tsc --noEmit -p tsconfig.json
run_with_progress "lint: eslint" npx eslint .
