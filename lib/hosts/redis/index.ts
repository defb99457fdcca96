import type { EnvConfig } from '../../config/schema';
import type { RenderedHost } from '../rendered-host';

/** PLACEHOLDER: every Redis node's rendered files (redis.conf, keepalived.conf, cloud-init, ...). */
export function renderRedisHosts(_config: EnvConfig): RenderedHost[] {
  return [];
}
