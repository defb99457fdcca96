import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { renderRedisNodeCloudConfig, type DeployValues } from '../../host-config/redis/node-cloud-init';
import type { RedisNode } from '../../model/redis-topology';

export interface ShardNodeProps {
  readonly config: EnvConfig;
  readonly node: RedisNode;
  readonly vpc: ec2.IVpc;
  readonly subnet: ec2.ISubnet;
  readonly securityGroups: readonly ec2.ISecurityGroup[];
  readonly role: iam.IRole;
  readonly machineImage: ec2.IMachineImage;
  readonly deploy: DeployValues;
}

/**
 * One Redis node: a fixed-address ENI (so keepalived's unicast peers and the VIP route target are known
 * before launch and survive instance replacement) and the instance using it as its primary interface.
 */
export class ShardNode extends Construct {
  readonly networkInterface: ec2.CfnNetworkInterface;
  readonly instance: ec2.Instance;

  constructor(scope: Construct, id: string, props: ShardNodeProps) {
    super(scope, id);
    const { config, node } = props;
    this.networkInterface = new ec2.CfnNetworkInterface(this, 'Eni', {
      subnetId: props.subnet.subnetId,
      privateIpAddress: node.privateIp,
      groupSet: props.securityGroups.map((g) => g.securityGroupId),
      // The node receives packets for the VIP, which is not its own address.
      sourceDestCheck: false,
      description: `${node.name}: VIP route target`,
    });
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [props.subnet] },
      instanceType: new ec2.InstanceType(config.redis.instanceType),
      machineImage: props.machineImage,
      role: props.role,
      securityGroup: props.securityGroups[0],
      userData: ec2.UserData.custom(renderRedisNodeCloudConfig(config, node, props.deploy)),
      requireImdsv2: true,
      detailedMonitoring: true,
      disableApiTermination: config.deletionProtection,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(config.redis.volumeGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }),
      }],
    });
    // The primary interface is the ENI above; the instance must not create its own.
    const cfn = this.instance.instance;
    cfn.addPropertyDeletionOverride('SubnetId');
    cfn.addPropertyDeletionOverride('SecurityGroupIds');
    // The ENI's subnet places the instance; naming the AZ again would only duplicate it.
    cfn.addPropertyDeletionOverride('AvailabilityZone');
    cfn.addPropertyOverride('NetworkInterfaces', [{ DeviceIndex: '0', NetworkInterfaceId: this.networkInterface.ref }]);
    Validations.of(this.instance).acknowledge({
      id: 'CloudFormation-Validate::W9010',
      reason: 'The AMI is pinned on purpose (config redis.ami): a deploy must never replace a Redis node because a newer image '
        + 'was published; image upgrades are reviewed config changes rolled shard by shard.',
    });
    if (!config.deletionProtection) {
      Validations.of(this.instance).acknowledge({
        id: 'AwsSolutions-EC29',
        reason: `${config.name} is a disposable environment (deletionProtection: false); production enables termination protection on every Redis node.`,
      });
    }
  }
}
