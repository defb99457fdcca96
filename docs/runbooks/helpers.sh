# shellcheck shell=bash
# Helpers the runbooks use. From a checkout of this repository, with AWS credentials for the environment:
#   export ENV=production AWS_REGION=ap-northeast-1   # ENV: staging | production
#   source docs/runbooks/helpers.sh
# Needs bash, AWS CLI v2 and jq. Every host and resource is looked up in the deployed stacks by its
# logical id (stable: test/lib/stacks/stateful-logical-ids.json pins the stateful ones), never listed by hand.
# list-stack-resources, not describe-stack-resources: the latter stops at 100 resources without saying so.

: "${ENV:?set ENV to staging or production first}"

# Physical id of the one resource of type TYPE in stack monsaas-$ENV-PART whose logical id starts with PREFIX.
#   resource tsdb WriterHandlerFunction AWS::Lambda::Function   -> the writer function's name
resource() {
  local part=$1 prefix=$2 type=$3 ids
  ids=$(aws cloudformation list-stack-resources --stack-name "monsaas-$ENV-$part" \
    --query "StackResourceSummaries[?starts_with(LogicalResourceId, '$prefix') && ResourceType=='$type'].PhysicalResourceId" --output text)
  if [ -z "$ids" ] || [ "$(wc -w <<<"$ids")" -ne 1 ]; then
    echo "resource $part $prefix $type: expected one match, found '${ids}'" >&2
    return 1
  fi
  echo "$ids"
}

# Shard indexes of the deployed Redis stack (0 1 2 ...), from its instances' logical ids (Shard<i>NodeAInstance...).
redis_shards() {
  aws cloudformation list-stack-resources --stack-name "monsaas-$ENV-redis" \
    --query "StackResourceSummaries[?ResourceType=='AWS::EC2::Instance'].LogicalResourceId" --output text |
    tr '\t' '\n' | sed -n 's/^Shard\([0-9]*\)NodeAInstance.*/\1/p' | sort -n
}

# Instance id of node a or b of shard S:  redis_node 0 a
redis_node() {
  resource redis "Shard${1}Node${2^^}Instance" AWS::EC2::Instance
}

# Instance ids of every resolver of the deployed DNS stack.
resolver_instances() {
  aws cloudformation list-stack-resources --stack-name "monsaas-$ENV-dns" \
    --query "StackResourceSummaries[?ResourceType=='AWS::EC2::Instance'].PhysicalResourceId" --output text | tr '\t' '\n'
}

# Runs the script on stdin on one instance as root (SSM Run Command, no SSH), with ARGS as $1 $2 ...,
# and prints its output. The runbooks feed it a heredoc named after the host image: <<'REDIS' or <<'RESOLVER'.
on_host() {
  local instance=$1 script args command_id
  shift
  script=$(base64 -w0)
  args=$(printf '%q ' "$@")
  command_id=$(aws ssm send-command --instance-ids "$instance" --document-name AWS-RunShellScript \
    --comment "runbook on-call step" \
    --parameters "$(jq -cn --arg c "echo $script | base64 -d | bash -s -- $args" '{commands: [$c]}')" \
    --query Command.CommandId --output text) || return 1
  aws ssm wait command-executed --command-id "$command_id" --instance-id "$instance" 2>/dev/null
  aws ssm get-command-invocation --command-id "$command_id" --instance-id "$instance" \
    --query '[Status, StandardOutputContent, StandardErrorContent]' --output text
}
