import type { HostRole, TemplateResource } from './types';

/** The construct path of a resource inside its stack (aws:cdk:path minus the stack name). */
export function constructPath(resource: TemplateResource | undefined): string | undefined {
  const full = resource?.Metadata?.['aws:cdk:path'];
  if (typeof full !== 'string') return undefined;
  const slash = full.indexOf('/');
  return slash === -1 ? full : full.slice(slash + 1);
}

const REDIS_NODE = /(?:^|\/)Shard(\d+)\/Node([A-Za-z0-9]+)\//;
const RESOLVER = /(?:^|\/)Resolvers?\/Resolver(\d+)(?:\/|$)/;
const REDIS_NODE_ID = /Shard(\d+)Node([A-Z])Instance/;
const RESOLVER_ID = /Resolvers?Resolver(\d+)[0-9A-F]{8}$/;

/**
 * Which service host an EC2 instance is, from its construct path (ShardPair `Shard<N>/Node<X>/...`,
 * ResolverInstances `Resolvers/Resolver<N>`). Only instances count: an ENI or launch template of a
 * node is not the node being down.
 */
export function hostRoleOf(resourceType: string, path: string | undefined, logicalId: string): HostRole | undefined {
  if (resourceType !== 'AWS::EC2::Instance') return undefined;
  // Templates synthesized without path metadata still carry the path in the logical id.
  const redis = path !== undefined ? REDIS_NODE.exec(path) : REDIS_NODE_ID.exec(logicalId);
  if (redis) return { kind: 'redis-node', shard: Number(redis[1]), node: redis[2]!.toLowerCase() };
  const resolver = path !== undefined ? RESOLVER.exec(path) : RESOLVER_ID.exec(logicalId);
  if (resolver) return { kind: 'resolver', index: Number(resolver[1]) };
  return undefined;
}

export function describeRole(role: HostRole): string {
  return role.kind === 'redis-node' ? `Redis shard ${role.shard} node ${role.node}` : `resolver ${role.index}`;
}
