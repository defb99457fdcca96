import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { defaultAssembly, buildTestPlatform, defaultPlatform } from '../../support/platform';
import { describeFindings, readValidationReport, synthValidationReport } from '../../support/validation-report';

interface Acknowledgement { readonly id: string; readonly reason: string; readonly path: string }

/** Every acknowledgement made with Validations.of(construct).acknowledge(), as CDK records it. */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason, path: construct.node.path }))),
  );
}

describe('security gate (cdk-nag AwsSolutions over both environments)', () => {
  it('leaves zero unacknowledged findings, errors and warnings, in any validation plugin', () => {
    const reports = readValidationReport(defaultAssembly());
    expect(describeFindings(reports)).toEqual([]);
  });

  it('fails synth on a finding nobody acknowledged (the gate is on in the app factory)', () => {
    const canary = buildTestPlatform({ env: 'staging' }, { cloudFormationValidation: false });
    new s3.Bucket(canary.env('staging').ci, 'CanaryWithoutAccessLogs', { enforceSSL: true });
    const findings = describeFindings(synthValidationReport(canary.app));
    expect(findings).toEqual([expect.stringMatching(/^AwsSolutions-S1 monsaas-staging-ci\/CanaryWithoutAccessLogs\/Resource: /)]);
  });

  it('scopes every acknowledgement to one resource and gives a real reason', () => {
    const ours = acknowledgements(defaultPlatform().app).filter((a) => a.id.includes('AwsSolutions'));
    expect(ours.length).toBeGreaterThan(10);
    const problems = ours.flatMap((a) => {
      const issues: string[] = [];
      // A stack-level (or app-level) acknowledgement has no "/" in its path.
      if (!a.path.includes('/')) issues.push(`${a.id} acknowledged for the whole of "${a.path}"`);
      if (a.reason.trim().split(/\s+/).length < 6) issues.push(`${a.id} at ${a.path}: reason "${a.reason}" explains nothing`);
      return issues;
    });
    expect(problems).toEqual([]);
  });
});
