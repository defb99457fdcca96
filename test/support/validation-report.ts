import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';

export interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ constructPath: string }>;
  readonly acknowledgedId?: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}

export interface PluginReport {
  readonly pluginName: string;
  readonly violations: Violation[];
  readonly suppressedViolations?: Violation[];
}

/**
 * Synthesizes the app and returns the validation plugins' reports (cdk-nag among them). Synth throws
 * when a plugin reports an error; the report file is read either way so the test can name every finding.
 */
export function synthValidationReport(app: App): PluginReport[] {
  return readValidationReport(synthAssemblyDirectory(app));
}

/** Synthesizes and returns the assembly directory, also when validation failed (the templates are written first). */
export function synthAssemblyDirectory(app: App): string {
  try {
    return app.synth().directory;
  } catch (error) {
    const match = /found in: (\S+validation-report\.json)/.exec((error as Error).message);
    if (!match) throw error;
    return path.dirname(match[1]!);
  }
}

export function readValidationReport(directory: string): PluginReport[] {
  const report = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8'));
  return report.pluginReports as PluginReport[];
}

/** One line per unacknowledged finding: "<rule> <construct path>: <description>". */
export function describeFindings(reports: PluginReport[]): string[] {
  return reports.flatMap((r) =>
    r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}: ${v.description}`)),
  );
}
