import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface RedisNodeRoleProps {
  /** The route tables holding VIP routes: the only ones the nodes may change. */
  readonly routeTableIds: readonly string[];
}

/**
 * The shard nodes' instance role: SSM Session Manager (no SSH), ReplaceRoute on this VPC's VIP route
 * tables only, DescribeRouteTables (EC2 offers no resource-level permission for Describe* calls).
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
  }
}
