import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StackSet, Template } from '../../../../scripts/impact/classify';
import type { EnvConfigInput } from '../../../../lib/config-schema/schema';
import { hostChanges, synthHostStacks, touched, unorderedTouches, withStackTemplate, type HostChange } from './rollout-steps';

/**
 * Deploy safety of the Redis pairs, proven on before/after synths of production (4 shards): each change
 * is classified property by property against CloudFormation's update behaviours (scripts/impact), and
 * its steps are read from the template's dependency graph (rollout-steps.ts). For every change: no node
 * is replaced or unexecutable, and the two nodes of a pair are never touched in the same step.
 */
const ENV = 'production';
const STACK = 'monsaas-production-redis';
const SHARDS = 4;
const OLD_AMI = { id: 'ami-0a3c14e1ddbe7f23c', architecture: 'arm64', name: 'al2023-ami-2023.9.20251110.1-kernel-6.1-arm64' } as const;
const NEW_AMI = { id: 'ami-0123456789abcdef0', architecture: 'arm64', name: 'al2023-ami-2023.9.20260101.0-kernel-6.1-arm64' } as const;

let base: StackSet;
beforeAll(() => { base = synthHostStacks(ENV); });

type Redis = EnvConfigInput['redis'];
const synth = (redis: Partial<Redis>) => synthHostStacks(ENV, (c) => { Object.assign(c.redis, redis); });

function assess(before: StackSet, after: StackSet) {
  const { changes, findings } = hostChanges(before, after, STACK);
  const resources = after.get(STACK)!.template.Resources!;
  const pairs = Array.from({ length: SHARDS }, (_, s) => changes.filter((c) => c.host.startsWith(`shard ${s} `)));
  return {
    changes,
    findings,
    byHost: Object.fromEntries(changes.map((c) => [c.host, c])) as Record<string, HostChange>,
    unordered: pairs.flatMap((pair) => unorderedTouches(resources, pair)),
    unsafe: changes.filter((c) => c.instance === 'replaced' || c.instance === 'unexecutable').map((c) => `${c.host}: ${c.instance}`),
    unexecutable: findings.filter((f) => f.kind === 'unexecutable').map((f) => `${f.logicalId}: ${f.reason}`),
  };
}

const allNodes = Array.from({ length: SHARDS }, (_, s) => [`shard ${s} a`, `shard ${s} b`]).flat();

