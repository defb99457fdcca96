import type { EnvConfig } from '../../config/schema';
import type { RenderedHost } from '../rendered-host';

/** PLACEHOLDER: every resolver's rendered files (unbound.conf, cloud-init, ...). */
export function renderResolverHosts(_config: EnvConfig): RenderedHost[] {
  return [];
}
