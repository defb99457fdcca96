import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { HostMetricsLogGroup } from '../constructs/monitoring/host-metrics-log-group';
import { ResolverAlarms, ResolverDhcpOptions, ResolverInstances } from '../constructs/resolvers';
import type { SecurityGroups } from '../constructs/network/security-groups';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';

export interface DnsStackProps extends PlatformStackProps {
  readonly vpc: ec2.IVpc;
  readonly securityGroups: SecurityGroups;
}

/** Unbound caching resolvers and the DHCP options of the VPC. */
export class DnsStack extends PlatformStack {
  readonly resolvers: ResolverInstances;
  /** For the monitoring stack's topic: SERVFAIL ratio (fleet and per resolver), statistics missing, recovery. */
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, props: DnsStackProps) {
    super(scope, 'dns', { description: 'Unbound caching resolvers and the DHCP options of the VPC', ...props });
    this.resolvers = new ResolverInstances(this, 'Resolvers', { config: this.config, vpc: props.vpc, securityGroup: props.securityGroups.resolvers });
    new ResolverDhcpOptions(this, 'DhcpOptions', {
      config: this.config,
      vpc: props.vpc,
      resolverAddresses: this.config.resolvers.addresses,
      after: this.resolvers,
    });
    new HostMetricsLogGroup(this, 'HostMetrics', { config: this.config, role: 'resolver' }).grantPublish(this.resolvers.role);
    const statistics = new ResolverAlarms(this, 'Alarms', { config: this.config });
    this.alarms = [...statistics.servfailRatio, ...statistics.statisticsMissing, ...this.resolvers.recoveryAlarms];
  }
}
