import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { NODE_DEPLOY_VALUES } from '../../host-config/redis/node-bundle';
import { ApplyBundleDocument } from '../host-delivery/apply-bundle-document';
import type { FailoverAgentBundle } from './failover-agent-bundle';

export interface RedisNodeDeliveryProps {
  readonly config: EnvConfig;
  readonly authSecret: secretsmanager.ISecret;
  readonly agent: FailoverAgentBundle;
  readonly routeTableIds: readonly string[];
}

/**
 * What every node's bundle application shares: the apply document and the deploy values the node
 * bundles name as markers (secret ARN, agent object, route tables: known only at deploy).
 */
export class RedisNodeDelivery extends Construct {
  readonly document: ApplyBundleDocument;
  readonly deployValues: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RedisNodeDeliveryProps) {
    super(scope, id);
    this.document = new ApplyBundleDocument(this, 'ApplyDocument', {
      description: `monsaas ${props.config.name}: apply a Redis node's host bundle (files, agent, services) without a restart of the instance`,
    });
    this.deployValues = {
      [NODE_DEPLOY_VALUES.authSecretArn]: props.authSecret.secretArn,
      [NODE_DEPLOY_VALUES.agentBundleUrl]: props.agent.asset.s3ObjectUrl,
      ...Object.fromEntries(props.routeTableIds.map((id, i) => [NODE_DEPLOY_VALUES.routeTableId(i), id])),
    };
  }
}
