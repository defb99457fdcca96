import { Stack, type App } from 'aws-cdk-lib';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { environments } from '../../config';
import { documentationOnlyFields } from '../../lib/config-schema/documentation-only';
import { validateEnvConfig } from '../../lib/config-schema/load';
import { envConfigSchema, type EnvConfigInput } from '../../lib/config-schema/schema';
import { renderAllHosts } from '../../lib/host-config';
import { buildTestPlatform, ENVIRONMENTS } from '../support/platform';
import { configRejection } from '../support/config-rejection';
import { alternatives, leavesOf, pathText, withLeaf, type LeafPath } from './config-leaves';

/**
 * No config key without effect (issue 19): every leaf of each environment's config is changed to
 * another valid value, alone, and the synthesized templates or the rendered host files must change.
 * Fields that are documentation only are marked in the schema (documentationOnly) and exempt; leaves
 * that cannot change without a partner change together with it (PAIRED); the few no valid change
 * exists for are listed in PINNED with the reason.
 */

type Mutation = (config: EnvConfigInput) => void;
const replaceEverywhere = (from: string, to: string): Mutation => (config) => {
  Object.assign(config, JSON.parse(JSON.stringify(config).replaceAll(from, to)));
};

/** Leaves that only change together with another (the schema rejects either alone). */
const PAIRED: Record<string, (config: EnvConfigInput, env: string) => Mutation | undefined> = {
  account: (c) => replaceEverywhere(c.account, c.account.replace(/\d$/, (d) => String((Number(d) + 1) % 10))),
  region: () => replaceEverywhere('ap-northeast-1', 'us-east-1'),
  'network.vpcCidr': (c) => replaceEverywhere(c.network.vpcCidr.split('.').slice(0, 2).join('.') + '.', '10.99.'),
  'alarms.paging': () => (c) => { c.alarms.paging = !c.alarms.paging; c.alarms.httpsEndpoints = ['https://events.pagerduty.example.com/integration/x/enqueue']; },
  'redis.ami.architecture': () => (c) => { c.redis.ami.architecture = 'x86_64'; c.redis.instanceType = 'r7i.large'; },
  'tsdb.stepSeconds': () => (c) => { c.tsdb.stepSeconds = 30; c.tsdb.tiers = ['30s:1d', ...c.tsdb.tiers.slice(1)]; },
  'tsdb.stream.mode': () => (c) => {
    c.tsdb.stream = c.tsdb.stream.mode === 'ON_DEMAND' ? { ...c.tsdb.stream, mode: 'PROVISIONED', shardCount: 2 } : { retentionHours: c.tsdb.stream.retentionHours, mode: 'ON_DEMAND' };
  },
  'tsdb.table.billing': () => (c) => {
    c.tsdb.table = { billing: 'PROVISIONED', readCapacity: { min: 5, max: 100, targetUtilizationPercent: 70 }, writeCapacity: { min: 5, max: 100, targetUtilizationPercent: 70 } };
  },
  'resolvers.count': (c) => (c.resolvers.count > 2 ? (x) => { x.resolvers.count -= 1; x.resolvers.addresses = x.resolvers.addresses.slice(0, -1); } : undefined),
};
/** An AZ's slot is its position (in the VPC's list and in the Redis pairs' list): swapping two AZs changes both. */
const pairedAz = (path: LeafPath, c: EnvConfigInput): Mutation | undefined => {
  const list = path[0] === 'availabilityZones' ? (x: EnvConfigInput) => x.availabilityZones
    : path[0] === 'redis' && path[1] === 'availabilityZones' ? (x: EnvConfigInput) => x.redis.availabilityZones : undefined;
  const i = path[path.length - 1];
  if (!list || typeof i !== 'number') return undefined;
  return (x) => { const azs = list(x); const j = (i + 1) % azs.length; [azs[i], azs[j]] = [azs[j]!, azs[i]!]; void c; };
};

/** Leaves no valid change exists for, on their own or with a partner, and why. */
const PINNED: Record<string, readonly string[]> = {
  staging: [
    'name', // must equal the environment's key (the file name)
    'services.web.cpu', // 256 is the smallest Fargate size its 512 MiB fits
    'resolvers.count', // 2 is the minimum for redundancy and staging has only 2 AZs for more
  ],
  // Production rules demand one value of these (their effect is proven in staging, where they vary).
  production: ['name', 'retainData', 'terminationProtection', 'deletionProtection', 'network.natGateways', 'alarms.paging', 'database.multiAz'],
};

