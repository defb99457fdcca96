import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { subnetPlan, TIER_PREFIX, type SubnetTierName } from '../../model/subnet-plan';
import { logRemovalPolicy, logRetention } from '../../platform/policies';

export interface PlatformVpcProps {
  readonly config: EnvConfig;
}

/** Subnet group names, shared by every construct that places something in the VPC. */
export const SubnetTier = {
  public: 'public',
  private: 'private',
  data: 'data',
} as const;

/**
 * Gives the VPC the CIDRs of lib/model/subnet-plan.ts instead of CDK's packing allocator, so adding
 * an AZ adds subnets and moves none (the plan is the one declaration; the Redis topology reads it too).
 */
class PlannedIpAddresses implements ec2.IIpAddresses {
  constructor(private readonly vpcCidr: string, private readonly availabilityZones: readonly string[]) {}

  allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    const plan = subnetPlan(this.vpcCidr, this.availabilityZones);
    return {
      allocatedSubnets: input.requestedSubnets.map((request) => {
        const planned = plan.find((s) => s.tier === request.configuration.name && s.availabilityZone === request.availabilityZone);
        if (!planned) throw new Error(`PlatformVpc: the subnet plan has no ${request.configuration.name} subnet in ${request.availabilityZone}`);
        return { cidr: planned.cidr };
      }),
    };
  }
}

/** Route table ids per subnet tier, one per AZ (duplicates removed), for parts that add routes (Redis VIP failover). */
export interface TierRouteTables {
  readonly public: string[];
  readonly private: string[];
  readonly data: string[];
}

/**
 * The VPC: public (NLB, NAT), private with egress (services, functions, hosts) and isolated (data) subnets
 * in every configured AZ; flow logs; gateway endpoints for S3 and DynamoDB (in every tier's route tables,
 * so bulk table and bucket traffic never pays for the NAT).
 */
export class PlatformVpc extends Construct {
  readonly vpc: ec2.Vpc;
  readonly routeTables: TierRouteTables;

  constructor(scope: Construct, id: string, props: PlatformVpcProps) {
    super(scope, id);
    const { config } = props;
    const mask = (tier: SubnetTierName) => TIER_PREFIX[tier];
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: new PlannedIpAddresses(config.network.vpcCidr, config.availabilityZones),
      availabilityZones: config.availabilityZones,
      natGateways: config.network.natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: SubnetTier.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: mask('public'), mapPublicIpOnLaunch: false },
        { name: SubnetTier.private, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: mask('private') },
        { name: SubnetTier.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: mask('data') },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: logRetention(config.network.flowLogRetentionDays),
      removalPolicy: logRemovalPolicy(config),
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    const tableIds = (subnets: ec2.ISubnet[]) => [...new Set(subnets.map((subnet) => subnet.routeTable.routeTableId))];
    this.routeTables = {
      public: tableIds(this.vpc.publicSubnets),
      private: tableIds(this.vpc.privateSubnets),
      data: tableIds(this.vpc.isolatedSubnets),
    };
  }
}
