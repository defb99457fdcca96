import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defaultPlatform, ENVIRONMENTS, template } from '../../support/platform';

/** Synthesized CloudFormation is untyped JSON; tests walk it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Cfn = any;
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resources = (t: Template, type: string): Resources => t.findResources(type) as Resources;
const schedules = (t: Template) => Object.values(resources(t, 'AWS::Scheduler::Schedule')).map((r) => r.Properties as Cfn);

describe.each(ENVIRONMENTS)('batch stack (%s)', (envName) => {
  const t = () => template(envName, 'batch');
  const config = () => defaultPlatform().env(envName).config;

  it('schedules every job in the configured time zone, in its own schedule group', () => {
    const all = schedules(t());
    const c = config().batch;
    const expected = [c.usage.schedule, c.notifications.schedule, c.retention.schedule, c.billing.schedule]
      .concat(c.logMetrics.queries.map(() => '0/5 * * * ? *'));
    expect(all.map((s) => s.ScheduleExpression).sort()).toEqual(expected.map((e) => `cron(${e})`).sort());
    for (const s of all) {
      expect(s.ScheduleExpressionTimezone).toBe('Asia/Tokyo');
      expect(s.State).toBe('ENABLED');
      expect(s.GroupName).toBe(`monsaas-${envName}-batch`);
    }
    t().hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: `monsaas-${envName}-batch` });
  });

  it('gives every target retries, a maximum event age and a dead-letter queue', () => {
    const queues = Object.keys(resources(t(), 'AWS::SQS::Queue'));
    for (const s of schedules(t())) {
      expect(s.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThanOrEqual(2);
      expect(s.Target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      const dlq = s.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
      expect(queues).toContain(dlq);
    }
  });

  it('encrypts every dead-letter queue and refuses non-TLS access', () => {
    const queues = resources(t(), 'AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(6); // 4 Lambda jobs + billing + undeliverable notifications
    for (const q of Object.values(queues)) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    const policies = Object.values(resources(t(), 'AWS::SQS::QueuePolicy'));
    const tlsDenied = policies.filter((p) => JSON.stringify(p.Properties).includes('"aws:SecureTransport":"false"'));
    expect(tlsDenied).toHaveLength(6);
  });

  it('runs Lambda jobs ARM64 on Node 24 in private subnets, one at a time, with failures sent to their DLQ', () => {
    const fns = Object.values(resources(t(), 'AWS::Lambda::Function')).filter((f) => (f.Properties.Description as string | undefined) !== undefined);
    const byJob = new Map(fns.map((f) => [(f.Properties.Environment as Cfn).Variables.JOB_NAME as string, f.Properties]));
    expect([...byJob.keys()].sort()).toEqual(['log-metrics', 'notifications', 'retention', 'usage']);
    const c = config().batch;
    for (const [job, p] of byJob) {
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Runtime).toBe('nodejs24.x');
      expect((p.VpcConfig as Cfn).SecurityGroupIds).toHaveLength(1);
      if (job !== 'log-metrics') expect(p.ReservedConcurrentExecutions).toBe(1);
    }
    expect(byJob.get('usage')).toMatchObject({ Timeout: c.usage.timeoutSeconds, MemorySize: c.usage.memoryMiB });
    expect(byJob.get('notifications')).toMatchObject({ Timeout: c.notifications.timeoutSeconds, MemorySize: c.notifications.memoryMiB });
    expect(byJob.get('retention')).toMatchObject({ Timeout: c.retention.timeoutSeconds, MemorySize: c.retention.memoryMiB });
    expect(byJob.get('log-metrics')?.ReservedConcurrentExecutions).toBe(c.logMetrics.queries.length);
    const invokeConfigs = Object.values(resources(t(), 'AWS::Lambda::EventInvokeConfig'));
    expect(invokeConfigs).toHaveLength(4);
    for (const ic of invokeConfigs) {
      expect(ic.Properties.MaximumRetryAttempts).toBe(2);
      expect((ic.Properties.DestinationConfig as Cfn).OnFailure.Destination['Fn::GetAtt'][1]).toBe('Arn');
    }
  });

  it('feeds each log -> metric schedule its query as input', () => {
    const inputs = schedules(t()).filter((s) => s.Target.Input).map((s) => JSON.parse(JSON.stringify(s.Target.Input)));
    expect(inputs).toHaveLength(config().batch.logMetrics.queries.length);
    const first = config().batch.logMetrics.queries[0]!;
    const body = JSON.stringify(inputs);
    for (const key of ['query', 'intervalMinutes', 'offsetMinutes', 'metricPrefix', 'groupField', 'serviceName', 'apiKeyParameterName', 'logGroupName']) {
      expect(body).toContain(key);
    }
    expect(body).toContain(first.apiKeyParameterName);
  });

  it('runs billing as an ARM64 Fargate task from the batch ECR repository, in private subnets, Container Insights on', () => {
    t().hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    const c = config();
    t().hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Cpu: String(c.batch.billing.cpu),
      Memory: String(c.batch.billing.memoryMiB),
      ContainerDefinitions: [Match.objectLike({
        Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([`:${c.services.imageTag}`])]) }),
        ReadonlyRootFilesystem: true,
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        Environment: Match.arrayWith([{ Name: 'TIME_ZONE', Value: 'Asia/Tokyo' }, { Name: 'MAX_RUNTIME_MINUTES', Value: String(c.batch.billing.maxRuntimeMinutes) }]),
      })],
    });
    const billing = schedules(t()).find((s) => s.Target.EcsParameters);
    expect(billing?.Target.EcsParameters).toMatchObject({
      LaunchType: 'FARGATE', TaskCount: 1,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    const network = billing?.Target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration;
    expect(network.Subnets.length).toBe(config().availabilityZones.length);
    expect(JSON.stringify(network.Subnets)).toMatch(/privateSubnet/);
    expect(JSON.stringify(network.SecurityGroups)).toMatch(/SecurityGroupsBatchJobs/);
  });

  it('watches the billing task exit code: a rule on stopped tasks with a non-zero exit, an alarm on its matches', () => {
    t().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'],
        detail: Match.objectLike({ lastStatus: ['STOPPED'], $or: [{ containers: { exitCode: [{ 'anything-but': 0 }] } }, { stopCode: ['TaskFailedToStart'] }] }),
      },
    });
    t().hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Events', MetricName: 'MatchedEvents', Threshold: 1 });
  });

  it('alarms on every job failure and every dead-letter queue, exposed for the monitoring stack', () => {
    const stack = defaultPlatform().env(envName).batch;
    expect(stack.alarms).toHaveLength(11);
    expect(stack.deadLetterQueues).toHaveLength(6);
    const alarms = Object.values(resources(t(), 'AWS::CloudWatch::Alarm'));
    expect(alarms.filter((a) => a.Properties.MetricName === 'Errors')).toHaveLength(4);
    expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(6);
    for (const a of alarms) expect(a.Properties.TreatMissingData).toBe('notBreaching');
  });

  it('grants least privilege: named table actions, alert topics by prefix, StartQuery on the queried groups only', () => {
    const policies = JSON.stringify(resources(t(), 'AWS::IAM::Policy'));
    expect(policies).not.toMatch(/"dynamodb:\*"|"kms:\*"|"sns:\*"|kms:ReEncrypt\*|kms:GenerateDataKey\*/);
    expect(policies).toContain(`monsaas-${envName}-alerts-*`);
    expect(policies).toContain('logs:StartQuery');
  });
});

describe('batch storage in the data stack', () => {
  it.each(ENVIRONMENTS)('%s: two KMS-encrypted tables with PITR, a TTL on the ledger, an immutable scanned ECR repository', (envName) => {
    const t = template(envName, 'data');
    const retained = envName === 'production';
    const tables = Object.entries(t.findResources('AWS::DynamoDB::GlobalTable')).filter(([id]) => id.startsWith('Batch'));
    expect(tables.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['BatchInventoryTable', 'BatchLedgerTable']);
    for (const [id, table] of tables) {
      expect(table.DeletionPolicy).toBe(retained ? 'Retain' : 'Delete');
      expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(retained);
      if (id.startsWith('BatchLedger')) expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    }
    const repos = Object.entries(t.findResources('AWS::ECR::Repository')).filter(([id]) => id.startsWith('Batch'));
    expect(repos).toHaveLength(1);
    expect(repos[0]![1].Properties).toMatchObject({
      ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true }, EncryptionConfiguration: { EncryptionType: 'KMS' },
    });
    expect(repos[0]![1].DeletionPolicy).toBe(retained ? 'Retain' : 'Delete');
  });
});
