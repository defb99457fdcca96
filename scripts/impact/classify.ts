import { evaluateStack, type ResourceChange } from './evaluate';
import { markersIn, substituteDeployTimeValues } from './deploy-time';
import { constructPath, hostRoleOf } from './roles';
import type { Finding, FindingKind, StackSet, Template, TemplateResource } from './types';
import { refusalsOf, subnetsOf } from './unexecutable';
import { STATEFUL_TYPES } from './update-behaviour';

export type { Finding, FindingKind, HostRole, StackSet, StackTemplate, Template } from './types';

/** Most severe first: the order of the report. */
export const KIND_ORDER: readonly FindingKind[] = ['unexecutable', 'replaced', 'destroyed', 'interrupted', 'orphaned', 'updated', 'created'];

/** Enough passes for any chain of deploy-time changes across this app's stacks; a cycle would mean a bug. */
const MAX_PASSES = 20;

const withoutMetadata = (resource: TemplateResource | undefined) => {
  if (!resource) return undefined;
  const { Metadata: _metadata, DependsOn: _dependsOn, ...rest } = resource;
  return JSON.stringify(rest);
};

/**
 * Substitutes deploy-time values until nothing more changes; returns each stack's final changes.
 * A replaced resource changes every Ref/GetAtt to it, which may replace or interrupt its dependents,
 * whose outputs may change what other stacks read: hence the fixed point.
 */
function resolveChanges(base: StackSet, current: StackSet): Map<string, { template: Template; changes: Map<string, ResourceChange> }> {
  const resolved = new Map([...current].map(([name, stack]) => [name, { template: structuredClone(stack.template), changes: new Map<string, ResourceChange>() }]));
  let dirty = new Set(resolved.keys());
  for (let pass = 0; dirty.size > 0; pass++) {
    if (pass === MAX_PASSES) throw new Error(`impact: deploy-time changes did not settle after ${MAX_PASSES} passes (stacks ${[...dirty].join(', ')})`);
    for (const name of dirty) resolved.get(name)!.changes = evaluateStack(base.get(name)?.template, resolved.get(name)!.template);
    const changedOutputs = new Set<string>();
    for (const [name, { template }] of resolved) {
      const before = base.get(name)?.template.Outputs ?? {};
      for (const [output, value] of Object.entries(template.Outputs ?? {})) {
        if (before[output] !== undefined && JSON.stringify(before[output].Value) !== JSON.stringify(value.Value)) changedOutputs.add(`${name}/${output}`);
      }
    }
    const next = new Set<string>();
    for (const [name, { template, changes }] of resolved) {
      const of = (kind: ResourceChange['kind']) => new Set([...changes.values()].filter((c) => c.kind === kind).map((c) => c.logicalId));
      const newLaunchTemplateVersion = new Set([...changes.values()]
        .filter((c) => c.resourceType === 'AWS::EC2::LaunchTemplate' && (c.kind === 'updated' || c.kind === 'interrupted'))
        .map((c) => c.logicalId));
      if (substituteDeployTimeValues(template, { replaced: of('replaced'), newLaunchTemplateVersion, changedOutputs })) next.add(name);
    }
    dirty = next;
  }
  return resolved;
}

function finding(stack: string, change: ResourceChange, kind: FindingKind, properties: readonly string[], reason: string, rawNew: TemplateResource | undefined): Finding {
  const path = constructPath(change.newResource ?? change.oldResource);
  const role = hostRoleOf(change.resourceType, path, change.logicalId);
  const deployTime = change.oldResource !== undefined && change.newResource !== undefined && withoutMetadata(change.oldResource) === withoutMetadata(rawNew);
  return {
    kind, stack, logicalId: change.logicalId, resourceType: change.resourceType, path,
    stateful: STATEFUL_TYPES.has(change.resourceType) || role?.kind === 'redis-node',
    role, deployTime, properties, reason,
  };
}

function describeChange(change: ResourceChange): { properties: string[]; reason: string } {
  const byBehaviour = (...behaviours: string[]) => change.properties.filter((p) => behaviours.includes(p.behaviour)).map((p) => p.name);
  switch (change.kind) {
    case 'created': return { properties: [], reason: 'is created' };
    case 'destroyed': return { properties: [], reason: 'is deleted' };
    case 'orphaned': return { properties: [], reason: 'leaves the stack and is kept (DeletionPolicy Retain); it keeps running and costing until removed by hand' };
    case 'replaced': {
      const properties = byBehaviour('replace', 'may-replace');
      return { properties, reason: `${change.mayReplace ? 'may be replaced' : 'is replaced'} (new physical resource) by ${properties.join(', ')}` };
    }
    case 'interrupted': {
      const properties = byBehaviour('interrupt');
      return { properties, reason: `is interrupted (stop/start, reboot or failover) by ${properties.join(', ')}` };
    }
    case 'updated': {
      const properties = change.properties.map((p) => p.name);
      return { properties, reason: `is updated in place (${properties.join(', ')})` };
    }
  }
}

/**
 * Classifies every resource change between the base stacks (deployed, or a previous cdk.out) and
 * the current ones of one environment: one finding per change, plus one per reason CloudFormation
 * would refuse it. Pure: templates in, findings out (most severe first).
 */
export function classifyChanges(base: StackSet, current: StackSet): Finding[] {
  const findings: Finding[] = [];
  const existingSubnets = [...base].flatMap(([name, stack]) => subnetsOf(name, stack.template));
  for (const [name, { template, changes }] of resolveChanges(base, current)) {
    const raw = current.get(name)!.template.Resources ?? {};
    for (const change of changes.values()) {
      const rawNew = raw[change.logicalId];
      const { properties, reason } = describeChange(change);
      const markers = markersIn(properties.map((p) => change.newResource?.Properties?.[p]));
      const primary = finding(name, change, change.kind, properties, reason, rawNew);
      findings.push(primary.deployTime && markers.length > 0 ? { ...primary, reason: `${reason}; at deploy time: ${markers.join('; ')}` } : primary);
      for (const refusal of refusalsOf(change, template, existingSubnets)) {
        findings.push(finding(name, change, 'unexecutable', refusal.properties, refusal.reason, rawNew));
      }
    }
  }
  for (const [name, stack] of base) {
    if (current.has(name)) continue;
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const kind = ['Retain', 'RetainExceptOnCreate'].includes(resource.DeletionPolicy ?? '') ? 'orphaned' : 'destroyed';
      const change: ResourceChange = { logicalId, resourceType: resource.Type, kind, mayReplace: false, properties: [], oldResource: resource };
      findings.push(finding(name, change, kind, [], `is deleted with its stack ${name}`, undefined));
    }
    if (stack.terminationProtection) {
      findings.push({
        kind: 'unexecutable', stack: name, logicalId: '(stack)', resourceType: 'AWS::CloudFormation::Stack', stateful: false, deployTime: false,
        properties: ['TerminationProtection'], reason: 'the stack is gone from the app but has termination protection: `cdk destroy` fails; turn it off in a reviewed step first',
      });
    }
  }
  const rank = (f: Finding) => KIND_ORDER.indexOf(f.kind) * 2 + (f.stateful ? 0 : 1);
  return findings.sort((a, b) => rank(a) - rank(b) || a.stack.localeCompare(b.stack) || a.logicalId.localeCompare(b.logicalId));
}
