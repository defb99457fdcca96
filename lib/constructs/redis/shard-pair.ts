import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ConfigError } from '../../config-schema/load';
import type { EnvConfig } from '../../config-schema/schema';
import { instanceArchitecture } from '../../config-schema/sections/redis';
import type { RedisShard } from '../../model/redis-topology';
import type { RedisNodeDelivery } from './redis-node-delivery';
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
  readonly delivery: RedisNodeDelivery;
  readonly routeTableIds: readonly string[];
}

/**
 * One shard: two nodes in different AZs, VRRP allowed only between them, and the VIP/32 route in every
 * private route table. The route's template target is node a's ENI, forever: CloudFormation calls
 * ReplaceRoute only when these properties change, so later deploys never move a failed-over route back.
 *
 * Node a's instance depends on node b's bundle application, which CloudFormation waits for until node b
 * reports ready (master, or a replica with a completed sync): any update that stops, restarts or
 * reconfigures instances reaches node b first and node a only once b is serving again, never both in one step.
 */
export class ShardPair extends Construct {
  /** [a, b]. */
  readonly nodes: readonly [ShardNode, ShardNode];
  readonly vrrp: VrrpSecurityGroup;

  constructor(scope: Construct, id: string, props: ShardPairProps) {
    super(scope, id);
    const { shard, config } = props;
    this.vrrp = new VrrpSecurityGroup(this, 'Vrrp', { vpc: props.vpc, shard: shard.index });
    const relaunch = config.redis.relaunch;
    const arch = instanceArchitecture(config.redis.instanceType);
    if (relaunch?.ami && relaunch.ami.architecture !== arch) {
      throw new ConfigError(`redis.relaunch.ami.architecture: is ${relaunch.ami.architecture} but ${config.redis.instanceType} is ${arch}; relaunch role ${relaunch.role} on an ${arch} image`);
    }
    const [a, b] = shard.nodes.map((node) => new ShardNode(this, `Node${node.role.toUpperCase()}`, {
      config,
      node,
      vpc: props.vpc,
      subnet: props.privateSubnets[node.azIndex]!,
      securityGroups: [props.redisSecurityGroup, this.vrrp.group],
      role: props.role,
      imageId: (relaunch?.role === node.role ? relaunch.ami : undefined)?.id ?? config.redis.ami.id,
      volumeGiB: (relaunch?.role === node.role ? relaunch.volumeGiB : undefined) ?? config.redis.volumeGiB,
      delivery: props.delivery,
      relaunchStage: relaunch?.role === node.role ? relaunch.stage : undefined,
    }));
    this.nodes = [a!, b!];
    if (a!.current && b!.current) a!.current.instance.node.addDependency(b!.current.application);
    props.routeTableIds.forEach((routeTableId, i) => {
      new ec2.CfnRoute(this, `VipRoute${i}`, {
        routeTableId,
        destinationCidrBlock: `${shard.vip}/32`,
        networkInterfaceId: a!.networkInterface.ref,
      });
    });
  }
}
