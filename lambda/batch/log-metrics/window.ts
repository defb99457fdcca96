/** Input of one schedule of the aggregator (reference section 6): one function serves many queries. */
export interface LogMetricQuery {
  readonly logGroupName: string;
  readonly query: string;
  readonly intervalMinutes: number;
  readonly offsetMinutes: number;
  readonly metricPrefix: string;
  readonly groupField: string;
  readonly serviceName: string;
  readonly apiKeyParameterName: string;
}

export interface ServiceMetric {
  readonly name: string;
  /** Epoch seconds. */
  readonly time: number;
  readonly value: number;
}

export function parseQueryInput(event: unknown): LogMetricQuery {
  const e = (event ?? {}) as Record<string, unknown>;
  const text = (k: string) => {
    if (typeof e[k] !== 'string' || e[k] === '') throw new Error(`schedule input: ${k} must be a non-empty string`);
    return e[k] as string;
  };
  const minutes = (k: string, fallback?: number) => {
    const v = e[k] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`schedule input: ${k} must be a whole number of minutes`);
    return v;
  };
  const intervalMinutes = minutes('intervalMinutes');
  if (intervalMinutes === 0) throw new Error('schedule input: intervalMinutes must be at least 1');
  return {
    logGroupName: text('logGroupName'), query: text('query'), intervalMinutes, offsetMinutes: minutes('offsetMinutes', 10),
    metricPrefix: text('metricPrefix'), groupField: text('groupField'), serviceName: text('serviceName'), apiKeyParameterName: text('apiKeyParameterName'),
  };
}

/**
 * The half-open window [trunc(now - offset) - interval, trunc(now - offset)) in epoch seconds,
 * truncated to the interval: consecutive runs tile time with no gap and no overlap, and a late or
 * retried run queries the same window again (the metric posts overwrite by name and time).
 */
export function queryWindow(nowMs: number, intervalMinutes: number, offsetMinutes: number): { start: number; end: number } {
  const interval = intervalMinutes * 60;
  const shifted = Math.floor(nowMs / 1000) - offsetMinutes * 60;
  const end = shifted - (((shifted % interval) + interval) % interval);
  return { start: end - interval, end };
}

/** Metric names allow letters, digits, "_", "-" and "."; other characters of a group value become "_". */
export function metricNamePart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
}

/**
 * Logs Insights rows -> service metrics prefix.group.field, stamped with the window start. Non-numeric
 * fields (and Logs Insights' own @ptr) are skipped; a row without the group field goes to group "_".
 */
export function rowsToMetrics(rows: { field?: string; value?: string }[][], query: Pick<LogMetricQuery, 'metricPrefix' | 'groupField'>, time: number): ServiceMetric[] {
  const metrics: ServiceMetric[] = [];
  for (const row of rows) {
    const fields = new Map(row.filter((c) => c.field !== undefined).map((c) => [c.field!, c.value ?? '']));
    const group = metricNamePart(fields.get(query.groupField) ?? '');
    for (const [field, raw] of fields) {
      if (field === query.groupField || field.startsWith('@') || raw.trim() === '') continue;
      const value = Number(raw);
      if (!Number.isFinite(value)) continue;
      metrics.push({ name: `${query.metricPrefix}.${group}.${metricNamePart(field)}`, time, value });
    }
  }
  return metrics;
}
