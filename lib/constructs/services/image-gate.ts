import { type CfnElement, CustomResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { logRemovalPolicy, logRetention } from '../../platform/policies';
import { PlatformFunction } from '../common/platform-function';
import { SubnetTier } from '../network/platform-vpc';

export interface ImageGateProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
  /** The service the counts are for (the gate never closes one that already runs). */
  readonly cluster: ecs.ICluster;
  readonly serviceName: string;
  readonly repository: ecr.IRepository;
  readonly imageTag: string;
  readonly desiredCount: number;
  readonly minCapacity: number;
}

/**
 * The first deploy of a fresh account: the stacks create the ECR repositories, so no image can exist
 * before them. A service's task counts pass through this gate, which answers the configured counts
 * when the repository holds the deployed tag and 0 when it does not (lambda/services/image-gate.ts).
 * The services are then created empty instead of failing on a missing image; the deploy of a tag that
 * was pushed (a changed tag re-evaluates the gate) starts them. One provider serves every service of
 * the stack.
 */
export class ImageGate extends Construct {
  readonly desiredCount: number;
  readonly minCapacity: number;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ImageGateProps) {
    super(scope, id);
    const provider = ImageGateProvider.of(this, props);
    props.repository.grant(provider.handler.function, 'ecr:DescribeImages');
    provider.handler.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ecs:DescribeServices'],
      resources: [Stack.of(this).formatArn({ service: 'ecs', resource: 'service', resourceName: `${props.cluster.clusterName}/${props.serviceName}` })],
    }));
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.provider.serviceToken,
      resourceType: 'Custom::ServiceImageGate',
      properties: {
        RepositoryName: props.repository.repositoryName,
        ImageTag: props.imageTag,
        ClusterName: props.cluster.clusterName,
        ServiceName: props.serviceName,
        DesiredCount: props.desiredCount,
        MinCapacity: props.minCapacity,
      },
    });
    this.desiredCount = Token.asNumber(this.resource.getAtt('DesiredCount'));
    this.minCapacity = Token.asNumber(this.resource.getAtt('MinCapacity'));
  }
}

/** The gate's handler and the CDK provider framework around it, once per stack, in the private subnets. */
class ImageGateProvider extends Construct {
  static of(scope: Construct, props: ImageGateProps): ImageGateProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild('ServiceImageGateProvider') as ImageGateProvider | undefined) ?? new ImageGateProvider(stack, 'ServiceImageGateProvider', props);
  }

  readonly handler: PlatformFunction;
  readonly provider: cr.Provider;

  private constructor(scope: Construct, id: string, props: ImageGateProps) {
    super(scope, id);
    const { config, vpc } = props;
    const vpcSubnets = { subnetGroupName: SubnetTier.private };
    // Outbound HTTPS only: ECR's API (interface endpoint or NAT) and CloudFormation's response URL.
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, allowAllOutbound: false, description: 'Service image gate: HTTPS out' });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'ECR API and the CloudFormation response URL');
    this.handler = new PlatformFunction(this, 'Handler', {
      config,
      entry: 'lambda/services/image-gate.ts',
      description: 'Service image gate: task counts are 0 until the deployed image tag exists in ECR',
      serviceName: 'image-gate',
      timeout: Duration.seconds(30),
      vpc, vpcSubnets, securityGroups: [securityGroup],
    });
    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', {
      retention: logRetention(config.logRetentionDays),
      removalPolicy: logRemovalPolicy(config),
    });
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler.function,
      logGroup: frameworkLogs,
      vpc, vpcSubnets, securityGroups: [securityGroup],
    });
    const framework = this.provider.node.findChild('framework-onEvent');
    Validations.of(framework).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The CDK provider framework function pins its own runtime; CDK upgrades move it, and it only relays to the gate handler.',
    });
    Validations.of(framework).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWS-managed baseline for writing the framework function\'s own log group.',
    });
    Validations.of(framework).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: 'AWS-managed baseline for the ENIs a VPC function needs; EC2 network-interface APIs have no resource-level scoping.',
    });
    Validations.of(framework).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.handler.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The framework invokes the gate handler and its versions; the grant names that one function.',
    });
  }
}
