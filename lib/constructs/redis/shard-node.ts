import { Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { renderHostBundle } from '../../host-config/bundle';
import { redisNodeBundle } from '../../host-config/redis/node-bundle';
import { renderRedisNodeCloudConfig } from '../../host-config/redis/node-cloud-init';
import type { RedisNode } from '../../model/redis-topology';
import { BundleApplication } from '../host-delivery/bundle-application';
import { HostBundleAsset } from '../host-delivery/host-bundle-asset';
import type { RedisNodeDelivery } from './redis-node-delivery';

export interface ShardNodeProps {
  readonly config: EnvConfig;
  readonly node: RedisNode;
  readonly vpc: ec2.IVpc;
  readonly subnet: ec2.ISubnet;
  readonly securityGroups: readonly ec2.ISecurityGroup[];
  readonly role: iam.IRole;
  /** The pinned image this node runs (config redis.ami, or redis.relaunch.ami for the relaunched role). */
  readonly imageId: string;
  /** Root volume size (config redis.volumeGiB, or redis.relaunch.volumeGiB for the relaunched role). */
  readonly volumeGiB: number;
  readonly delivery: RedisNodeDelivery;
  /** The node's role is being relaunched (config redis.relaunch): unprotected, removed, or launched again. */
  readonly relaunchStage?: 'unprotect' | 'remove' | 'launch';
}

/** The instance and its bundle application (absent while the node is removed for a relaunch). */
export interface ShardNodeInstance {
  readonly instance: ec2.Instance;
  readonly application: BundleApplication;
}

/**
 * One Redis node: a fixed-address ENI (keepalived's unicast peers and the VIP route target are known
 * before launch and outlive any instance), the instance using it as its primary interface, and the SSM
 * association that delivers the node's bundle and waits until the node is ready.
 */
export class ShardNode extends Construct {
  readonly networkInterface: ec2.CfnNetworkInterface;
  readonly current?: ShardNodeInstance;

  constructor(scope: Construct, id: string, props: ShardNodeProps) {
    super(scope, id);
    const { node } = props;
    this.networkInterface = new ec2.CfnNetworkInterface(this, 'Eni', {
      subnetId: props.subnet.subnetId,
      privateIpAddress: node.privateIp,
      groupSet: props.securityGroups.map((g) => g.securityGroupId),
      // The node receives packets for the VIP, which is not its own address.
      sourceDestCheck: false,
      description: `${node.name}: VIP route target`,
    });
    if (props.relaunchStage !== 'remove') this.current = this.launch(props);
  }

  private launch(props: ShardNodeProps): ShardNodeInstance {
    const { config, node } = props;
    const protect = config.deletionProtection && props.relaunchStage !== 'unprotect';
    const userData = renderRedisNodeCloudConfig(config, node);
    const instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [props.subnet] },
      instanceType: new ec2.InstanceType(config.redis.instanceType),
      // The exact pinned image: a published image never replaces a node; a new one arrives by relaunch.
      machineImage: ec2.MachineImage.genericLinux({ [config.region]: props.imageId }),
      role: props.role,
      securityGroup: props.securityGroups[0],
      userData: ec2.UserData.custom(userData),
      requireImdsv2: true,
      detailedMonitoring: true,
      disableApiTermination: protect,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(props.volumeGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }),
      }],
    });
    Tags.of(instance).add('Name', `${config.name}-${node.name}`);
    const cfn = instance.instance;
    // The primary interface is the ENI above; the instance must not create its own.
    cfn.addPropertyDeletionOverride('SubnetId');
    cfn.addPropertyDeletionOverride('SecurityGroupIds');
    // The ENI's subnet places the instance; naming the AZ again would only duplicate it.
    cfn.addPropertyDeletionOverride('AvailabilityZone');
    cfn.addPropertyOverride('NetworkInterfaces', [{ DeviceIndex: '0', NetworkInterfaceId: this.networkInterface.ref }]);
    Validations.of(instance).acknowledge({
      id: 'CloudFormation-Validate::W9010',
      reason: 'The AMI is pinned on purpose (config redis.ami): a deploy must never replace a Redis node because a newer image '
        + 'was published; a new image reaches the nodes by relaunching one role at a time (config redis.relaunch).',
    });
    if (!protect) {
      Validations.of(instance).acknowledge({
        id: 'AwsSolutions-EC29',
        reason: config.deletionProtection
          ? `${node.name} is being relaunched (config redis.relaunch, stage unprotect): protection is off for the one deploy before its removal.`
          : `${config.name} is a disposable environment (deletionProtection: false); production enables termination protection on every Redis node.`,
      });
    }

    const bundle = new HostBundleAsset(this, 'Bundle', { bundle: renderHostBundle(redisNodeBundle(config, node)) });
    bundle.grantRead(props.role);
    const application = new BundleApplication(this, 'Apply', {
      document: props.delivery.document,
      instance: instance.instance,
      bundle,
      deployValues: props.delivery.deployValues,
    });
    return { instance, application };
  }
}