/**
 * Every stack's template without writing an assembly: synthesis would also stage assets and run the
 * validation plugins, doubling the cost of the ~100 builds per environment (cdk-nag is tested elsewhere).
 */
function inMemoryTemplates(app: App): string {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  return stacks.map((stack) => `${stack.stackName}:${JSON.stringify((stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation())}`).join('\n');
}

type Node = z.core.$ZodType;
/** The schema node of a leaf (through unions, optionals and pipes). */
function schemaAt(node: Node, path: LeafPath): Node | undefined {
  const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
  if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) return schemaAt(def.innerType as Node, path);
  if (def.type === 'pipe') return schemaAt(def.in as Node, path);
  if (def.type === 'union') return (def.options as Node[]).map((o) => schemaAt(o, path)).find(Boolean);
  if (path.length === 0) return node;
  const [head, ...rest] = path;
  if (def.type === 'object') return (def.shape as Record<string, Node>)[String(head)] && schemaAt((def.shape as Record<string, Node>)[String(head)]!, rest);
  if (def.type === 'array') return schemaAt(def.element as Node, rest);
  return undefined;
}
const enumValues = (node: Node | undefined): unknown[] => {
  const def = node?._zod.def as { type?: string; entries?: Record<string, unknown> } | undefined;
  return def?.type === 'enum' ? Object.values(def.entries ?? {}) : [];
};

function findChange(env: string, base: EnvConfigInput, path: LeafPath, value: unknown): EnvConfigInput | undefined {
  // As createApp checks it too: the name must equal the environment's key.
  const valid = (config: EnvConfigInput) => { try { return validateEnvConfig(`${env}.ts`, config).name === env; } catch { return false; } };
  const paired = PAIRED[pathText(path)]?.(base, env) ?? pairedAz(path, base);
  if (paired) {
    const config = structuredClone(base);
    paired(config);
    if (valid(config)) return config;
  }
  const candidates = [...enumValues(schemaAt(envConfigSchema, path)), ...alternatives(path, value)].filter((v) => v !== value);
  const changed = candidates.map((v) => withLeaf(base, path, v)).find(valid);
  if (changed || typeof path.at(-1) !== 'number') return changed;
  // A list element with no other value left (every endpoint listed): the list without it.
  const without = structuredClone(base) as unknown as Record<string | number, unknown>;
  const list = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, without) as unknown as unknown[];
  list.splice(path.at(-1) as number, 1);
  return valid(without as unknown as EnvConfigInput) ? (without as unknown as EnvConfigInput) : undefined;
}

describe.each(ENVIRONMENTS)('every config key of %s has an effect', (env) => {
  it('changes the templates or the rendered host files when any one leaf changes', { timeout: 600_000 }, () => {
    const base = environments[env] as EnvConfigInput;
    const hostsOf = (config: EnvConfigInput) => JSON.stringify(renderAllHosts(validateEnvConfig(`${env}.ts`, config)));
    const templatesOf = (config: EnvConfigInput) => inMemoryTemplates(buildTestPlatform({ env }, { environments: { ...environments, [env]: config }, cloudFormationValidation: false }).app);
    const [baseHosts, baseTemplates] = [hostsOf(base), templatesOf(base)];
    const pinned: string[] = [];
    const withoutEffect: string[] = [];
    const documentationOnly: string[] = [];
    for (const { path, value } of leavesOf(base)) {
      const field = pathText(path);
      if (documentationOnlyFields.has(schemaAt(envConfigSchema, path) as z.ZodType)) {
        documentationOnly.push(field);
        continue;
      }
      const changed = findChange(env, base, path, value);
      if (!changed) {
        pinned.push(field);
        continue;
      }
      if (hostsOf(changed) !== baseHosts) continue;
      if (templatesOf(changed) === baseTemplates) withoutEffect.push(`${field} (${JSON.stringify(value)})`);
    }
    expect(withoutEffect).toEqual([]);
    expect(pinned).toEqual(PINNED[env]);
    expect(documentationOnly).toEqual(['tier', 'redis.ami.name']);
  });
});

describe('keys that would do nothing are refused', () => {
  it('a shard count for an on-demand stream', () => {
    expect(configRejection('staging', (c) => { (c.tsdb.stream as Record<string, unknown>).shardCount = 4; }))
      .toBe('config/staging.ts: tsdb.stream.shardCount: only applies when mode is "PROVISIONED"; remove it or set mode: "PROVISIONED"');
  });
});
