import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { EnvConfig } from '../../config-schema/schema';
import { archiveBucketName } from './tsdb-storage';

/** Archive objects live under this prefix (lambda/tsdb/archive-keys.ts). */
const ARCHIVE_PREFIX = 'v1/';

/**
 * One object action under the archive prefix. Object keys are made per series and window at run time,
 * so the ARN must end in a wildcard; it is acknowledged for exactly that ARN on this role's policy.
 */
function grantObjects(config: EnvConfig, role: iam.IRole, action: 's3:PutObject' | 's3:GetObject'): void {
  const objects = `arn:aws:s3:::${archiveBucketName(config)}/${ARCHIVE_PREFIX}*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources: [objects] }));
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (policy) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${objects}]`,
      reason: `Only ${action} on archive objects under ${ARCHIVE_PREFIX}: their keys are made per series and window at run time.`,
    });
  }
}

/** Exporter: PutObject under the archive prefix, SSE-KMS with the archive key. Nothing else. */
export function grantArchiveWrites(config: EnvConfig, key: kms.IKey, role: iam.IRole): void {
  grantObjects(config, role, 's3:PutObject');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
}

/** Reader: GetObject under the archive prefix and decrypt with the archive key. */
export function grantArchiveReads(config: EnvConfig, key: kms.IKey, role: iam.IRole): void {
  grantObjects(config, role, 's3:GetObject');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn] }));
}
