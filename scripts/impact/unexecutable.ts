import type { ResourceChange } from './evaluate';
import { deletionProtection, NAME_PROPERTIES } from './update-behaviour';
import { MARKER_PREFIX } from './deploy-time';
import type { Template } from './types';

/** Why CloudFormation would refuse a change or fail half way through it (and roll back). */
export interface Refusal {
  readonly properties: readonly string[];
  readonly reason: string;
}

/** A subnet of the base (deployed) templates: it exists until the very end of an update. */
export interface ExistingSubnet {
  readonly stack: string;
  readonly logicalId: string;
  readonly cidr: string;
  /** The VpcId expression, as JSON: subnets of one VPC share it. */
  readonly vpc: string;
}

const stable = (value: unknown) => JSON.stringify(value);
const isMarker = (value: unknown) => typeof value === 'string' && value.startsWith(MARKER_PREFIX);
const same = (a: unknown, b: unknown) => a !== undefined && !isMarker(b) && stable(a) === stable(b);

function customName(change: ResourceChange): Refusal | undefined {
  if (change.kind !== 'replaced') return undefined;
  for (const name of NAME_PROPERTIES[change.resourceType] ?? []) {
    const before = change.oldResource?.Properties?.[name];
    if (same(before, change.newResource?.Properties?.[name])) {
      return { properties: [name], reason: `is replaced but keeps its custom name ${name}=${stable(before)}: CloudFormation creates the new one first and the name is taken; give it a new name in the same change or keep the replacing property unchanged` };
    }
  }
  return undefined;
}

function fixedAddress(change: ResourceChange): Refusal | undefined {
  if (change.kind !== 'replaced') return undefined;
  if (change.resourceType !== 'AWS::EC2::Instance' && change.resourceType !== 'AWS::EC2::NetworkInterface') return undefined;
  const before = change.oldResource?.Properties?.PrivateIpAddress;
  if (same(before, change.newResource?.Properties?.PrivateIpAddress)) {
    return { properties: ['PrivateIpAddress'], reason: `is replaced but keeps its fixed private IP ${String(before)}: the new one is created while the old one still holds the address; replace it in two steps (new address, then back) or avoid the replacing change` };
  }
  if (change.resourceType === 'AWS::EC2::Instance') {
    const primary = (props: Record<string, unknown> | undefined) =>
      (Array.isArray(props?.NetworkInterfaces) ? (props.NetworkInterfaces as Record<string, unknown>[]) : [])
        .find((eni) => String(eni.DeviceIndex) === '0' && eni.NetworkInterfaceId !== undefined)?.NetworkInterfaceId;
    const eni = primary(change.oldResource?.Properties);
    if (same(eni, primary(change.newResource?.Properties))) {
      return { properties: ['NetworkInterfaces'], reason: `is replaced but its primary network interface ${stable(eni)} is fixed: the new instance cannot attach an interface the old one still uses; change the node in place (no replacing property) or retire it explicitly` };
    }
  }
  return undefined;
}

function protectedResource(change: ResourceChange): Refusal | undefined {
  const removing = change.kind === 'destroyed'
    || (change.kind === 'replaced' && change.oldResource?.UpdateReplacePolicy !== 'Retain');
  if (!removing) return undefined;
  const protection = deletionProtection(change.resourceType, change.oldResource?.Properties);
  if (!protection) return undefined;
  const verb = change.kind === 'destroyed' ? 'is deleted' : 'is replaced (the old one deleted)';
  return { properties: [protection], reason: `${verb} while ${protection} is on: the delete fails; turn the protection off in a deploy of its own first, after deciding the data may go` };
}

function kinesisResharding(change: ResourceChange): Refusal | undefined {
  if (change.resourceType !== 'AWS::Kinesis::Stream' || change.kind === 'created' || change.kind === 'destroyed') return undefined;
  const before = Number(change.oldResource?.Properties?.ShardCount);
  const after = Number(change.newResource?.Properties?.ShardCount);
  if (!Number.isFinite(before) || !Number.isFinite(after) || before === after) return undefined;
  if (after <= before * 2 && after * 2 >= before) return undefined;
  const step = after > before ? before * 2 : Math.ceil(before / 2);
  return { properties: ['ShardCount'], reason: `ShardCount ${before} -> ${after}: UpdateShardCount allows at most doubling or halving per update; deploy ${before} -> ${step} first` };
}

