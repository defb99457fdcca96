import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

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

/**
 * Publishing to the customers' alert topics, which the alerting service creates at run time under one
 * name prefix (so no ARN exists at synth): the prefix confines the role to this environment's topics.
 */
export function grantPublishToAlertTopics(fn: lambda.IFunction, topicNamePrefix: string): void {
  const stack = Stack.of(fn);
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['sns:Publish'],
    resources: [Arn.format({ service: 'sns', resource: `${topicNamePrefix}*` }, stack)],
  }));
  Validations.of(fn.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:aws:sns:${stack.region}:${stack.account}:${topicNamePrefix}*]`,
    reason: 'Alert topics are created per customer at run time; the prefix confines publishing to this environment\'s alert topics.',
  });
}

/** The log -> metric aggregator may read its queries' API keys, query their log groups, and nothing else. */
export function grantLogQueries(
  fn: lambda.IFunction,
  queries: ReadonlyArray<{ logGroupName: string; logGroup?: logs.ILogGroup; apiKeyParameterName: string }>,
): void {
  if (queries.length === 0) return;
  const stack = Stack.of(fn);
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['ssm:GetParameter'],
    resources: [...new Set(queries.map((q) => q.apiKeyParameterName))].map((name) =>
      Arn.format({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') }, stack)),
  }));
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['logs:StartQuery'],
    resources: queries.map((q) => Arn.format({ service: 'logs', resource: 'log-group', resourceName: `${q.logGroupName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack)),
  }));
  // GetQueryResults and StopQuery take a query id, not a resource: AWS offers no scoping for them.
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['logs:GetQueryResults', 'logs:StopQuery'], resources: ['*'] }));
  // A log group's ARN for StartQuery ends in ":*" by definition (it names the group's streams).
  for (const group of new Set(queries.map((q) => (q.logGroup ? `<${logicalIdOf(q.logGroup)}>` : q.logGroupName)))) {
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:aws:logs:${stack.region}:${stack.account}:log-group:${group}:*]`,
      reason: 'StartQuery is scoped to the one log group the query reads; the ":*" suffix is the log-group ARN form, not a wildcard over groups.',
    });
  }
}
