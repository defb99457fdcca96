import { Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/** Reasons shared by every TSDB function's role; each is acknowledged on that one role or policy only. */
const REASONS = {
  vpcManagedPolicy: 'AWSLambdaVPCAccessExecutionRole is the AWS-maintained minimum for a function in a VPC (ENI create/describe/delete, which IAM cannot scope to resources before the ENIs exist).',
  basicManagedPolicy: 'AWSLambdaBasicExecutionRole only allows writing the function\'s own CloudWatch logs; it is the AWS-maintained minimum every Lambda function needs.',
  xray: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; CDK adds them for active tracing.',
  kmsActions: 'kms:GenerateDataKey* and kms:ReEncrypt* are the CDK encrypt grant on the ONE platform key named in the statement (the table, topic and archive are encrypted with it); the wildcard is in the action family only.',
} as const;

function acknowledge(scope: IConstruct | undefined, id: string, reason: string): void {
  if (scope) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the findings every TSDB function carries (VPC managed policy, X-Ray, KMS action
 * families), plus `extra` findings specific to that function, on its role and default policy.
 */
export function acknowledgeFunctionFindings(fn: lambda.Function, options: { inVpc: boolean; encrypts: boolean; extra?: Array<{ id: string; reason: string }> }): void {
  const role = fn.role?.node.defaultChild;
  const policy = fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', REASONS.basicManagedPolicy);
  if (options.inVpc) acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', REASONS.vpcManagedPolicy);
  acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]', REASONS.xray);
  if (options.encrypts) {
    acknowledge(policy, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', REASONS.kmsActions);
    acknowledge(policy, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', REASONS.kmsActions);
  }
  for (const { id, reason } of options.extra ?? []) acknowledge(policy, id, reason);
}
