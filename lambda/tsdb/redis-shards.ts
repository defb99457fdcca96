import { Redis } from 'ioredis';
import { REDIS_ENV, requireEnv } from '../../common/env';
import { shardVipsFromEnv } from './settings';
import { HashRing } from './ring';

export interface Shards {
  readonly ring: HashRing;
  readonly clients: Redis[];
}

export const REDIS_PORT = 6379;

/** The AUTH secret holds the password as plain text or as JSON {"password": "..."}. */
export function passwordFromSecret(secret: string): string {
  try {
    const parsed = JSON.parse(secret) as { password?: unknown };
    if (typeof parsed === 'object' && parsed !== null && typeof parsed.password === 'string') return parsed.password;
  } catch {
    // plain text secret
  }
  return secret;
}

/** One ioredis client per shard VIP; short timeouts so a failing-over shard fails its records fast. */
export function connectShards(vips: readonly string[], options: { password?: string; port?: number; tls?: boolean } = {}): Shards {
  const clients = vips.map((host) => new Redis({
    host,
    port: options.port ?? REDIS_PORT,
    password: options.password,
    tls: options.tls ? { servername: host } : undefined,
    connectTimeout: 2000,
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
    // Reconnect quickly: after a failover the VIP answers from the new active node within seconds.
    retryStrategy: (times) => Math.min(100 * times, 1000),
  }));
  return { ring: new HashRing(vips), clients };
}

let cached: Promise<Shards> | undefined;

/** The Lambda's shard connections, made once per execution environment (AUTH secret read once). */
export function shardsFromEnv(): Promise<Shards> {
  cached ??= (async () => {
    const secretArn = requireEnv(REDIS_ENV.authSecretArn);
    // Loaded on first use: the client is needed once per execution environment, not on the init path.
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
    return connectShards(shardVipsFromEnv(), { password: passwordFromSecret(out.SecretString ?? ''), tls: process.env.REDIS_TLS === 'true' });
  })().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