type Gsi = { IndexName?: unknown; KeySchema?: unknown; Projection?: unknown };
function gsiChanges(change: ResourceChange): Refusal | undefined {
  if (change.kind !== 'updated' && change.kind !== 'interrupted') return undefined;
  if (change.resourceType !== 'AWS::DynamoDB::Table' && change.resourceType !== 'AWS::DynamoDB::GlobalTable') return undefined;
  const byName = (props: Record<string, unknown> | undefined) =>
    new Map((Array.isArray(props?.GlobalSecondaryIndexes) ? (props.GlobalSecondaryIndexes as Gsi[]) : []).map((g) => [String(g.IndexName), g]));
  const before = byName(change.oldResource?.Properties);
  const after = byName(change.newResource?.Properties);
  const added = [...after.keys()].filter((n) => !before.has(n));
  const removed = [...before.keys()].filter((n) => !after.has(n));
  // A new key schema or projection is a delete and a create of the index.
  const redefined = [...after.keys()].filter((n) => before.has(n)
    && (stable(before.get(n)!.KeySchema) !== stable(after.get(n)!.KeySchema) || stable(before.get(n)!.Projection) !== stable(after.get(n)!.Projection)));
  const count = added.length + removed.length + 2 * redefined.length;
  if (count <= 1) return undefined;
  const parts = [...added.map((n) => `+${n}`), ...removed.map((n) => `-${n}`), ...redefined.map((n) => `~${n} (delete and create)`)];
  return { properties: ['GlobalSecondaryIndexes'], reason: `${count} global secondary index changes in one update (${parts.join(', ')}): DynamoDB allows one per update; deploy them one at a time` };
}

function majorOf(version: unknown): string | undefined {
  if (typeof version !== 'string' && typeof version !== 'number') return undefined;
  const parts = String(version).split('.');
  // PostgreSQL 10+ has one-number majors; 9.6 and older, two.
  return Number(parts[0]) >= 10 ? parts[0] : parts.slice(0, 2).join('.');
}

function rdsMajorUpgrade(change: ResourceChange, template: Template): Refusal | undefined {
  if (change.resourceType !== 'AWS::RDS::DBInstance' && change.resourceType !== 'AWS::RDS::DBCluster') return undefined;
  if (change.kind === 'created' || change.kind === 'destroyed' || change.kind === 'orphaned') return undefined;
  const before = majorOf(change.oldResource?.Properties?.EngineVersion);
  const after = majorOf(change.newResource?.Properties?.EngineVersion);
  if (!before || !after || before === after) return undefined;
  if (Number(after) < Number(before)) {
    return { properties: ['EngineVersion'], reason: `EngineVersion major ${before} -> ${after}: RDS cannot downgrade a major version; restore a snapshot into a new instance instead` };
  }
  const props = change.newResource?.Properties ?? {};
  if (props.AllowMajorVersionUpgrade !== true && props.AllowMajorVersionUpgrade !== 'true') {
    return { properties: ['EngineVersion', 'AllowMajorVersionUpgrade'], reason: `EngineVersion major ${before} -> ${after} without AllowMajorVersionUpgrade: RDS rejects the modification; set AllowMajorVersionUpgrade with the upgrade` };
  }
  const groupProperty = change.resourceType === 'AWS::RDS::DBInstance' ? 'DBParameterGroupName' : 'DBClusterParameterGroupName';
  const ref = (props[groupProperty] as { Ref?: unknown } | undefined)?.Ref;
  const family = typeof ref === 'string' ? template.Resources?.[ref]?.Properties?.Family : undefined;
  if (typeof family === 'string' && !family.endsWith(after)) {
    return { properties: ['EngineVersion', groupProperty], reason: `EngineVersion major ${before} -> ${after} with parameter group ${ref} of family ${family}: a major upgrade needs a parameter group of the new family in the same change` };
  }
  return undefined;
}

