import type { EnvConfig } from '../../config-schema/schema';
import { renderHostBundle } from '../bundle';
import type { RenderedHost } from '../rendered-host';
import { redisNodeBundle } from './node-bundle';
import { PLACEHOLDER_DEPLOY_VALUES, redisNodeFiles, renderRedisNodeCloudConfig } from './node-cloud-init';
import { shardTopology } from '../../model/redis-topology';

/** Where render-hosts puts a host's bundle document (as uploaded; deploy values still markers). */
export const RENDERED_BUNDLE_PATH = '/host-bundle/bundle.json';

/** Every Redis node's rendered files (redis.conf, keepalived.conf, agent config, units), its bundle and user data. */
export function renderRedisHosts(config: EnvConfig): RenderedHost[] {
  const deploy = PLACEHOLDER_DEPLOY_VALUES(config);
  return shardTopology(config).flatMap((shard) => shard.nodes.map((node) => ({
    name: node.name,
    files: [
      ...redisNodeFiles(config, node, deploy),
      { path: RENDERED_BUNDLE_PATH, content: renderHostBundle(redisNodeBundle(config, node)).json },
      { path: '/cloud-init/user-data.yaml', content: renderRedisNodeCloudConfig(config, node) },
    ],
  })));
}
