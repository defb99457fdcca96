import type { Template } from './types';

/**
 * Values that change only when CloudFormation runs: the template text of a resource can stay the same
 * while a value it reads changes (a Ref or GetAtt of a replaced resource, a launch template's
 * LatestVersionNumber after the template changed, an output of another stack of this app read with
 * Fn::GetStackOutput). The classifier replaces each such expression in a copy of the new template by
 * a marker string, so the ordinary diff sees the property change and judges it like any other.
 */
export const MARKER_PREFIX = '[deploy-time: ';

export function marker(what: string): string {
  return `${MARKER_PREFIX}${what}]`;
}

/** Every marker in a value, for the finding's reason. */
export function markersIn(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.startsWith(MARKER_PREFIX)) found.add(node.slice(MARKER_PREFIX.length, -1));
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(value);
  return [...found];
}

export interface DeployTimeChanges {
  /** Logical ids (in this stack) that get a new physical id. */
  readonly replaced: ReadonlySet<string>;
  /** Launch templates (in this stack) that get a new version. */
  readonly newLaunchTemplateVersion: ReadonlySet<string>;
  /** Outputs of any stack whose value changes, as "stackName/OutputName". */
  readonly changedOutputs: ReadonlySet<string>;
}

type Json = Record<string, unknown>;

/** Replaces, in place, each expression whose value changes at deploy time; returns whether it replaced any. */
export function substituteDeployTimeValues(template: Template, changes: DeployTimeChanges): boolean {
  let replacedAny = false;
  const replacementFor = (node: Json): string | undefined => {
    const keys = Object.keys(node);
    if (keys.length !== 1) return undefined;
    const [key] = keys as [string];
    const value = node[key];
    if (key === 'Ref' && typeof value === 'string' && changes.replaced.has(value)) return marker(`${value} is replaced`);
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = typeof value === 'string' ? value.split('.') : (value as unknown[]);
      if (typeof id !== 'string') return undefined;
      if (changes.replaced.has(id)) return marker(`${id} is replaced`);
      if (changes.newLaunchTemplateVersion.has(id) && attribute === 'LatestVersionNumber') return marker(`${id} gets a new version`);
    }
    if (key === 'Fn::Sub') {
      const text = Array.isArray(value) ? value[0] : value;
      if (typeof text === 'string') {
        const id = [...text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)].map((m) => m[1]!).find((ref) => changes.replaced.has(ref));
        if (id) return marker(`${id} is replaced`);
      }
    }
    if (key === 'Fn::GetStackOutput' && value && typeof value === 'object') {
      const { StackName, OutputName } = value as Json;
      if (changes.changedOutputs.has(`${String(StackName)}/${String(OutputName)}`)) return marker(`output ${String(OutputName)} of ${String(StackName)} changes`);
    }
    return undefined;
  };
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => { node[i] = visit(item); });
      return node;
    }
    if (!node || typeof node !== 'object') return node;
    const replacement = replacementFor(node as Json);
    if (replacement !== undefined) {
      replacedAny = true;
      return replacement;
    }
    for (const [k, v] of Object.entries(node)) (node as Json)[k] = visit(v);
    return node;
  };
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Properties) visit(resource.Properties);
  }
  for (const output of Object.values(template.Outputs ?? {})) visit(output);
  return replacedAny;
}
