import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aggregateLogsToMetrics, clearApiKeyCache, type AggregateOptions } from '../../../../lambda/batch/log-metrics/aggregate';
import { LOCAL_AWS, startFakeAws, type FakeAws } from '../fake-aws';

const NOW = Date.parse('2026-05-01T12:17:30Z');
const QUERY = {
  logGroupName: '/aws/lambda/usage', query: 'stats sum(hosts) as hosts by job', intervalMinutes: 5, offsetMinutes: 10,
  metricPrefix: 'batch', groupField: 'job', serviceName: 'monsaas-staging', apiKeyParameterName: '/monsaas/staging/log-metrics/api-key',
};

describe('log -> metric aggregator against local Logs/SSM/API stand-ins', () => {
  let fake: FakeAws;
  let options: () => AggregateOptions;
  beforeAll(async () => {
    fake = await startFakeAws();
    fake.parameters.set(QUERY.apiKeyParameterName, 'secret-key');
    const logs = new CloudWatchLogsClient({ ...LOCAL_AWS, endpoint: fake.endpoint });
    const ssm = new SSMClient({ ...LOCAL_AWS, endpoint: fake.endpoint });
    options = () => ({ logs, ssm, apiBaseUrl: `${fake.endpoint}/`, query: QUERY, nowMs: NOW, pollMs: 5, deadlineMs: Date.now() + 5_000, postTimeoutMs: 2_000 });
  });
  beforeEach(() => clearApiKeyCache());
  afterAll(async () => { await fake?.close(); });

  it('queries the half-open window, polls until complete, posts prefix.group.field with the SSM key', async () => {
    fake.queryResults = [
      { status: 'Scheduled' },
      { status: 'Running' },
      { status: 'Complete', results: [[{ field: 'job', value: 'usage' }, { field: 'hosts', value: '42' }]] },
    ];
    const summary = await aggregateLogsToMetrics(options());
    const start = Date.parse('2026-05-01T12:00:00Z') / 1000;
    expect(fake.logQueries.at(-1)).toEqual({ logGroupName: QUERY.logGroupName, queryString: QUERY.query, startTime: start, endTime: start + 300 - 1 });
    expect(summary).toMatchObject({ window: { start, end: start + 300 }, rows: 1, metrics: 1, polls: 3 });
    expect(fake.metricPosts.at(-1)).toEqual({
      path: '/api/v0/services/monsaas-staging/tsdb', apiKey: 'secret-key', body: [{ name: 'batch.usage.hosts', time: start, value: 42 }],
    });
  });

  it('posts nothing for an empty window', async () => {
    fake.queryResults = [{ status: 'Complete', results: [] }];
    const before = fake.metricPosts.length;
    expect(await aggregateLogsToMetrics(options())).toMatchObject({ rows: 0, metrics: 0 });
    expect(fake.metricPosts.length).toBe(before);
  });

  it('fails on a failed query, and stops a query that outlives its deadline', async () => {
    fake.queryResults = [{ status: 'Failed' }];
    await expect(aggregateLogsToMetrics(options())).rejects.toThrow(/ended with status Failed/);
    fake.queryResults = [{ status: 'Running' }];
    await expect(aggregateLogsToMetrics({ ...options(), deadlineMs: Date.now() + 60 })).rejects.toThrow(/did not complete before the deadline/);
    expect(fake.stoppedQueries).toContain(`q-${fake.logQueries.length}`);
  });

  it('fails when the API key parameter is missing', async () => {
    await expect(aggregateLogsToMetrics({ ...options(), query: { ...QUERY, apiKeyParameterName: '/nope' } })).rejects.toThrow(/not found/);
  });
});
