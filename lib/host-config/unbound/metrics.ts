/** Where the resolvers' statistics land in CloudWatch: shared by the on-host publisher's arguments and the alarms. */
export const RESOLVER_METRICS_NAMESPACE = 'MonSaaS/Resolvers';

/** Metric names the publisher (hosts/unbound-stats/unbound_stats.py) sends, each per resolver and per environment. */
export const ResolverMetric = {
  queries: 'Queries',
  cacheHits: 'CacheHits',
  cacheMisses: 'CacheMisses',
  nxdomain: 'NxdomainAnswers',
  servfail: 'ServfailAnswers',
  recursionTimeMs: 'RecursionTimeMs',
} as const;

/** The name resolver `index` (0-based) goes by: host directory, metric dimension, Name tag. */
export function resolverName(index: number): string {
  return `resolver-${index + 1}`;
}
