import { describe, expect, it } from 'vitest';
import { ASSEMBLY_ENV, defaultPlatform } from '../support/platform';
import { describeFindings, readValidationReport, synthValidationReport, type PluginReport } from '../support/validation-report';

describe('security gate (cdk-nag AwsSolutions over both environments)', () => {
  let reports: PluginReport[] = [];
  it('runs cdk-nag AwsSolutions on synth', () => {
    const assembly = process.env[ASSEMBLY_ENV];
    reports = assembly ? readValidationReport(assembly) : synthValidationReport(defaultPlatform().app);
    expect(reports.map((r) => r.pluginName)).toContain('AwsSolutions');
  });

  it('leaves zero unacknowledged findings (errors and warnings)', () => {
    expect(describeFindings(reports)).toEqual([]);
  });

  it('scopes every acknowledgement to one resource and gives a real reason', () => {
    const acknowledged = reports.filter((r) => r.pluginName === 'AwsSolutions').flatMap((r) => r.suppressedViolations ?? []);
    expect(acknowledged.length).toBeGreaterThan(0);
    const problems = acknowledged.flatMap((v) => {
      const where = v.acknowledgedAt ?? '';
      const issues: string[] = [];
      // A stack-level (or app-level) acknowledgement has no "/" in its path.
      if (!where.includes('/')) issues.push(`${v.acknowledgedId} acknowledged at "${where}" (a whole stack)`);
      if ((v.reason ?? '').trim().split(/\s+/).length < 6) issues.push(`${v.acknowledgedId} at ${where}: reason "${v.reason}" explains nothing`);
      return issues;
    });
    expect(problems).toEqual([]);
  });
});
