import { Duration, Tags, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { cidrContains, intToIpv4, ipv4ToInt, parseCidr } from '../../config-schema/primitives';
import { ConfigError } from '../../config-schema/load';
import type { EnvConfig } from '../../config-schema/schema';
import { renderHostBundle } from '../../host-config/bundle';
import { compressedUserData } from '../../host-config/cloud-init';
import { resolverBundle, resolverCloudConfig, resolverName } from '../../host-config/unbound';
import { RESOLVER_METRICS_NAMESPACE } from '../../host-config/unbound/metrics';
import { ApplyBundleDocument } from '../host-delivery/apply-bundle-document';
import { BundleApplication } from '../host-delivery/bundle-application';
import { HostBundleAsset } from '../host-delivery/host-bundle-asset';
import { withRunbook } from '../monitoring/runbook-link';

/** Amazon Linux 2023 on Graviton, resolved when an instance launches (see ResolverInstances). */
export const RESOLVER_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

export interface ResolverInstancesProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
}

/** The first 4 addresses and the last of every subnet belong to AWS. */
function checkAddressInSubnet(address: string, subnet: ec2.ISubnet, field: string): void {
  const range = parseCidr(subnet.ipv4CidrBlock);
  const ip = ipv4ToInt(address);
  if (!range || ip === undefined || !cidrContains(subnet.ipv4CidrBlock, address) || ip < range.network + 4 || ip >= range.end - 1) {
    const first = range ? intToIpv4(range.network + 4) : '?';
    const last = range ? intToIpv4(range.end - 2) : '?';
    throw new ConfigError(`${field}: ${address} is not a usable address of the private subnet ${subnet.ipv4CidrBlock} in ${subnet.availabilityZone}; pick one between ${first} and ${last}`);
  }
}

/**
 * One resolver instance per configured address, the i-th in the i-th AZ's private subnet with that fixed
 * address as its primary private IP. A dead resolver is recovered in place (same instance, address and
 * volume) by CloudWatch alarms: EC2 recover on a failed system check, reboot on a failed instance check;
 * systemd restarts unbound itself.
 *
 * Configuration reaches running resolvers as each one's host bundle (SSM association, unbound-control
 * reload: no restart). The resolvers form one chain: resolver i+1's instance depends on resolver i's
 * bundle application, which CloudFormation waits for until resolver i answers again. So a bundle change,
 * and any change that stops an instance (its application re-runs then, see instanceRevision), reaches one
 * resolver at a time, the next only once the previous one answers.
 */
