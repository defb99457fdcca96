import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
/** Runs `body` (TypeScript) inside exitOnConfigError in a fresh process: its stderr and exit code. */
const run = (body: string) => spawnSync('npx', ['tsx', '-e', `import { exitOnConfigError } from './lib/config-schema/cli'; import { ConfigError } from './lib/config-schema/load'; void ConfigError; exitOnConfigError(() => { ${body} });`], { cwd: ROOT, encoding: 'utf8' });

describe('exitOnConfigError', () => {
  it('prints a ConfigError as one line and exits 1', () => {
    const result = run("throw new ConfigError('config/staging.ts: x: is wrong; fix it');");
    expect([result.status, result.stderr]).toEqual([1, 'Invalid configuration: config/staging.ts: x: is wrong; fix it\n']);
  });

  it("turns CDK's resource-limit error into one line naming the stack", () => {
    const result = run("throw new Error(\"Number of resources in stack 'monsaas-staging-monitoring': 612 is greater than allowed maximum of 500: AWS::CloudWatch::Alarm (600)\");");
    expect([result.status, result.stderr]).toEqual([1, "Invalid configuration: stack monsaas-staging-monitoring would hold 612 resources, over CloudFormation's 500; lower the counts in config that multiply its resources (shards, queries, subscriptions, ...)\n"]);
  });

  it('lets any other error through (a bug, not a config mistake)', () => {
    const result = run("throw new Error('bug');");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Error: bug');
  });
});
