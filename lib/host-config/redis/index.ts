import type { EnvConfig } from '../../config-schema/schema';
import type { RenderedHost } from '../rendered-host';
import { PLACEHOLDER_DEPLOY_VALUES, redisNodeFiles, renderRedisNodeCloudConfig } from './node-cloud-init';
import { shardTopology } from '../../model/redis-topology';

/** Every Redis node's rendered files (redis.conf, keepalived.conf, agent config, units, cloud-init). */
export function renderRedisHosts(config: EnvConfig): RenderedHost[] {
  const deploy = PLACEHOLDER_DEPLOY_VALUES(config);
  return shardTopology(config).flatMap((shard) => shard.nodes.map((node) => ({
    name: node.name,
    files: [
      ...redisNodeFiles(config, node, deploy),
      { path: '/cloud-init/user-data.yaml', content: renderRedisNodeCloudConfig(config, node, deploy) },
    ],
  })));
}
