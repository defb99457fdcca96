#!/usr/bin/env bash
# fetch-deployed.sh ENV ASSEMBLY_DIR OUT_DIR: writes the template CloudFormation holds for each stack of
# ENV that the assembly deploys, as OUT_DIR/<stack>.template.json (the base `npm run impact` compares
# with), and OUT_DIR/stacks.json with each deployed stack's termination protection. Read-only
# (cloudformation:GetTemplate, DescribeStacks): run it with the lookup role's credentials. A stack
# that does not exist yet is left out (its resources show as created).
set -euo pipefail
env_name=${1:?usage: fetch-deployed.sh ENV ASSEMBLY_DIR OUT_DIR}
assembly=${2:?usage: fetch-deployed.sh ENV ASSEMBLY_DIR OUT_DIR}
out=${3:?usage: fetch-deployed.sh ENV ASSEMBLY_DIR OUT_DIR}
mkdir -p "$out"
stacks=$(node -e '
  const m = require(require("path").resolve(process.argv[1], "manifest.json"));
  for (const [name, a] of Object.entries(m.artifacts)) if (a.type === "aws:cloudformation:stack" && name.startsWith(`monsaas-${process.argv[2]}-`)) console.log(name);
' "$assembly" "$env_name")
[ -n "$stacks" ] || { echo "fetch-deployed: $assembly has no stack of $env_name" >&2; exit 2; }
: > "$out/.protection"
for stack in $stacks; do
  if aws cloudformation get-template --stack-name "$stack" --template-stage Original --query TemplateBody --output json > "$out/$stack.template.json" 2> "$out/.error"; then
    protected=$(aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].EnableTerminationProtection' --output text)
    echo "$stack $protected" >> "$out/.protection"
    echo "fetch-deployed: $stack (termination protection: $protected)" >&2
  elif grep -q 'does not exist' "$out/.error"; then
    rm -f "$out/$stack.template.json"
    echo "fetch-deployed: $stack is not deployed yet" >&2
  else
    cat "$out/.error" >&2
    exit 1
  fi
done
node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  const stacks = Object.fromEntries(lines.map((l) => l.split(" ")).map(([name, p]) => [name, { terminationProtection: p === "True" }]));
  fs.writeFileSync(process.argv[2], JSON.stringify(stacks, null, 2) + "\n");
' "$out/.protection" "$out/stacks.json"
rm -f "$out/.protection" "$out/.error"