describe('production Redis pairs: before/after synths', () => {
  it('(a) failover agent code: no instance is stopped; every node gets its bundle, node b before node a of each shard', () => {
    const after = withStackTemplate(base, STACK, (t: Template) => {
      const json = JSON.stringify(t);
      const agent = /\/([0-9a-f]{64})\.(?:js|zip)","Sid":"FetchFailoverAgent"/.exec(json)?.[1];
      if (!agent) throw new Error('no agent object in the node role policy');
      // A new build of the agent is a new content-addressed key: exactly what a code change does to the template.
      const next = createHash('sha256').update(`${agent}:next`).digest('hex');
      Object.assign(t, JSON.parse(json.replaceAll(agent, next)));
    });
    const { changes, unordered, unsafe, unexecutable } = assess(base, after);
    expect(changes.filter((c) => c.instance !== undefined)).toEqual([]);
    expect(changes.filter((c) => c.application === 'updated').map((c) => c.host)).toEqual(allNodes);
    expect(unsafe).toEqual([]);
    expect(unexecutable).toEqual([]);
    expect(unordered).toEqual([]);
  });

  it('(b) a node file (redis.conf maxmemory-policy, keepalived advert interval): bundles only, ordered per pair', () => {
    const { changes, unordered, unsafe } = assess(base, synth({ maxmemoryPolicy: 'allkeys-lru', advertIntervalMs: 600 }));
    expect(changes.filter((c) => c.instance !== undefined)).toEqual([]);
    expect(changes.filter(touched).map((c) => c.host)).toEqual(allNodes);
    expect(unsafe).toEqual([]);
    expect(unordered).toEqual([]);
  });

  it('(b\') a change that stops instances (instance type): one node per pair per step, each restart followed by its waited application', () => {
    const { changes, unordered, unsafe, byHost } = assess(base, synth({ instanceType: 'r7g.xlarge' }));
    expect(changes.filter((c) => c.instance === 'interrupted').map((c) => c.host)).toEqual(allNodes);
    // The application re-runs (and CloudFormation waits) after the restart: that is what orders node a after b.
    expect(byHost['shard 0 b']!.application).toBe('updated');
    expect(unsafe).toEqual([]);
    expect(unordered).toEqual([]);
  });

  it('(c) a new AMI set directly in redis.ami would replace both nodes of every pair, which CloudFormation cannot do: the impact gate must refuse it', () => {
    const { unsafe, unexecutable } = assess(base, synth({ ami: NEW_AMI }));
    expect(unsafe).toEqual(allNodes.map((n) => `${n}: unexecutable`));
    expect(unexecutable.length).toBeGreaterThanOrEqual(2 * SHARDS);
  });

  it('a bigger root volume set directly would replace both nodes of every pair (unexecutable); by relaunch it is one role per step', () => {
    expect(assess(base, synth({ volumeGiB: 100 })).unsafe).toEqual(allNodes.map((n) => `${n}: unexecutable`));
    const steps: Array<Partial<Redis>> = [
      { relaunch: { role: 'b', stage: 'unprotect' } },
      { relaunch: { role: 'b', stage: 'remove' } },
      { relaunch: { role: 'b', stage: 'launch', volumeGiB: 100 } },
      { volumeGiB: 100, relaunch: { role: 'a', stage: 'unprotect', volumeGiB: 50 } },
      { volumeGiB: 100, relaunch: { role: 'a', stage: 'remove', volumeGiB: 50 } },
      { volumeGiB: 100 },
    ];
    let before = base;
    for (const redis of steps) {
      const after = synth(redis);
      const { unordered, unsafe, unexecutable } = assess(before, after);
      expect([unsafe, unexecutable, unordered], JSON.stringify(redis)).toEqual([[], [], []]);
      before = after;
    }
  });

  it('(c) a new AMI by relaunch: every step is executable and touches at most one node of any pair', () => {
    const steps: Array<[string, Partial<Redis>]> = [
      ['unprotect b', { relaunch: { role: 'b', stage: 'unprotect' } }],
      ['remove b', { relaunch: { role: 'b', stage: 'remove' } }],
      ['launch b on the new image', { relaunch: { role: 'b', stage: 'launch', ami: NEW_AMI } }],
      // After a switchover to b: the fleet image becomes the new one, a keeps its own until relaunched.
      ['unprotect a', { ami: NEW_AMI, relaunch: { role: 'a', stage: 'unprotect', ami: OLD_AMI } }],
      ['remove a', { ami: NEW_AMI, relaunch: { role: 'a', stage: 'remove', ami: OLD_AMI } }],
      ['launch a (relaunch removed)', { ami: NEW_AMI }],
    ];
    let before = base;
    const touchedPerStep: Record<string, string[]> = {};
    for (const [name, redis] of steps) {
      const after = synth(redis);
      const { changes, unordered, unsafe, unexecutable } = assess(before, after);
      expect(unsafe, name).toEqual([]);
      expect(unexecutable, name).toEqual([]);
      expect(unordered, name).toEqual([]);
      touchedPerStep[name] = changes.filter((c) => c.instance !== undefined).map((c) => `${c.host} ${c.instance}`);
      before = after;
    }
    const role = (r: string, kind: string) => Array.from({ length: SHARDS }, (_, s) => `shard ${s} ${r} ${kind}`);
    expect(touchedPerStep).toEqual({
      'unprotect b': [],
      'remove b': role('b', 'destroyed'),
      'launch b on the new image': role('b', 'created'),
      'unprotect a': [],
      'remove a': role('a', 'destroyed'),
      'launch a (relaunch removed)': role('a', 'created'),
    });
  });
});
