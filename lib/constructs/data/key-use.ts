import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * The platform's one KMS posture: a grantee gets exactly the key actions its use of an encrypted
 * resource needs, named one by one (never the library's kms:ReEncrypt* / kms:GenerateDataKey*
 * families), in its own identity policy on the one key ARN (never the key policy, which lives in the
 * data stack and would make every consumer a dependency of it).
 */
export const KEY_USE = {
  /** Reading what the service decrypts for us (S3 GetObject, DynamoDB reads, secrets). */
  decrypt: ['kms:Decrypt'],
  /** Putting records on an encrypted Kinesis stream. */
  produce: ['kms:GenerateDataKey'],
  /** Publishing to an encrypted SNS topic, or putting SSE-KMS objects (multipart uploads decrypt parts). */
  publish: ['kms:GenerateDataKey', 'kms:Decrypt'],
  /** Reading and writing an encrypted DynamoDB table. */
  readWrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
} as const;

export type KeyUse = keyof typeof KEY_USE;

export function grantKeyUse(key: kms.IKey | undefined, grantee: iam.IGrantable, use: KeyUse): void {
  if (!key) return;
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...KEY_USE[use]], resources: [key.keyArn] }));
}

/** Exactly `actions` on one DynamoDB table, with the key actions that use implies. */
export function grantTableActions(table: { grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant; readonly encryptionKey?: kms.IKey }, grantee: iam.IGrantable, actions: readonly string[]): void {
  table.grant(grantee, ...actions);
  const writes = actions.some((a) => !/^dynamodb:(Get|BatchGet|Query|Scan|Describe)/.test(a));
  grantKeyUse(table.encryptionKey, grantee, writes ? 'readWrite' : 'decrypt');
}
