import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from '../common/dead-letter-queue';

/**
 * A job's dead-letter queue: where EventBridge Scheduler puts a start it could not deliver after its
 * retries, and where a Lambda job's failed asynchronous invocations (or undeliverable notifications)
 * end up.
 */
export class JobDeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = createDeadLetterQueue(this, 'Queue',
      'This queue is itself the dead-letter queue of a scheduled job (Scheduler target, Lambda on-failure destination); its depth is alarmed.');
  }
}
