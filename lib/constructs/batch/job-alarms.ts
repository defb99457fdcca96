import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { withRunbook, type RunbookSection } from '../monitoring/runbook-link';

/** Any message in a dead-letter queue is a job that did not run or did not finish: alarm at once. */
export function deadLetterAlarm(
  scope: Construct, id: string, queue: sqs.IQueue, job: string, env: string, runbook: RunbookSection = 'jobDeadLetters',
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: withRunbook(`monsaas ${env}: batch job "${job}" has messages in its dead-letter queue (failed starts or deliveries); inspect and redrive.`, runbook),
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** A failure signal that counts events (Lambda Errors, matched task-failure events): one is enough. */
export function failureCountAlarm(scope: Construct, id: string, metric: cloudwatch.IMetric, description: string, runbook: RunbookSection): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: withRunbook(description, runbook),
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
