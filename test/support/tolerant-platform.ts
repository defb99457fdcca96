import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlatformEnvironment } from '../../lib/platform/environment';
import { buildTestPlatform, type TestPlatform } from './platform';

/**
 * The default platform built like support/platform.ts's, except that cdk-nag findings are collected
 * in the validation report instead of failing synth. Tests of one part read its templates here and
 * assert zero unacknowledged findings on that part's own resources with `nagFindings(prefixes)`, so a
 * half-built stack of another part cannot hide or break them.
 */
let cached: TestPlatform | undefined;
export function tolerantPlatform(): TestPlatform {
  // The built-in CloudFormation validation dominates synth time (~20 s for one small stack on this
  // machine); `cdk synth` in CI still runs it. cdk-nag, registered by the factory, still runs.
  process.env.CDK_VALIDATION = 'false';
  cached ??= buildTestPlatform({ '@aws-cdk/core:failSynthOnValidationErrors': false });
  return cached;
}

const templates = new Map<string, Template>();
export function tolerantTemplate(envName: string, part: keyof Omit<PlatformEnvironment, 'config'>): Template {
  const key = `${envName}/${part}`;
  let found = templates.get(key);
  if (!found) {
    found = Template.fromStack(tolerantPlatform().env(envName)[part]);
    templates.set(key, found);
  }
  return found;
}

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

interface ValidationReport {
  pluginReports?: Array<{
    pluginName: string;
    violations?: Array<{ ruleName: string; severity?: string; violatingConstructs?: Array<{ constructPath?: string }> }>;
  }>;
}

/** Unacknowledged cdk-nag findings (errors and warnings) on constructs whose path starts with one of `prefixes`. */
export function nagFindings(prefixes: readonly string[], app: App = tolerantPlatform().app): NagFinding[] {
  const assembly = app.synth();
  const reportPath = path.join(assembly.directory, 'validation-report.json');
  if (!fs.existsSync(reportPath)) return [];
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as ValidationReport;
  const findings: NagFinding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const construct of violation.violatingConstructs ?? []) {
        const constructPath = construct.constructPath ?? '';
        if (prefixes.some((prefix) => constructPath.startsWith(prefix))) {
          findings.push({ rule: violation.ruleName, severity: violation.severity ?? 'error', path: constructPath });
        }
      }
    }
  }
  return findings;
}
