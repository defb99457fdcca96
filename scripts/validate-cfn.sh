#!/usr/bin/env bash
# `npm run validate:cfn`: synthesizes both environments with CDK's built-in CloudFormation lint on
# (cfn-lint rules over every template), into cdk.out.validate.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help) echo "usage: npm run validate:cfn   (cdk synth with CloudFormation validation into cdk.out.validate; no options)"; exit 0 ;;
  "") ;;
  *) echo "npm run validate:cfn: unknown argument '$1'; see --help" >&2; exit 2 ;;
esac
source scripts/lib/progress.sh
MONSAAS_CFN_VALIDATE=1 run_with_progress "validate:cfn: cdk synth with CloudFormation validation" npx cdk synth --quiet --output cdk.out.validate
