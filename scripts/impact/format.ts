import { describeRole } from './roles';
import type { Finding } from './types';

/** One line per finding, e.g. "REPLACED  monsaas-production-data  Database/Instance (AWS::RDS::DBInstance, stateful): ...". */
export function formatFinding(f: Finding): string {
  const tags = [f.resourceType, f.stateful ? 'stateful' : undefined, f.role ? describeRole(f.role) : undefined, f.deployTime ? 'deploy-time' : undefined]
    .filter(Boolean).join(', ');
  return `${f.kind.toUpperCase().padEnd(12)}  ${f.stack}  ${f.path ?? f.logicalId} (${tags}): ${f.reason}`;
}

export function formatReport(environment: string, findings: readonly Finding[], violations: readonly string[]): string {
  const lines = [`impact of ${environment}: ${findings.length === 0 ? 'no resource changes' : summary(findings)}`];
  lines.push(...findings.map(formatFinding));
  if (violations.length > 0) {
    lines.push('', `deploy gate: ${violations.length} reason(s) to refuse this change in production without a reviewed override:`);
    lines.push(...violations.map((v) => `  - ${v}`));
  } else {
    lines.push('', 'deploy gate: nothing to refuse');
  }
  return lines.join('\n');
}

function summary(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}
