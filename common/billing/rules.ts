/**
 * The published billing rules (reference section 5), applied to one snapshot of one organization:
 * - a host posting at most 30 metrics is a micro host;
 * - a bigger host is a standard host per started 200 metrics (450 metrics = 3 standard hosts);
 * - service metrics: every started 200 count as one standard host;
 * - external URL monitors: every started 20 count as one standard host.
 * "Started" (ceiling) because the rules price capacity: the 201st metric needs a second host's allowance.
 */
export const METRICS_PER_STANDARD_HOST = 200;
export const METRICS_PER_MICRO_HOST = 30;
export const SERVICE_METRICS_PER_STANDARD_HOST = 200;
export const URL_MONITORS_PER_STANDARD_HOST = 20;

export interface OrganizationUsage {
  /** Metric count of each active host. */
  readonly hostMetricCounts: readonly number[];
  readonly serviceMetrics: number;
  readonly urlMonitors: number;
}

export interface BillableUnits {
  readonly standardHosts: number;
  readonly microHosts: number;
  readonly serviceMetricHosts: number;
  readonly urlMonitorHosts: number;
}

export function billableUnits(usage: OrganizationUsage): BillableUnits {
  let standardHosts = 0;
  let microHosts = 0;
  for (const metrics of usage.hostMetricCounts) {
    if (metrics <= METRICS_PER_MICRO_HOST) microHosts += 1;
    else standardHosts += Math.ceil(metrics / METRICS_PER_STANDARD_HOST);
  }
  return {
    standardHosts,
    microHosts,
    serviceMetricHosts: Math.ceil(usage.serviceMetrics / SERVICE_METRICS_PER_STANDARD_HOST),
    urlMonitorHosts: Math.ceil(usage.urlMonitors / URL_MONITORS_PER_STANDARD_HOST),
  };
}

/** Standard-host equivalents of a snapshot: hosts plus the pooled service metrics and URL monitors. */
export function totalStandardHosts(units: BillableUnits): number {
  return units.standardHosts + units.serviceMetricHosts + units.urlMonitorHosts;
}

/** Monthly average with two decimals, rounded half up (the invoice's precision). */
export function monthlyAverage(sum: number, slots: number): number {
  return slots === 0 ? 0 : Math.round((sum * 100) / slots) / 100;
}
