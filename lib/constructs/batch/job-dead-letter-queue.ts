import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * A job's dead-letter queue: where EventBridge Scheduler puts a start it could not deliver after its
 * retries, and where a Lambda job's failed asynchronous invocations (or undeliverable notifications)
 * end up. SSE-SQS rather than the platform CMK: Scheduler and Lambda write to it without a key-policy
 * grant, which would otherwise tie the data stack's key policy to this stack (a cross-stack cycle).
 */
export class JobDeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of a scheduled job (Scheduler target, Lambda on-failure destination); its depth is alarmed.',
    });
  }
}
