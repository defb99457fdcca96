import { Duration, Size, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceConfig } from '../../config-schema/sections/services';
import type { EnvConfig } from '../../config-schema/schema';
import { logRemovalPolicy, logRetention } from '../../platform/policies';
import { SubnetTier } from '../network/platform-vpc';
import { ImageGate } from './image-gate';

/** Containers run as this unprivileged uid:gid, whatever the image says (image contract: uid 1000 owns nothing but /tmp). */
export const CONTAINER_USER = '1000:1000';

export interface ContainerServiceProps {
  readonly config: EnvConfig;
  /** Service name: container, log stream prefix and ECS service are named after it. */
  readonly name: string;
  readonly service: ServiceConfig;
  readonly cluster: ecs.ICluster;
  readonly repository: ecr.IRepository;
  readonly securityGroup: ec2.ISecurityGroup;
  /** The NLB target group the tasks register in. */
  readonly targetGroup: elbv2.INetworkTargetGroup;
  /** The service's own NLB: its new TLS connections are the load the service scales on. */
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  /** Plain settings only; anything secret goes in `secrets`. */
  readonly environment?: Record<string, string>;
  /** Injected by ECS from Secrets Manager at task start, never rendered into the task definition. */
  readonly secrets?: Record<string, ecs.Secret>;
}

/**
 * One application service on Fargate: task definition (ARM64 unless configured otherwise, read-only
 * root file system, container health check), its log group with retention, the ECS service in the
 * private subnets (spread and rebalanced across AZs, circuit breaker with rollback) registered in the
 * NLB target group, and target-tracking autoscaling on CPU and on new connections per task.
 */
export class ContainerService extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly logGroup: logs.LogGroup;
  readonly scaling: appscaling.ScalableTarget;
  readonly imageGate: ImageGate;

  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    super(scope, id);
    const { config, service, name } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetention(config.logRetentionDays),
      removalPolicy: logRemovalPolicy(config),
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: service.cpu,
      memoryLimitMiB: service.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: config.services.cpuArchitecture === 'ARM64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      // Task-local scratch space: the root file system is read-only.
      volumes: [{ name: 'tmp' }],
    });
    this.container = this.taskDefinition.addContainer(name, {
      image: ecs.ContainerImage.fromEcrRepository(props.repository, config.services.imageTag),
      essential: true,
      readonlyRootFilesystem: true,
      // Landing-zone controls: never root, and a hard memory limit on the container itself.
      user: CONTAINER_USER,
      memoryLimitMiB: service.memoryMiB,
      portMappings: [{ containerPort: service.containerPort, protocol: ecs.Protocol.TCP, name: 'http' }],
      environment: props.environment,
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: name,
        logGroup: this.logGroup,
        // A slow log pipeline must not block request handling; the buffer absorbs bursts.
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
      // The images ship curl (image contract in the README); the check is the NLB's health path.
      healthCheck: {
        command: ['CMD-SHELL', `curl -fsS -o /dev/null http://127.0.0.1:${service.containerPort}${service.healthCheckPath} || exit 1`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      stopTimeout: Duration.seconds(30),
    });
    this.container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'Only non-secret settings (resource names, endpoints, ARNs) are environment variables; credentials come from Secrets Manager through ECS secrets.',
    });
    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions; image pulls themselves are limited to the service\'s repository.',
    });

    // Zero tasks until the deployed tag exists in the repository (the first deploy of a fresh account).
    this.imageGate = new ImageGate(this, 'ImageGate', {
      config, vpc: props.cluster.vpc, cluster: props.cluster, serviceName: name, repository: props.repository, imageTag: config.services.imageTag,
      desiredCount: service.desiredCount, minCapacity: service.minCount,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: name,
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: this.imageGate.desiredCount,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      vpcSubnets: { subnetGroupName: SubnetTier.private },
      securityGroups: [props.securityGroup],
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    props.targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: name, containerPort: service.containerPort }));

    this.scaling = this.addAutoScaling(props);
  }

  private addAutoScaling(props: ContainerServiceProps): appscaling.ScalableTarget {
    const { service, cluster } = props;
    const target = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${cluster.clusterName}/${this.service.serviceName}`,
      minCapacity: this.imageGate.minCapacity,
      maxCapacity: service.maxCount,
      // The service-linked role ECS scaling uses anyway; a role of our own would only duplicate it.
      role: iam.Role.fromRoleArn(this, 'ScalingRole', this.service.stack.formatArn({
        region: '',
        service: 'iam',
        resource: 'role/aws-service-role/ecs.application-autoscaling.amazonaws.com',
        resourceName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
      })),
    });
    target.scaleToTrackMetric('Cpu', {
      predefinedMetric: appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION,
      targetValue: service.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    // Load = new TLS connections per running task per minute. Target tracking needs a per-task figure,
    // which only metric math gives (NLB total / Container Insights task count); the L2 accepts single metrics only.
    new appscaling.CfnScalingPolicy(this, 'LoadScaling', {
      policyName: `${props.name}-new-connections-per-task`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: service.newConnectionsPerTaskPerMinute,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'connections',
              returnData: false,
              metricStat: {
                stat: 'Sum',
                metric: {
                  namespace: 'AWS/NetworkELB',
                  metricName: 'NewFlowCount_TLS',
                  dimensions: [{ name: 'LoadBalancer', value: props.loadBalancer.loadBalancerFullName }],
                },
              },
            },
            {
              id: 'tasks',
              returnData: false,
              metricStat: {
                stat: 'Average',
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [
                    { name: 'ClusterName', value: cluster.clusterName },
                    { name: 'ServiceName', value: this.service.serviceName },
                  ],
                },
              },
            },
            { id: 'perTask', expression: 'connections / tasks', label: 'New TLS connections per task per minute', returnData: true },
          ],
        },
      },
    });
    return target;
  }
}
