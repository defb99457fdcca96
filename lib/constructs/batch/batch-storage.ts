import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { EnvConfig } from '../../config-schema/schema';
import { grantTableActions } from '../data/key-use';
import { statefulRemovalPolicy } from '../../platform/policies';

export interface BatchStorageProps {
  readonly config: EnvConfig;
  readonly key: kms.IKey;
}

/**
 * The batch jobs' stateful stores, in the data stack:
 * - inventory: what the platform sees per organization (hosts with metric counts, services, monitors);
 *   written by the API as it happens, read by the usage snapshot and retention jobs;
 * - ledger: usage snapshots, bills, the notification outbox and the job locks (TTL on `expiresAt`);
 * - the ECR repository of batch images (the billing task), tags chosen by CI per commit.
 * Logical IDs here must never change: the tables hold billing records.
 */
export class BatchStorage extends Construct {
  readonly inventoryTable: dynamodb.TableV2;
  readonly ledgerTable: dynamodb.TableV2;
  readonly imageRepository: ecr.Repository;

  constructor(scope: Construct, id: string, props: BatchStorageProps) {
    super(scope, id);
    const { config, key } = props;
    const removalPolicy = statefulRemovalPolicy(config);
    const table = (name: string, timeToLiveAttribute?: string) =>
      new dynamodb.TableV2(this, name, {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
        timeToLiveAttribute,
        billing: dynamodb.Billing.onDemand(),
        encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: config.deletionProtection,
        removalPolicy,
      });
    this.inventoryTable = table('InventoryTable');
    this.ledgerTable = table('LedgerTable', 'expiresAt');
    this.imageRepository = new ecr.Repository(this, 'ImageRepository', {
      // Immutable tags: a tag names one build for good, so a re-run bills with exactly the code that ran.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: key,
      removalPolicy,
      emptyOnDelete: !config.retainData,
      lifecycleRules: [
        { description: 'Untagged layers from superseded builds', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(7) },
        { description: 'Keep the newest builds only', tagStatus: ecr.TagStatus.ANY, maxImageCount: 50 },
      ],
    });
  }

  /** Exactly these DynamoDB actions on the inventory table (and the key use they imply). */
  grantInventory(grantee: iam.IGrantable, ...actions: string[]): void {
    grantTableActions(this.inventoryTable, grantee, actions);
  }

  /** Exactly these DynamoDB actions on the ledger table (and the key use they imply). */
  grantLedger(grantee: iam.IGrantable, ...actions: string[]): void {
    grantTableActions(this.ledgerTable, grantee, actions);
  }
}
