import type { SNSClient } from '@aws-sdk/client-sns';
import type { Rejection } from './writer-core';

/** SNS messages are limited to 256 KB: the record's data is cut to this many base64 characters. */
const MAX_DATA_CHARS = 200_000;

export function rejectionMessage(r: Rejection): string {
  const data = Buffer.from(r.data).toString('base64');
  return JSON.stringify({
    kind: 'rejected-record',
    reason: r.reason,
    sequenceNumber: r.id,
    partitionKey: r.partitionKey,
    data: data.slice(0, MAX_DATA_CHARS),
    truncated: data.length > MAX_DATA_CHARS,
  });
}

let client: SNSClient | undefined;

/**
 * Publishes rejected records (10 per call, SNS's batch limit) to the failure topic. Rejections are rare,
 * so the SNS client is loaded on the first one, off the init path.
 */
export async function publishRejections(topicArn: string, rejections: readonly Rejection[], sns?: SNSClient): Promise<void> {
  const { PublishBatchCommand, SNSClient: Client } = await import('@aws-sdk/client-sns');
  client ??= sns ?? new Client({});
  const target = sns ?? client;
  for (let i = 0; i < rejections.length; i += 10) {
    const chunk = rejections.slice(i, i + 10);
    const out = await target.send(new PublishBatchCommand({
      TopicArn: topicArn,
      PublishBatchRequestEntries: chunk.map((r, j) => ({ Id: String(j), Message: rejectionMessage(r), MessageAttributes: { kind: { DataType: 'String', StringValue: 'rejected-record' } } })),
    }));
    if (out.Failed && out.Failed.length > 0) throw new Error(`SNS refused ${out.Failed.length} rejected record(s): ${out.Failed[0]?.Message ?? ''}`);
  }
}
