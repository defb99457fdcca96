#!/usr/bin/env bash
# `npm run validate:cfn`: synthesizes both environments with CDK's built-in CloudFormation lint on
# (cfn-lint rules over every template), into cdk.out.validate.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/progress.sh
no_arguments "npm run validate:cfn" "cdk synth with CloudFormation validation into cdk.out.validate; no options" "$@"
MONSAAS_CFN_VALIDATE=1 run_with_progress "validate:cfn: cdk synth with CloudFormation validation" npx cdk synth --quiet --output cdk.out.validate
