import { diffTemplate, ResourceImpact, type ResourceDifference } from '@aws-cdk/cloudformation-diff';
import type { Template, TemplateResource } from './types';
import { propertyBehaviour, type Behaviour } from './update-behaviour';

/** One resource's change in one stack, before it is turned into findings. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly kind: 'created' | 'destroyed' | 'orphaned' | 'replaced' | 'interrupted' | 'updated';
  /** Replacement is conditional ("maybe" in the spec and not resolved by our tables). */
  readonly mayReplace: boolean;
  /** Changed properties with what each change does. */
  readonly properties: ReadonlyArray<{ readonly name: string; readonly behaviour: Behaviour }>;
  readonly oldResource?: TemplateResource;
  readonly newResource?: TemplateResource;
}

/** Differences that do nothing to the resource itself. */
const INERT_ATTRIBUTES = new Set(['Metadata', 'DependsOn']);
const RETAINED = new Set(['Retain', 'RetainExceptOnCreate']);

function specBehaviour(impact: ResourceImpact | undefined): Behaviour {
  if (impact === ResourceImpact.WILL_REPLACE) return 'replace';
  if (impact === ResourceImpact.MAY_REPLACE) return 'may-replace';
  return 'no-interruption';
}

function evaluateUpdate(logicalId: string, change: ResourceDifference): ResourceChange | undefined {
  const resourceType = change.newResourceType ?? change.oldResourceType ?? 'unknown';
  const base = { logicalId, resourceType, oldResource: change.oldValue as TemplateResource, newResource: change.newValue as TemplateResource };
  if (change.resourceTypeChanged) {
    return { ...base, kind: 'replaced', mayReplace: false, properties: [{ name: 'Type', behaviour: 'replace' }] };
  }
  const oldProps = change.oldValue?.Properties ?? {};
  const newProps = change.newValue?.Properties ?? {};
  const properties = Object.entries(change.propertyUpdates).map(([name, diff]) => ({
    name,
    behaviour: propertyBehaviour(resourceType, name, specBehaviour(diff.changeImpact), oldProps[name], newProps[name]),
  }));
  for (const name of Object.keys(change.otherChanges)) {
    if (!INERT_ATTRIBUTES.has(name)) properties.push({ name, behaviour: 'no-interruption' });
  }
  if (properties.length === 0) return undefined;
  const has = (b: Behaviour) => properties.some((p) => p.behaviour === b);
  if (has('replace') || has('may-replace')) return { ...base, kind: 'replaced', mayReplace: !has('replace'), properties };
  return { ...base, kind: has('interrupt') ? 'interrupted' : 'updated', mayReplace: false, properties };
}

/** Every resource change between two versions of one stack's template (base undefined: a new stack). */
export function evaluateStack(baseTemplate: Template | undefined, newTemplate: Template): Map<string, ResourceChange> {
  const changes = new Map<string, ResourceChange>();
  const diff = diffTemplate(baseTemplate ?? {}, newTemplate);
  diff.resources.forEachDifference((logicalId, change) => {
    const resourceType = change.newResourceType ?? change.oldResourceType ?? 'unknown';
    // CDK's version-reporting resource: it changes with every CDK or construct upgrade and does nothing.
    if (resourceType === 'AWS::CDK::Metadata') return;
    if (change.isAddition) {
      changes.set(logicalId, { logicalId, resourceType, kind: 'created', mayReplace: false, properties: [], newResource: change.newValue as TemplateResource });
    } else if (change.isRemoval) {
      const old = change.oldValue as TemplateResource;
      const kind = RETAINED.has(old.DeletionPolicy ?? '') ? 'orphaned' : 'destroyed';
      changes.set(logicalId, { logicalId, resourceType, kind, mayReplace: false, properties: [], oldResource: old });
    } else {
      const evaluated = evaluateUpdate(logicalId, change);
      if (evaluated) changes.set(logicalId, evaluated);
    }
  });
  return changes;
}
