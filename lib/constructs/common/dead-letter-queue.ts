import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue where messages that could not be processed end up, kept 14 days for inspection and redrive.
 * SSE-SQS rather than the platform CMK: AWS services (Scheduler, Lambda destinations, SNS) write to it
 * without a key-policy grant, which would otherwise tie the data stack's key policy to the writer's
 * stack (a cross-stack cycle). TLS only. `endOfTheLine` says why it has no dead-letter queue itself.
 */
export function createDeadLetterQueue(scope: Construct, id: string, endOfTheLine: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: endOfTheLine });
  return queue;
}
