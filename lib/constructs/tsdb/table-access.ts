import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';

/** Window moves merge fields (UpdateItem) or create the item (PutItem); nothing else. */
export function grantWindowWrites(table: dynamodb.ITableV2, grantee: iam.IGrantable): void {
  table.grant(grantee, 'dynamodb:UpdateItem', 'dynamodb:PutItem');
  table.encryptionKey?.grantEncryptDecrypt(grantee);
}

/** The read path fetches windows by key, 100 per call. */
export function grantWindowReads(table: dynamodb.ITableV2, grantee: iam.IGrantable): void {
  table.grant(grantee, 'dynamodb:BatchGetItem', 'dynamodb:GetItem');
  table.encryptionKey?.grantDecrypt(grantee);
}
