import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { statefulRemovalPolicy } from '../../platform/policies';

/** The customer-managed KMS key encrypting the platform's data at rest (stream, table, archive, secrets, logs). */
export class DataKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly config: EnvConfig }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `monsaas ${props.config.name}: data at rest`,
      enableKeyRotation: true,
      removalPolicy: statefulRemovalPolicy(props.config),
    });
  }
}
