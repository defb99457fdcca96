import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { PlatformFunction } from '../common/platform-function';
import { deadLetterAlarm, failureCountAlarm } from './job-alarms';
import { JobDeadLetterQueue } from './job-dead-letter-queue';
import { logicalIdOf, schedulerRole } from './grants';
import { cronSchedule } from './job-schedule';

export interface LambdaJobSchedule {
  /** Construct id and schedule description suffix. */
  readonly id: string;
  readonly cron: string;
  readonly enabled: boolean;
  readonly retryAttempts: number;
  /** Event the function receives (default: none). */
  readonly input?: Record<string, unknown>;
  /** Let Scheduler start the run up to this much later (spreads load); default: exactly on time. */
  readonly flexibleWindow?: Duration;
}

export interface LambdaJobProps {
  readonly config: EnvConfig;
  /** Job name: log field, lock name, Powertools service suffix. */
  readonly job: string;
  readonly entry: string;
  readonly description: string;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly schedules: LambdaJobSchedule[];
  /**
   * Reserved concurrency: 1 for jobs that must never overlap (with the DynamoDB lease as the second
   * guard, since a throttled async event is retried later rather than dropped).
   */
  readonly reservedConcurrency: number;
  /** How long Scheduler and Lambda keep trying to start one run: past it, a run is stale (the next is due). */
  readonly maxEventAge: Duration;
  /** Actions this job adds that AWS offers no resource scoping for (named in the acknowledgement). */
  readonly unscopedActions?: string[];
}

/**
 * A scheduled Lambda job: the function (private subnets, batch-jobs security group), its schedules in
 * the environment's schedule group, retries and one dead-letter queue for both failure paths (Scheduler
 * could not invoke; the function failed all its asynchronous tries), and the alarms on both.
 */
export class LambdaJob extends Construct {
  readonly handler: PlatformFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedules: scheduler.Schedule[];
  readonly errorsAlarm: cloudwatch.Alarm;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LambdaJobProps) {
    super(scope, id);
    const { config } = props;
    this.deadLetterQueue = new JobDeadLetterQueue(this, 'DeadLetterQueue').queue;
    this.handler = new PlatformFunction(this, 'Handler', {
      config,
      entry: props.entry,
      description: props.description,
      serviceName: `batch-${props.job}`,
      memoryMiB: props.memoryMiB,
      timeout: props.timeout,
      environment: { JOB_NAME: props.job, ...props.environment },
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.securityGroup],
      reservedConcurrentExecutions: props.reservedConcurrency,
      unscopedActions: props.unscopedActions,
    });
    const fn = this.handler.function;
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: props.maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    const role = schedulerRole(this, 'SchedulerRole', props.job, [`<${logicalIdOf(fn)}.Arn>:*`]);

    this.schedules = props.schedules.map((s) => new scheduler.Schedule(this, `Schedule${s.id}`, {
      description: `monsaas ${config.name} batch ${props.job}${s.id === 'Default' ? '' : ` ${s.id}`} (${s.cron}, ${config.batch.timezone})`,
      scheduleGroup: props.scheduleGroup,
      schedule: cronSchedule(config, s.cron),
      enabled: config.batch.enabled && s.enabled,
      timeWindow: s.flexibleWindow ? scheduler.TimeWindow.flexible(s.flexibleWindow) : scheduler.TimeWindow.off(),
      target: new targets.LambdaInvoke(fn, {
        role,
        input: s.input ? scheduler.ScheduleTargetInput.fromObject(s.input) : undefined,
        retryAttempts: s.retryAttempts,
        maxEventAge: props.maxEventAge,
        deadLetterQueue: this.deadLetterQueue,
      }),
    }));

    this.errorsAlarm = failureCountAlarm(
      this, 'ErrorsAlarm',
      fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      `monsaas ${config.name}: batch job "${props.job}" failed (Lambda errors); see its log group.`,
      'jobFailed',
    );
    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', this.deadLetterQueue, props.job, config.name);
  }
}
