import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { logRemovalPolicy, logRetention } from '../../platform/policies';
import { deadLetterAlarm, failureCountAlarm } from './job-alarms';
import { JobDeadLetterQueue } from './job-dead-letter-queue';
import type { BatchStorage } from './batch-storage';
import { logicalIdOf, schedulerRole } from './grants';
import { cronSchedule } from './job-schedule';

export interface BillingTaskProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  /** The ledger it bills from and writes to, and the repository of its image. */
  readonly storage: BatchStorage;
  readonly scheduleGroup: scheduler.IScheduleGroup;
}

/**
 * The monthly billing job as an ECS Fargate task (heavy: it reads a month of snapshots): its own small
 * cluster (Container Insights), an ARM64 task in private subnets, its schedule with retries and a
 * dead-letter queue, and a rule that catches the task stopping with a non-zero exit code (or never
 * starting its container), counted by an alarm and recorded in a log group for the on-call.
 * Overlap guard: a DynamoDB lease taken at start (ECS has no reserved concurrency); a second task
 * exits 75 without touching bills.
 */
export class BillingTask extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;
  readonly failedTaskRule: events.Rule;
  readonly failedTaskAlarm: cloudwatch.Alarm;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: BillingTaskProps) {
    super(scope, id);
    const { config } = props;
    const billing = config.batch.billing;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetention(config.logRetentionDays),
      removalPolicy: logRemovalPolicy(config),
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: billing.cpu,
      memoryLimitMiB: billing.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.taskDefinition.addContainer('Billing', {
      image: ecs.ContainerImage.fromEcrRepository(props.storage.imageRepository, billing.imageTag ?? config.services.imageTag),
      essential: true,
      readonlyRootFilesystem: true,
      // Landing-zone controls: the Dockerfile's USER node (uid 1000) enforced here too, and a container memory limit.
      user: '1000:1000',
      memoryLimitMiB: billing.memoryMiB,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'billing' }),
      environment: {
        LEDGER_TABLE: props.storage.ledgerTable.tableName,
        TIME_ZONE: config.batch.timezone,
        MAX_RUNTIME_MINUTES: String(billing.maxRuntimeMinutes),
        POWERTOOLS_SERVICE_NAME: 'batch-billing',
        JOB_NAME: 'billing',
      },
    });
    // Billing reads snapshots and writes bills and its lock: nothing else.
    props.storage.grantLedger(this.taskDefinition.taskRole, 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The environment holds only non-secret settings (table name, time zone, runtime limit); the task reads no secrets.',
    });
    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions; image pulls themselves are scoped to the batch repository.',
    });

    this.deadLetterQueue = new JobDeadLetterQueue(this, 'DeadLetterQueue').queue;
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `monsaas ${config.name} batch billing (${billing.schedule}, ${config.batch.timezone})`,
      scheduleGroup: props.scheduleGroup,
      schedule: cronSchedule(config, billing.schedule),
      enabled: config.batch.enabled && billing.enabled,
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.EcsRunFargateTask(this.cluster, {
        role: schedulerRole(this, 'SchedulerRole', 'billing', [`arn:aws:ecs:${config.region}:${config.account}:task/<${logicalIdOf(this.cluster)}>/*`]),
        taskDefinition: this.taskDefinition,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.securityGroup],
        assignPublicIp: false,
        // One task per run: billing is not parallel, the lock would turn a second one away anyway.
        taskCount: 1,
        retryAttempts: billing.retryAttempts,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
        propagateTags: true,
      }),
    });

    // Container exit codes are only visible in ECS task-state events: a rule matches the failures and
    // files them in the job's dead-letter queue, next to failed starts (one place to look, one alarm more).
    this.failedTaskRule = new events.Rule(this, 'FailedTaskRule', {
      description: `monsaas ${config.name}: billing task stopped with a non-zero exit code or without starting`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [this.cluster.clusterArn],
          lastStatus: ['STOPPED'],
          $or: [
            { containers: { exitCode: [{ 'anything-but': 0 }] } },
            { stopCode: ['TaskFailedToStart'] },
          ],
        },
      },
      targets: [new eventTargets.SqsQueue(this.deadLetterQueue)],
    });
    this.failedTaskAlarm = failureCountAlarm(
      this, 'FailedTaskAlarm',
      new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: 'MatchedEvents', dimensionsMap: { RuleName: this.failedTaskRule.ruleName }, period: Duration.minutes(5), statistic: 'Sum' }),
      `monsaas ${config.name}: billing task failed (non-zero exit: 1 error, 2 bad month, 75 locked, 124 overran); the stopped-task event is in the billing dead-letter queue; see the task's log group.`,
      'billingFailed',
    );
    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', this.deadLetterQueue, 'billing', config.name);
  }
}