function cidrRange(cidr: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match) return undefined;
  const [a, b, c, d, bits] = match.slice(1).map(Number) as [number, number, number, number, number];
  const start = (((a << 24) >>> 0) + (b << 16) + (c << 8) + d) >>> 0;
  return [start, start + 2 ** (32 - bits) - 1];
}

export function cidrsOverlap(x: string, y: string): boolean {
  const a = cidrRange(x);
  const b = cidrRange(y);
  return a !== undefined && b !== undefined && a[0] <= b[1] && b[0] <= a[1];
}

function overlappingSubnet(change: ResourceChange, existing: readonly ExistingSubnet[]): Refusal | undefined {
  if (change.resourceType !== 'AWS::EC2::Subnet' || (change.kind !== 'created' && change.kind !== 'replaced')) return undefined;
  const cidr = change.newResource?.Properties?.CidrBlock;
  if (typeof cidr !== 'string') return undefined;
  const vpc = stable(change.newResource?.Properties?.VpcId);
  const clash = existing.filter((s) => s.vpc === vpc && cidrsOverlap(s.cidr, cidr));
  if (clash.length === 0) return undefined;
  const names = clash.map((s) => `${s.logicalId} ${s.cidr}`).join(', ');
  return { properties: ['CidrBlock'], reason: `new subnet ${cidr} overlaps ${names}, which still exist while it is created: the create fails; keep existing subnets' CIDRs and give new ones free ranges (lib/model/subnet-plan.ts)` };
}

/**
 * RDS keeps an instance in its subnet while the subnet group changes, so the group must keep that
 * subnet: a group that keeps none of its subnets cannot be updated while a database is in it.
 */
function databaseSubnetsLeave(change: ResourceChange, template: Template): Refusal | undefined {
  if (change.resourceType !== 'AWS::RDS::DBSubnetGroup' || (change.kind !== 'updated' && change.kind !== 'interrupted')) return undefined;
  const list = (props: Record<string, unknown> | undefined) => (Array.isArray(props?.SubnetIds) ? (props.SubnetIds as unknown[]).map(stable) : []);
  const before = list(change.oldResource?.Properties);
  const after = new Set(list(change.newResource?.Properties));
  if (before.length === 0 || before.some((s) => after.has(s))) return undefined;
  const databases = Object.entries(template.Resources ?? {})
    .filter(([, r]) => (r.Type === 'AWS::RDS::DBInstance' || r.Type === 'AWS::RDS::DBCluster') && stable(r.Properties?.DBSubnetGroupName) === stable({ Ref: change.logicalId }))
    .map(([id]) => id);
  if (databases.length === 0) return undefined;
  return { properties: ['SubnetIds'], reason: `keeps none of its subnets while ${databases.join(', ')} runs in one of them: RDS refuses the change; add the new subnets first, move the database (or restore it into the new group), then remove the old ones` };
}

/** Every reason CloudFormation would not carry out this resource change. */
export function refusalsOf(change: ResourceChange, newTemplate: Template, existingSubnets: readonly ExistingSubnet[]): Refusal[] {
  return [
    customName(change),
    fixedAddress(change),
    protectedResource(change),
    kinesisResharding(change),
    gsiChanges(change),
    rdsMajorUpgrade(change, newTemplate),
    overlappingSubnet(change, existingSubnets),
    databaseSubnetsLeave(change, newTemplate),
  ].filter((r): r is Refusal => r !== undefined);
}

/** The subnets a set of (base) templates declares with literal CIDRs. */
export function subnetsOf(stack: string, template: Template): ExistingSubnet[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::EC2::Subnet' && typeof r.Properties?.CidrBlock === 'string')
    .map(([logicalId, r]) => ({ stack, logicalId, cidr: r.Properties!.CidrBlock as string, vpc: stable(r.Properties!.VpcId) }));
}
