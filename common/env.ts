/**
 * Reading the environment a construct set for a runtime (Lambda handler, container, host program).
 * One reader for every runtime: a missing value is a deployment bug, so it fails loudly at start.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function numberEnv(name: string): number {
  const value = Number(requireEnv(name));
  if (!Number.isFinite(value)) throw new Error(`environment variable ${name} must be a number`);
  return value;
}

/**
 * How a Redis client finds the shards: the names are set by the infrastructure (RedisAccess, the api
 * service) and read by the handlers, so both sides import them from here.
 */
export const REDIS_ENV = {
  /** Comma-separated shard virtual IPs, shard order. */
  shardVips: 'REDIS_SHARD_VIPS',
  /** ARN of the Redis AUTH secret. */
  authSecretArn: 'REDIS_AUTH_SECRET_ARN',
} as const;