export class ResolverInstances extends Construct {
  readonly instances: ec2.Instance[] = [];
  /** Per resolver, the association that applies its bundle (and the wait for it to answer). */
  readonly applications: BundleApplication[] = [];
  readonly role: iam.Role;
  /** Recover/reboot alarms, per instance. */
  readonly recoveryAlarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ResolverInstancesProps) {
    super(scope, id);
    const { config, vpc, securityGroup } = props;
    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Unbound resolvers: SSM management and their statistics metrics',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'The AWS-maintained SSM core policy is what Session Manager and Run Command (zone flushes) need; AWS keeps it current.',
    });
    const putMetrics = new iam.Policy(this, 'PutMetrics', {
      statements: [new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': RESOLVER_METRICS_NAMESPACE } },
      })],
    });
    putMetrics.attachToRole(this.role);
    Validations.of(putMetrics).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'PutMetricData has no resource-level permissions; the condition limits it to the resolver metrics namespace.',
    });

    const document = new ApplyBundleDocument(this, 'ApplyDocument', {
      description: `monsaas ${config.name}: apply a resolver's host bundle (unbound.conf, publisher, host metrics) without a restart of the instance`,
    });
    let previous: BundleApplication | undefined;
    config.resolvers.addresses.forEach((address, index) => {
      const subnet = subnets[index];
      if (!subnet) throw new ConfigError(`resolvers.addresses[${index}]: there is no private subnet for resolver ${index + 1}; run at most one resolver per AZ`);
      checkAddressInSubnet(address, subnet, `resolvers.addresses[${index}]`);
      const name = resolverName(index);
      const instance = new ec2.Instance(this, `Resolver${index + 1}`, {
        vpc,
        vpcSubnets: { subnets: [subnet] },
        privateIpAddress: address,
        instanceType: new ec2.InstanceType(config.resolvers.instanceType),
        // Only names the OS here; the launch template supplies the AMI (launchFromTemplate).
        machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(RESOLVER_AMI_PARAMETER, { os: ec2.OperatingSystemType.LINUX }),
        securityGroup,
        role: this.role,
        detailedMonitoring: true,
        disableApiTermination: config.terminationProtection,
        blockDevices: [{
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
        }],
      });
      this.launchFromTemplate(instance, index);
      // Packages and the host's resolv.conf only: identical for every setting (the bundle carries the rest).
      instance.instance.userData = compressedUserData(resolverCloudConfig(config, index));
      Tags.of(instance).add('Name', `${config.name}-${name}`);
      Tags.of(instance).add('role', 'resolver');
      if (!config.terminationProtection) {
        Validations.of(instance).acknowledge({
          id: 'AwsSolutions-EC29',
          reason: `Termination protection is on in protected environments only; ${config.name} is disposable and its resolvers hold no data.`,
        });
      }
      // One resolver at a time, the next only once the previous one answers (its application succeeded).
      if (previous) instance.node.addDependency(previous);
      const bundle = new HostBundleAsset(this, `Resolver${index + 1}Bundle`, { bundle: renderHostBundle(resolverBundle(config, index)) });
      bundle.grantRead(this.role);
      const application = new BundleApplication(this, `Resolver${index + 1}Apply`, {
        document,
        instance: instance.instance,
        bundle,
      });
      previous = application;
      this.applications.push(application);
      this.instances.push(instance);
      this.recoveryAlarms.push(...this.recoveryAlarmsFor(instance, index));
    });
  }

  /**
   * The AMI comes from a launch template as `resolve:ssm:`, which EC2 resolves at launch: a newer AMI
   * never replaces a running resolver (its replacement could not take the fixed address the old one
   * still holds). The template also requires IMDSv2. The subnet already fixes the AZ.
   */
  private launchFromTemplate(instance: ec2.Instance, index: number): void {
    const template = new ec2.CfnLaunchTemplate(this, `LaunchTemplate${index + 1}`, {
      launchTemplateData: {
        imageId: `resolve:ssm:${RESOLVER_AMI_PARAMETER}`,
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
      },
    });
    const cfn = instance.instance;
    cfn.launchTemplate = { launchTemplateId: template.ref, version: template.attrLatestVersionNumber };
    cfn.addPropertyDeletionOverride('ImageId');
    cfn.addPropertyDeletionOverride('AvailabilityZone');
  }

  private recoveryAlarmsFor(instance: ec2.Instance, index: number): cloudwatch.Alarm[] {
    const name = resolverName(index);
    const check = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/EC2',
      metricName,
      dimensionsMap: { InstanceId: instance.instanceId },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    });
    const system = check('StatusCheckFailed_System').createAlarm(this, `Resolver${index + 1}RecoverAlarm`, {
      alarmDescription: withRunbook(`${name}: the underlying host failed its system status check; EC2 recovers the instance (same address and volume).`, 'resolverInstanceCheck'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    system.addAlarmAction(new cwActions.Ec2Action(cwActions.Ec2InstanceAction.RECOVER));
    const os = check('StatusCheckFailed_Instance').createAlarm(this, `Resolver${index + 1}RebootAlarm`, {
      alarmDescription: withRunbook(`${name}: the instance failed its status check (hung OS, network); EC2 reboots it.`, 'resolverInstanceCheck'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    os.addAlarmAction(new cwActions.Ec2Action(cwActions.Ec2InstanceAction.REBOOT));
    return [system, os];
  }
}
