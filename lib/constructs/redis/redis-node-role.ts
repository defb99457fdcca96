import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { FailoverAgentBundle } from './failover-agent-bundle';

export interface RedisNodeRoleProps {
  /** The route tables holding VIP routes: the only ones the nodes may change. */
  readonly routeTableIds: readonly string[];
  /** Read at every bundle apply into the nodes' redis.conf includes. */
  readonly authSecret: secretsmanager.ISecret;
  /** Fetched by the node bundles' applier. */
  readonly agent: FailoverAgentBundle;
}

/**
 * The shard nodes' instance role: SSM (Session Manager, no SSH; State Manager delivers the bundles),
 * ReplaceRoute on this VPC's VIP route tables only, DescribeRouteTables (EC2 offers no resource-level
 * permission for Describe* calls), the AUTH secret and the agent's object. Each node's own bundle object
 * is granted by the node (HostBundleAsset.grantRead).
 */
export class RedisNodeRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RedisNodeRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Redis shard nodes: SSM access and VIP route failover',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'The AWS-maintained Session Manager policy is the supported way to give instances SSM access (no SSH); '
        + 'it follows changes to the SSM agent\'s API needs, which a hand-copied policy would not.',
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'MoveVipRoutes',
      actions: ['ec2:ReplaceRoute'],
      resources: props.routeTableIds.map((id) => stack.formatArn({ service: 'ec2', resource: 'route-table', resourceName: id })),
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadRouteTables',
      actions: ['ec2:DescribeRouteTables'],
      resources: ['*'],
    }));
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeRouteTables supports no resource-level permissions (AWS service authorization reference); '
        + 'it is read-only and the only wildcard statement. Writes (ReplaceRoute) are limited to the VIP route tables.',
    });
    props.authSecret.grantRead(this.role);
    props.agent.grantRead(this.role);
  }
}
