import type { EnvConfig } from '../config-schema/schema';
import { renderRedisHosts } from './redis';
import type { RenderedHost } from './rendered-host';
import { renderResolverHosts } from './unbound';

/** Every EC2 host of an environment with the files its configuration renders to. */
export function renderAllHosts(config: EnvConfig): RenderedHost[] {
  return [...renderRedisHosts(config), ...renderResolverHosts(config)];
}
