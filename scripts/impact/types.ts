/** A CloudFormation template as synthesized or as `aws cloudformation get-template` returns it. */
export type Template = {
  Resources?: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  [key: string]: unknown;
};

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  [key: string]: unknown;
}

export interface StackTemplate {
  readonly stackName: string;
  readonly template: Template;
  /** Stack termination protection (from the assembly manifest; unknown for bare template files). */
  readonly terminationProtection?: boolean;
}

/** The stacks of one environment, by stack name. */
export type StackSet = ReadonlyMap<string, StackTemplate>;

/**
 * - unexecutable: CloudFormation will refuse or fail half way (and roll back)
 * - replaced: a new physical resource (new id, empty if it held data)
 * - destroyed / orphaned: removed from the stack (deleted / left behind by a Retain policy)
 * - interrupted: updated in place with a stop, reboot or failover
 * - updated / created: no interruption
 */
export type FindingKind = 'unexecutable' | 'replaced' | 'destroyed' | 'orphaned' | 'interrupted' | 'updated' | 'created';

/** What a host-level resource is to the service, for the rules that count nodes down at once. */
export type HostRole =
  | { readonly kind: 'redis-node'; readonly shard: number; readonly node: string }
  | { readonly kind: 'resolver'; readonly index: number };

export interface Finding {
  readonly kind: FindingKind;
  readonly stack: string;
  /** Logical id, or "(stack)" for findings about the stack itself. */
  readonly logicalId: string;
  readonly resourceType: string;
  /** Construct path inside the stack (aws:cdk:path without the stack name), when the template has it. */
  readonly path?: string;
  /** Holds data or identity that a replacement loses (databases, tables, streams, buckets, ..., Redis nodes). */
  readonly stateful: boolean;
  readonly role?: HostRole;
  /** The template text of this resource is unchanged: the change comes from a value known only at deploy time. */
  readonly deployTime: boolean;
  /** The properties (or attributes) whose change causes this finding. */
  readonly properties: readonly string[];
  readonly reason: string;
}
