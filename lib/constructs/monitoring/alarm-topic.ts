import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { statefulRemovalPolicy } from '../../platform/policies';

export interface AlarmTopicProps {
  readonly config: EnvConfig;
}

/**
 * The environment's alarm topic, encrypted with its own key (CloudWatch and EventBridge may use the key to
 * publish), subscribed to config.alarms: e-mails, and HTTPS endpoints (the paging tool), which config
 * allows only where alarms page (production). Staging therefore notifies without paging anyone.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { config } = props;
    this.key = new kms.Key(this, 'Key', {
      description: `monsaas ${config.name}: alarm topic`,
      enableKeyRotation: true,
      removalPolicy: statefulRemovalPolicy(config),
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      this.key.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Publish${service.split('.')[0]}`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy "*" means this key
        conditions: { StringEquals: { 'aws:SourceAccount': config.account } },
      }));
    }
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `monsaas ${config.name} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of config.alarms.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    // Config only accepts HTTPS (paging) endpoints where paging is true (lib/config-schema/sections/alarms.ts).
    for (const url of config.alarms.httpsEndpoints) this.topic.addSubscription(new subscriptions.UrlSubscription(url));
  }
}
