import { App } from 'aws-cdk-lib';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import type { EnvConfigInput } from '../../../../lib/config-schema/schema';
import { DnsStack } from '../../../../lib/stacks/dns-stack';
import { NetworkStack } from '../../../../lib/stacks/network-stack';
import { RedisStack } from '../../../../lib/stacks/redis-stack';
import type { Finding, StackSet, Template } from '../../../../scripts/impact/classify';
import { classifyChanges } from '../../../../scripts/impact/classify';
import { constructPath } from '../../../../scripts/impact/roles';
import { cdkJsonContext } from '../../../support/platform';

/**
 * The network, Redis and DNS stacks of one environment, wired as lib/platform/environment.ts wires them
 * (path metadata on, bundling skipped: a code change is applied as the new asset hash it produces).
 */
export function synthHostStacks(environment: string, mutate?: (config: EnvConfigInput) => void): StackSet {
  const raw = structuredClone(environments[environment]!) as EnvConfigInput;
  mutate?.(raw);
  const config = validateEnvConfig(`${environment}.ts`, raw);
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true } });
  app.node.setContext(`availability-zones:account=${config.account}:region=${config.region}`, config.availabilityZones);
  const network = new NetworkStack(app, { config });
  new RedisStack(app, { config, vpc: network.vpc, securityGroups: network.securityGroups });
  new DnsStack(app, { config, vpc: network.vpc, securityGroups: network.securityGroups });
  const assembly = app.synth();
  return new Map(assembly.stacks.map((s) => [s.stackName, { stackName: s.stackName, template: s.template as Template, terminationProtection: s.terminationProtection }]));
}

/** A copy of the stacks with one stack's template edited (e.g. a new asset hash). */
export function withStackTemplate(stacks: StackSet, stackName: string, change: (template: Template) => void): StackSet {
  const copy = new Map([...stacks].map(([name, s]) => [name, { ...s, template: structuredClone(s.template) }]));
  change(copy.get(stackName)!.template);
  return copy;
}

/**
 * How a before/after pair of templates reaches the hosts, step by step, read the way CloudFormation
 * executes it: property changes classified by the impact tool (scripts/impact: each property's update
 * behaviour: UserData/InstanceType stop and start, ImageId/NetworkInterfaces/... replace), and the order
 * from the template's dependency graph. A host is "touched" when its instance is interrupted, replaced,
 * created or deleted, or when its bundle application (an SSM association CloudFormation waits for) changes.
 * Two touched hosts are in different steps only when the later one's instance depends on the earlier
 * one's application AND that application changes in this deploy: only a changed association makes
 * CloudFormation run it and wait for the host to report ready.
 */

export interface HostChange {
  /** "shard 0 a", "resolver 2". */
  readonly host: string;
  /** The instance's finding kind (interrupted, replaced, unexecutable, created, destroyed), if any. */
  readonly instance?: string;
  /** The application's finding kind (updated, created, destroyed), if any. */
  readonly application?: string;
  readonly instanceId?: string;
  readonly applicationId?: string;
}

type Resources = NonNullable<Template['Resources']>;

function references(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => references(v, into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') into.add(v);
      else if (key === 'Fn::GetAtt' && Array.isArray(v)) into.add(String(v[0]));
      else references(v, into);
    }
  }
}

