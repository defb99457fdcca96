import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { queryWindow, rowsToMetrics, type LogMetricQuery, type ServiceMetric } from './window';

export interface AggregateOptions {
  readonly logs: CloudWatchLogsClient;
  readonly ssm: SSMClient;
  /** Base URL of the monitoring service API (https in deployment). */
  readonly apiBaseUrl: string;
  readonly query: LogMetricQuery;
  readonly nowMs: number;
  /** Poll period of GetQueryResults: the published design polls every second. */
  readonly pollMs: number;
  /** Give up (and StopQuery) after this instant. */
  readonly deadlineMs: number;
  readonly postTimeoutMs: number;
}

export interface AggregateSummary {
  readonly window: { start: number; end: number };
  readonly rows: number;
  readonly metrics: number;
  readonly polls: number;
  readonly durationMs: number;
}

const apiKeys = new Map<string, { value: string; fetchedAt: number }>();
/** The key is read at most every 5 minutes per warm function: rotation takes effect soon, SSM is not hammered. */
const API_KEY_CACHE_MS = 5 * 60_000;

async function apiKey(ssm: SSMClient, name: string, nowMs: number): Promise<string> {
  const cached = apiKeys.get(name);
  if (cached && nowMs - cached.fetchedAt < API_KEY_CACHE_MS) return cached.value;
  const result = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = result.Parameter?.Value;
  if (!value) throw new Error(`SSM parameter ${name} has no value`);
  apiKeys.set(name, { value, fetchedAt: nowMs });
  return value;
}

export function clearApiKeyCache(): void {
  apiKeys.clear();
}

async function postMetrics(options: AggregateOptions, key: string, metrics: ServiceMetric[]): Promise<void> {
  const url = `${options.apiBaseUrl.replace(/\/$/, '')}/api/v0/services/${encodeURIComponent(options.query.serviceName)}/tsdb`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(metrics),
    signal: AbortSignal.timeout(options.postTimeoutMs),
  });
  if (!response.ok) throw new Error(`posting ${metrics.length} metric(s) answered HTTP ${response.status}`);
}

/** Runs one query over its window and posts the results as service metrics prefix.group.field. */
export async function aggregateLogsToMetrics(options: AggregateOptions): Promise<AggregateSummary> {
  const started = Date.now();
  const { query } = options;
  const window = queryWindow(options.nowMs, query.intervalMinutes, query.offsetMinutes);
  const key = await apiKey(options.ssm, query.apiKeyParameterName, options.nowMs);
  // StartQuery's endTime is inclusive (whole seconds): end - 1 keeps the window half-open.
  const { queryId } = await options.logs.send(new StartQueryCommand({
    logGroupName: query.logGroupName, queryString: query.query, startTime: window.start, endTime: window.end - 1,
  }));
  if (!queryId) throw new Error('StartQuery returned no query id');
  let polls = 0;
  for (;;) {
    if (Date.now() >= options.deadlineMs) {
      await options.logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      throw new Error(`query ${queryId} did not complete before the deadline (${polls} polls)`);
    }
    await new Promise((r) => setTimeout(r, options.pollMs));
    polls += 1;
    const result = await options.logs.send(new GetQueryResultsCommand({ queryId }));
    if (result.status === 'Complete') {
      const rows = result.results ?? [];
      const metrics = rowsToMetrics(rows, query, window.start);
      if (metrics.length > 0) await postMetrics(options, key, metrics);
      return { window, rows: rows.length, metrics: metrics.length, polls, durationMs: Date.now() - started };
    }
    if (result.status !== 'Running' && result.status !== 'Scheduled') {
      throw new Error(`query ${queryId} ended with status ${result.status}`);
    }
  }
}
