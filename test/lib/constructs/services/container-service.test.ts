import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceCluster } from '../../../../lib/constructs/services/service-cluster';
import { ContainerService } from '../../../../lib/constructs/services/container-service';
import { PublicEndpoint } from '../../../../lib/constructs/edge/public-endpoint';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, logicalId, type ConstructFixture } from '../../../support/construct-fixture';

function build(env: string) {
  const fixture = constructFixture(env);
  const { config, stack } = fixture;
  const endpoint = new PublicEndpoint(stack, 'Endpoint', {
    config, hostLabel: 'api', service: config.services.api, vpc: fixture.platformVpc.vpc,
    securityGroup: fixture.securityGroups.loadBalancer, accessLogsBucket: fixture.logsBucket,
  });
  const cluster = new ServiceCluster(stack, 'Cluster', { config, vpc: fixture.platformVpc.vpc });
  const repository = new ecr.Repository(stack, 'Repo');
  const service = new ContainerService(stack, 'Api', {
    config, name: 'api', service: config.services.api, cluster: cluster.cluster, repository,
    securityGroup: fixture.securityGroups.api, targetGroup: endpoint.targetGroup, loadBalancer: endpoint.loadBalancer,
    environment: { METRICS_STREAM_NAME: 'stream' },
    secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'DbSecret'), 'password') },
  });
  return { fixture, endpoint, repository, service, t: fixtureTemplate(fixture) };
}

describe.each(ENVIRONMENTS)('ServiceCluster and ContainerService (%s)', (env) => {
  let fixture: ConstructFixture;
  let built: ReturnType<typeof build>;
  let t: Template;
  beforeAll(() => {
    built = build(env);
    ({ fixture, t } = built);
  });
  const container = () => (Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0]!.Properties.ContainerDefinitions as Array<Record<string, unknown>>)[0]!;

  it('runs a cluster with enhanced Container Insights', () => {
    t.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: `monsaas-${env}-app`,
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  it('sizes an ARM64 Fargate task from config', () => {
    const { api } = fixture.config.services;
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: String(api.cpu),
      Memory: String(api.memoryMiB),
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
  });

  it('pulls the configured image tag from the service repository', () => {
    const image = JSON.stringify(fixture.stack.resolve(container().Image));
    expect(image).toContain(logicalId(built.repository, fixture.stack));
    expect(image).toContain(`:${fixture.config.services.imageTag}`);
  });

  it('hardens the container: read-only root with a task-local /tmp, health check on the service path', () => {
    const { api } = fixture.config.services;
    expect(container()).toMatchObject({
      Essential: true,
      ReadonlyRootFilesystem: true,
      // Landing-zone controls: an unprivileged user and a container memory limit.
      User: '1000:1000',
      Memory: api.memoryMiB,
      MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
      PortMappings: [{ ContainerPort: api.containerPort, Protocol: 'tcp', Name: 'http' }],
      HealthCheck: {
        Command: ['CMD-SHELL', `curl -fsS -o /dev/null http://127.0.0.1:${api.containerPort}${api.healthCheckPath} || exit 1`],
        Interval: 15, Timeout: 5, Retries: 3, StartPeriod: 30,
      },
    });
  });

  it('keeps secrets out of the environment and logs to a log group with the configured retention', () => {
    expect(container().Environment).toEqual([{ Name: 'METRICS_STREAM_NAME', Value: 'stream' }]);
    expect((container().Secrets as Array<{ Name: string }>).map((s) => s.Name)).toEqual(['DB_PASSWORD']);
    expect(container().LogConfiguration).toMatchObject({
      LogDriver: 'awslogs',
      Options: { 'awslogs-stream-prefix': 'api', mode: 'non-blocking', 'max-buffer-size': '26214400b', 'awslogs-group': { Ref: logicalId(built.service.logGroup, fixture.stack) } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: fixture.config.logRetentionDays });
  });

  it('runs the service in the private subnets, spread over AZs, with circuit-breaker rollback', () => {
    const { api } = fixture.config.services;
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'api',
      LaunchType: 'FARGATE',
      // Through the image gate: the configured count once the image exists, 0 before (first deploy).
      DesiredCount: { 'Fn::GetAtt': [logicalId(built.service.imageGate.resource, fixture.stack), 'DesiredCount'] },
      AvailabilityZoneRebalancing: 'ENABLED',
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      HealthCheckGracePeriodSeconds: 60,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          SecurityGroups: [{ 'Fn::GetAtt': [logicalId(fixture.securityGroups.api, fixture.stack), 'GroupId'] }],
          Subnets: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('privateSubnet') })]),
        },
      },
      LoadBalancers: [{ ContainerName: 'api', ContainerPort: api.containerPort, TargetGroupArn: { Ref: logicalId(built.endpoint.targetGroup, fixture.stack) } }],
    });
    const subnets = Object.values(t.findResources('AWS::ECS::Service'))[0]!.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets;
    expect(subnets).toHaveLength(fixture.config.availabilityZones.length);
  });

  it('scales between the configured bounds on CPU and on new connections per task', () => {
    const { api } = fixture.config.services;
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: { 'Fn::GetAtt': [logicalId(built.service.imageGate.resource, fixture.stack), 'MinCapacity'] }, MaxCapacity: api.maxCount, ScalableDimension: 'ecs:service:DesiredCount', ServiceNamespace: 'ecs',
      RoleARN: `arn:aws:iam::${fixture.config.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: api.cpuTargetPercent,
      }),
    });
    const load = Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'))
      .find((p) => p.Properties.PolicyName === 'api-new-connections-per-task')!;
    const spec = load.Properties.TargetTrackingScalingPolicyConfiguration;
    expect(spec.TargetValue).toBe(api.newConnectionsPerTaskPerMinute);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON is untyped
    const metrics = spec.CustomizedMetricSpecification.Metrics as Array<Record<string, any>>;
    expect(metrics.map((m) => m.Id)).toEqual(['connections', 'tasks', 'perTask']);
    expect(metrics[0]!.MetricStat.Metric).toMatchObject({ Namespace: 'AWS/NetworkELB', MetricName: 'NewFlowCount_TLS' });
    expect(JSON.stringify(metrics[0]!.MetricStat.Metric.Dimensions)).toContain(logicalId(built.endpoint.loadBalancer, fixture.stack));
    expect(metrics[1]!.MetricStat.Metric).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' });
    expect(metrics[2]).toMatchObject({ Expression: 'connections / tasks', ReturnData: true });
  });
});

it('builds x86 tasks when an image exists only for x86', () => {
  const fixture = constructFixture('staging', (c) => ({ ...c, services: { ...c.services, cpuArchitecture: 'X86_64' } }));
  const cluster = new ServiceCluster(fixture.stack, 'Cluster', { config: fixture.config, vpc: fixture.platformVpc.vpc });
  const endpoint = new PublicEndpoint(fixture.stack, 'Endpoint', {
    config: fixture.config, hostLabel: 'app', service: fixture.config.services.web, vpc: fixture.platformVpc.vpc,
    securityGroup: fixture.securityGroups.loadBalancer, accessLogsBucket: fixture.logsBucket,
  });
  new ContainerService(fixture.stack, 'Web', {
    config: fixture.config, name: 'web', service: fixture.config.services.web, cluster: cluster.cluster,
    repository: new ecr.Repository(fixture.stack, 'Repo'), securityGroup: fixture.securityGroups.web,
    targetGroup: endpoint.targetGroup, loadBalancer: endpoint.loadBalancer,
  });
  fixtureTemplate(fixture).hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'X86_64' } });
});