/** Every resource `id` waits for before CloudFormation touches it (DependsOn, Ref, GetAtt; transitively). */
export function dependenciesOf(resources: Resources, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const resource = resources[stack.pop()!];
    if (!resource) continue;
    const direct = new Set<string>([resource.DependsOn ?? []].flat() as string[]);
    references(resource.Properties, direct);
    for (const dep of direct) {
      if (resources[dep] && !seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return seen;
}

const HOST = [
  { pattern: /(?:^|\/)Shard(\d+)\/Node([AB])\/(Instance|Apply)\//, name: (m: RegExpExecArray) => `shard ${m[1]} ${m[2]!.toLowerCase()}` },
  { pattern: /(?:^|\/)Resolvers\/Resolver(\d+)(Apply)?\//, name: (m: RegExpExecArray) => `resolver ${m[1]}` },
];

function hostOf(path: string | undefined): { host: string; part: 'instance' | 'application' } | undefined {
  for (const { pattern, name } of HOST) {
    const m = pattern.exec(path ?? '');
    if (m) return { host: name(m), part: /Apply/.test(m[0]) ? 'application' : 'instance' };
  }
  return undefined;
}

/** Per host of `stack`, what this deploy does to its instance and its bundle application. */
export function hostChanges(base: StackSet, current: StackSet, stack: string): { changes: HostChange[]; findings: Finding[] } {
  const findings = classifyChanges(base, current).filter((f) => f.stack === stack);
  const byHost = new Map<string, { host: string; instance?: string; application?: string; instanceId?: string; applicationId?: string }>();
  const entry = (host: string) => byHost.get(host) ?? byHost.set(host, { host }).get(host)!;
  // Ids of every host's instance and application in the current template (absent when removed).
  for (const [id, resource] of Object.entries(current.get(stack)!.template.Resources ?? {})) {
    const at = hostOf(constructPath(resource));
    if (!at) continue;
    if (at.part === 'instance' && resource.Type === 'AWS::EC2::Instance') entry(at.host).instanceId = id;
    if (at.part === 'application' && resource.Type === 'AWS::SSM::Association') entry(at.host).applicationId = id;
  }
  for (const f of findings) {
    const at = hostOf(f.path === undefined ? undefined : `${f.path}/`);
    if (!at) continue;
    const wanted = at.part === 'instance' ? f.resourceType === 'AWS::EC2::Instance' : f.resourceType === 'AWS::SSM::Association';
    if (!wanted) continue;
    // An in-place update without interruption (e.g. termination protection) does not touch the host.
    if (at.part === 'instance' && f.kind === 'updated') continue;
    const e = entry(at.host);
    const severity = ['unexecutable', 'replaced', 'destroyed', 'interrupted', 'created', 'updated'];
    const previous = at.part === 'instance' ? e.instance : e.application;
    const kind = previous === undefined || severity.indexOf(f.kind) < severity.indexOf(previous) ? f.kind : previous;
    if (at.part === 'instance') e.instance = kind;
    else e.application = kind;
  }
  return { changes: [...byHost.values()].sort((a, b) => a.host.localeCompare(b.host)), findings };
}

/** The host's service is affected in this deploy (stopped, replaced, removed, launched, or reconfigured by its bundle). */
export const touched = (c: HostChange) => c.instance !== undefined || c.application !== undefined;

/**
 * For two touched hosts of one group (a pair, the resolver fleet): the one CloudFormation reaches second
 * and the changed application it waits for in between, or undefined when nothing orders them with a wait.
 */
export function waitBetween(resources: Resources, first: HostChange, second: HostChange): string | undefined {
  if (!second.instanceId || !first.applicationId || !first.application) return undefined;
  const waitsFor = dependenciesOf(resources, second.instanceId);
  if (!waitsFor.has(first.applicationId)) return undefined;
  // The wait must come after this host's own change: its application depends on its instance.
  if (first.instanceId && !dependenciesOf(resources, first.applicationId).has(first.instanceId)) return undefined;
  return first.applicationId;
}

/**
 * Splits one group's touched hosts into the steps CloudFormation executes: returns the violations
 * (two touched hosts with no changed, waited-for application between them), empty when at most one host
 * of the group is touched per step.
 */
export function unorderedTouches(resources: Resources, group: readonly HostChange[]): string[] {
  const hit = group.filter(touched);
  const violations: string[] = [];
  for (let i = 0; i < hit.length; i++) {
    for (let j = i + 1; j < hit.length; j++) {
      const [x, y] = [hit[i]!, hit[j]!];
      if (!waitBetween(resources, x, y) && !waitBetween(resources, y, x)) violations.push(`${x.host} and ${y.host} are touched in one step`);
    }
  }
  return violations;
}
