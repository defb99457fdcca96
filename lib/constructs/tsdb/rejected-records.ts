import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from '../common/dead-letter-queue';
import { grantKeyUse } from '../data/key-use';

/**
 * Where records that cannot be stored end up: the writer publishes invalid records here with the
 * reason, and the event source mappings send poison batches here after their retries. The queue
 * keeps them 14 days for inspection and replay.
 */
export class RejectedRecords extends Construct {
  readonly topic: sns.Topic;
  readonly queue: sqs.Queue;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: { readonly key: kms.IKey }) {
    super(scope, id);
    this.key = props.key;
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'TSDB rejected and poison records',
      // The platform key: publishers get encrypt rights on that one key (an AWS managed key could only be granted as key/*).
      masterKey: props.key,
      enforceSSL: true,
    });
    this.queue = createDeadLetterQueue(this, 'Queue',
      'This queue is itself the dead-letter store of the TSDB pipeline; a dead-letter queue behind it would only move the same messages again.');
    this.topic.addSubscription(new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true }));
  }

  /** Publish to the topic (and the key use that implies), in the grantee's own policy. */
  grantPublish(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    grantKeyUse(this.key, grantee, 'publish');
  }

  /**
   * This topic as an event source mapping's on-failure destination, granted like grantPublish (the
   * library's SnsDlq would grant the key's whole kms:GenerateDataKey* family).
   */
  failureDestination(): lambda.IEventSourceDlq {
    return {
      bind: (_target, targetHandler) => {
        this.grantPublish(targetHandler);
        return { destination: this.topic.topicArn };
      },
    };
  }
}
