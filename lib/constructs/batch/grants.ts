import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Exactly the DynamoDB actions a job uses on one table, plus the CMK actions DynamoDB needs on the
 * caller's behalf (named one by one: the library's key grants use wildcards such as kms:ReEncrypt*).
 */
export function grantTable(table: dynamodb.ITableV2, grantee: iam.IGrantable, actions: string[]): void {
  table.grant(grantee, ...actions);
  if (table.encryptionKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [table.encryptionKey.keyArn],
    }));
  }
}

/** A role EventBridge Scheduler assumes for one job's schedules, confined to this account's schedules. */
export function schedulerRole(scope: IConstruct, id: string, job: string, startResources: string[]): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope as never, id, {
    description: `EventBridge Scheduler: starts batch job ${job}`,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
  });
  for (const resource of startResources) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resource}]`,
      reason: `The library-generated start permission of job ${job}: the function's own versions (<fn>:*) or the tasks of its own cluster, whose ARNs exist only after the start.`,
    });
  }
  return role;
}

/** The resolved logical id of a construct's CloudFormation resource, as cdk-nag names it in finding ids. */
export function logicalIdOf(construct: IConstruct): string {
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;
}
