import { beforeAll, describe, expect, it } from 'vitest';
import type { StackSet } from '../../../scripts/impact/classify';
import type { EnvConfigInput } from '../../../lib/config-schema/schema';
import { hostChanges, synthHostStacks, unorderedTouches } from '../constructs/redis/rollout-steps';

/**
 * Resolver changes proven on before/after synths of production (3 resolvers): classified property by
 * property against CloudFormation's update behaviours (scripts/impact) and ordered by the template's
 * dependency graph (rollout-steps.ts). No resolver is replaced, and no two resolvers are touched in one
 * step: the next one is reached only after the previous one's changed bundle application, which
 * CloudFormation waits for until that resolver answers again.
 */
const ENV = 'production';
const STACK = 'monsaas-production-dns';
const RESOLVERS = ['resolver 1', 'resolver 2', 'resolver 3'];

let base: StackSet;
beforeAll(() => { base = synthHostStacks(ENV); });

function assess(mutate: (c: EnvConfigInput) => void) {
  const after = synthHostStacks(ENV, mutate);
  const { changes, findings } = hostChanges(base, after, STACK);
  return {
    changes,
    unordered: unorderedTouches(after.get(STACK)!.template.Resources!, changes),
    unsafe: findings.filter((f) => f.resourceType === 'AWS::EC2::Instance' && ['replaced', 'unexecutable', 'destroyed'].includes(f.kind)).map((f) => f.logicalId),
  };
}

describe('production resolvers: before/after synths', () => {
  it('(d) a resolver setting (negative-cache cap, an internal zone server): bundles only, no instance stopped, one resolver at a time', () => {
    const { changes, unordered, unsafe } = assess((c) => {
      c.resolvers.cacheMaxNegativeTtlS = 10;
      c.resolvers.internalZones = [{ name: 'corp.monsaas.example.com', servers: ['172.16.0.53', '172.16.2.53'] }];
    });
    expect(changes.filter((c) => c.instance !== undefined)).toEqual([]);
    expect(changes.filter((c) => c.application === 'updated').map((c) => c.host)).toEqual(RESOLVERS);
    expect(unsafe).toEqual([]);
    expect(unordered).toEqual([]);
  });

  it('(d\') a change that must stop instances (instance type): each resolver stops only after the previous one answers again', () => {
    const { changes, unordered, unsafe } = assess((c) => { c.resolvers.instanceType = 't4g.medium'; });
    expect(changes.map((c) => [c.host, c.instance, c.application])).toEqual(RESOLVERS.map((r) => [r, 'interrupted', 'updated']));
    expect(unsafe).toEqual([]);
    expect(unordered).toEqual([]);
  });

  it('a change of nothing touches no resolver', () => {
    const { changes } = assess(() => {});
    expect(changes.filter((c) => c.instance !== undefined || c.application !== undefined)).toEqual([]);
  });
});
