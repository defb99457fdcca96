import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { archiveKey } from './archive-keys';
import { encodeGorilla } from './gorilla';
import { parseWindowSortKey, tierByStep, type TsdbSettings } from './tiers';
import { itemPoints, type PointsMap } from './window-store';

export interface ExporterDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  /** The archive's KMS key (SSE-KMS on every object, whatever the bucket default). */
  readonly kmsKeyId?: string;
  readonly settings: TsdbSettings;
}

/** DynamoDB's own TTL deletions carry this identity; a user's DeleteItem does not. */
export function isTtlDeletion(record: DynamoDBRecord): boolean {
  return record.eventName === 'REMOVE'
    && record.userIdentity?.type === 'Service'
    && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
}

export interface ExportedObject {
  readonly key: string;
  readonly points: number;
}

/**
 * Writes one expired item to the archive as Gorilla-compressed points. Returns undefined for events
 * that are not TTL deletions (the event source filter already drops them; this is the second guard).
 * Re-exporting the same item writes the same key and bytes: retries are harmless.
 */
export async function exportExpiredItem(record: DynamoDBRecord, deps: ExporterDeps): Promise<ExportedObject | undefined> {
  if (!isTtlDeletion(record)) return undefined;
  const image = record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined;
  const series = image?.series?.S;
  const window = image?.window?.S;
  if (!image || !series || !window) throw new Error('TTL deletion without an old image: the table stream must carry OLD_IMAGE');
  const { windowStart, step } = parseWindowSortKey(window);
  const tier = tierByStep(deps.settings, step);
  if (!tier) throw new Error(`item ${series} ${window} has step ${step}, which is no configured tier`);
  const points = [...itemPoints(deps.settings, tier, (image.points?.M ?? {}) as PointsMap)].sort((a, b) => a[0] - b[0]);
  const key = archiveKey(series, step, windowStart);
  await deps.s3.send(new PutObjectCommand({
    Bucket: deps.bucket,
    Key: key,
    Body: encodeGorilla(points),
    ContentType: 'application/octet-stream',
    Metadata: { series, window, step: String(step), points: String(points.length), format: 'gorilla-v1' },
    ...(deps.kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: deps.kmsKeyId, BucketKeyEnabled: true } : {}),
  }));
  return { key, points: points.length };
}
