import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (journald on the hosts; the drill keeps them per node). */
export function createLogger(nodeName: string): Logger {
  return new Logger({ serviceName: 'redis-failover-agent', persistentLogAttributes: { node: nodeName } });
}
