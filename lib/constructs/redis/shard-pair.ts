import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import type { DeployValues } from '../../host-config/redis/node-cloud-init';
import type { RedisShard } from '../../model/redis-topology';
import { ShardNode } from './shard-node';
import { VrrpSecurityGroup } from './vrrp-security-group';

export interface ShardPairProps {
  readonly config: EnvConfig;
  readonly shard: RedisShard;
  readonly vpc: ec2.IVpc;
  /** Private subnet per AZ index (config.availabilityZones order). */
  readonly privateSubnets: readonly ec2.ISubnet[];
  readonly redisSecurityGroup: ec2.ISecurityGroup;
  readonly role: iam.IRole;
  readonly machineImage: ec2.IMachineImage;
  readonly deploy: DeployValues;
}

/**
 * One shard: two nodes in different AZs, VRRP allowed only between them, and the VIP/32 route in every
 * private route table. The route's template target is node a's ENI, forever: CloudFormation calls
 * ReplaceRoute only when these properties change, so later deploys never move a failed-over route back.
 */
export class ShardPair extends Construct {
  readonly nodes: readonly [ShardNode, ShardNode];
  readonly vrrp: VrrpSecurityGroup;

  constructor(scope: Construct, id: string, props: ShardPairProps) {
    super(scope, id);
    const { shard } = props;
    this.vrrp = new VrrpSecurityGroup(this, 'Vrrp', { vpc: props.vpc, shard: shard.index });
    const [a, b] = shard.nodes.map((node) => new ShardNode(this, `Node${node.role.toUpperCase()}`, {
      config: props.config,
      node,
      vpc: props.vpc,
      subnet: props.privateSubnets[node.azIndex]!,
      securityGroups: [props.redisSecurityGroup, this.vrrp.group],
      role: props.role,
      machineImage: props.machineImage,
      deploy: props.deploy,
    }));
    this.nodes = [a!, b!];
    props.deploy.routeTableIds.forEach((routeTableId, i) => {
      new ec2.CfnRoute(this, `VipRoute${i}`, {
        routeTableId,
        destinationCidrBlock: `${shard.vip}/32`,
        networkInterfaceId: a!.networkInterface.ref,
      });
    });
  }
}
