import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { InterfaceEndpointService } from '../../config-schema/sections/network';
import { SubnetTier } from './platform-vpc';

export interface InterfaceEndpointsProps {
  readonly vpc: ec2.IVpc;
  readonly services: readonly InterfaceEndpointService[];
  /** Admits HTTPS from the platform's client groups only (see SecurityGroups.endpoints). */
  readonly securityGroup: ec2.ISecurityGroup;
}

const SERVICES: Record<InterfaceEndpointService, ec2.InterfaceVpcEndpointAwsService> = {
  'ecr.api': ec2.InterfaceVpcEndpointAwsService.ECR,
  'ecr.dkr': ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  ssmmessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  ec2messages: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
  'kinesis-streams': ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS,
  kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  sts: ec2.InterfaceVpcEndpointAwsService.STS,
  lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  xray: ec2.InterfaceVpcEndpointAwsService.XRAY,
  ec2: ec2.InterfaceVpcEndpointAwsService.EC2,
};

/**
 * Interface endpoints (PrivateLink) in the private subnets of every AZ, with private DNS so SDKs reach
 * them under the usual service names. They carry image pulls, logs, secrets and SSM sessions without
 * the NAT gateways (cheaper, and private workloads still start when a NAT or its AZ is down).
 */
export class InterfaceEndpoints extends Construct {
  readonly endpoints: ReadonlyMap<InterfaceEndpointService, ec2.InterfaceVpcEndpoint>;

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    const endpoints = new Map<InterfaceEndpointService, ec2.InterfaceVpcEndpoint>();
    for (const name of props.services) {
      endpoints.set(name, new ec2.InterfaceVpcEndpoint(this, name, {
        vpc: props.vpc,
        service: SERVICES[name],
        subnets: { subnetGroupName: SubnetTier.private },
        privateDnsEnabled: true,
        securityGroups: [props.securityGroup],
        // The group's rules are explicit (SecurityGroups); the default would admit the whole VPC CIDR.
        open: false,
      }));
    }
    this.endpoints = endpoints;
  }
}
