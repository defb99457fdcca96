import { environments } from '../../config';
import type { EnvConfigInput } from '../../lib/config-schema/schema';
import { classifyChanges, type Finding, type StackSet, type Template } from '../../scripts/impact/classify';
import { stackPrefix } from '../../scripts/impact/assembly';
import { gateViolations } from '../../scripts/impact/gate';
import { buildTestPlatform } from '../support/platform';

/**
 * One environment synthesized the way the impact tool reads it (path metadata on), with bundling
 * skipped: a handler's code change is a new asset hash in the template, which the changes that are
 * about code apply to the synthesized templates directly.
 */
export function synthStacks(environment: string, mutate?: (config: EnvConfigInput) => void): StackSet {
  const configs = structuredClone(environments) as Record<string, EnvConfigInput>;
  mutate?.(configs[environment]!);
  const platform = buildTestPlatform({ env: environment, 'aws:cdk:enable-path-metadata': true }, { environments: configs, cloudFormationValidation: false });
  const assembly = platform.app.synth();
  return new Map(assembly.stacks.map((s) => [s.stackName, { stackName: s.stackName, template: s.template as Template, terminationProtection: s.terminationProtection }]));
}

/** A copy of the stacks with one stack's template changed. */
export function withTemplate(stacks: StackSet, part: string, environment: string, change: (template: Template) => void): StackSet {
  const copy = new Map([...stacks].map(([name, s]) => [name, { ...s, template: structuredClone(s.template) }]));
  change(copy.get(`${stackPrefix(environment)}${part}`)!.template);
  return copy;
}

/** Findings in a form a test can compare: "kind part path [role]" for everything but plain updates and creations. */
export function significant(findings: readonly Finding[], environment: string): string[] {
  return findings
    .filter((f) => f.kind !== 'updated' && f.kind !== 'created')
    .map((f) => `${f.kind} ${f.stack.slice(stackPrefix(environment).length)} ${(f.path ?? f.logicalId).replace(/\/Resource$/, '')}${f.stateful ? ' (stateful)' : ''}`)
    .sort();
}

export function impactOf(base: StackSet, current: StackSet) {
  const findings = classifyChanges(base, current);
  return { findings, violations: gateViolations(findings) };
}
