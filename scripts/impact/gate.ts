import type { Finding } from './types';

/** Kinds that take a host out of service for part of the deploy. */
const DOWN = new Set(['replaced', 'interrupted', 'destroyed', 'unexecutable']);
/** A stateful resource that leaves the stack, even retained, leaves the service without its data (a rename is one). */
const STATEFUL_LOSS = new Set(['replaced', 'destroyed', 'orphaned']);

/**
 * What the production deploy refuses without a reviewed override: stateful replacement, deletion or
 * removal from the stack (Redis nodes: see the pair rule; one node of a pair is rebuilt from its peer),
 * both nodes of one Redis pair down in one deploy, more than one resolver down in one deploy (even
 * one after the other: CloudFormation moves on as soon as an instance runs, before unbound answers),
 * and anything CloudFormation cannot execute. One line per violation.
 */
export function gateViolations(findings: readonly Finding[]): string[] {
  const violations: string[] = [];
  for (const f of findings) {
    if (f.kind === 'unexecutable') violations.push(`unexecutable: ${f.stack} ${f.logicalId}: ${f.reason}`);
    else if (f.stateful && STATEFUL_LOSS.has(f.kind) && f.role?.kind !== 'redis-node') {
      violations.push(`stateful ${f.kind}: ${f.stack} ${f.logicalId} (${f.resourceType})`);
    }
  }
  const down = findings.filter((f) => f.role && DOWN.has(f.kind));
  const pairs = new Map<string, Set<string>>();
  const resolvers = new Map<string, Set<number>>();
  for (const f of down) {
    if (f.role!.kind === 'redis-node') {
      const key = `${f.stack} shard ${f.role!.shard}`;
      pairs.set(key, (pairs.get(key) ?? new Set()).add(f.role!.node));
    } else {
      resolvers.set(f.stack, (resolvers.get(f.stack) ?? new Set()).add(f.role!.index));
    }
  }
  for (const [key, nodes] of pairs) {
    if (nodes.size >= 2) violations.push(`both nodes of Redis ${key} (${[...nodes].sort().join(', ')}) go down in one deploy`);
  }
  for (const [stack, indexes] of resolvers) {
    if (indexes.size >= 2) violations.push(`${indexes.size} resolvers of ${stack} (${[...indexes].sort().join(', ')}) go down in one deploy`);
  }
  return [...new Set(violations)];
}
