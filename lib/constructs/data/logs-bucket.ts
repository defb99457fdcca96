import { Duration, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { statefulRemovalPolicy } from '../../platform/policies';

/**
 * The bucket receiving S3 server access logs and NLB access logs. Both log deliveries only write to
 * buckets encrypted with S3-managed keys, so this one bucket is SSE-S3 (TLS enforced, private, versioned).
 */
export class LogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { readonly config: EnvConfig }) {
    super(scope, id);
    const { config } = props;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: statefulRemovalPolicy(config),
      autoDeleteObjects: false,
      lifecycleRules: [
        { expiration: Duration.days(config.edge.accessLogRetentionDays), noncurrentVersionExpiration: Duration.days(7) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its own access would log forever.',
    });
  }
}
