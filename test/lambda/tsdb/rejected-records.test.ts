import type { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { publishRejections } from '../../../lambda/tsdb/rejected-records';

describe('rejected records', () => {
  it('publishes each rejected record with its reason, sequence number and data, 10 per call', async () => {
    const calls: Array<{ TopicArn: string; PublishBatchRequestEntries: Array<{ Id: string; Message: string }> }> = [];
    const sns = { send: async (command: { input: (typeof calls)[number] }) => { calls.push(command.input); return {}; } } as unknown as SNSClient;
    const rejections = Array.from({ length: 12 }, (_, i) => ({ id: `seq-${i}`, partitionKey: 'h', reason: `bad ${i}`, data: Buffer.from(`payload ${i}`) }));
    await publishRejections('arn:aws:sns:ap-northeast-1:111111111111:rejected', rejections, sns);
    expect(calls.map((c) => c.PublishBatchRequestEntries.length)).toEqual([10, 2]);
    const last = JSON.parse(calls[1]!.PublishBatchRequestEntries[1]!.Message);
    expect(last).toEqual({ kind: 'rejected-record', reason: 'bad 11', sequenceNumber: 'seq-11', partitionKey: 'h', data: Buffer.from('payload 11').toString('base64'), truncated: false });
  });

  it('fails (so the records are retried) when SNS refuses an entry', async () => {
    const sns = { send: async () => ({ Failed: [{ Id: '0', Message: 'throttled' }] }) } as unknown as SNSClient;
    await expect(publishRejections('arn', [{ id: '1', reason: 'r', data: Buffer.from('x') }], sns)).rejects.toThrow(/SNS refused 1 rejected record\(s\): throttled/);
  });
});
