import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '../../scripts/impact/classify';

/** `npm run impact` as an operator and CI call it: flags, exit codes, output forms, synthesis with progress. */

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

const resolver = (userData: string, n: number) => ({
  Type: 'AWS::EC2::Instance',
  Properties: { ImageId: 'ami-1', InstanceType: 't4g.small', UserData: userData },
  Metadata: { 'aws:cdk:path': `monsaas-staging-dns/Resolvers/Resolver${n}/Resource` },
});
const dns = (userData: string): Template => ({ Resources: { R1: resolver(userData, 1), R2: resolver(userData, 2) } });

let dir: string;
const run = (...args: string[]) => {
  const result = spawnSync(TSX, [path.join(ROOT, 'scripts/impact.ts'), ...args], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-cli-'));
  // Base: bare templates, as CI fetches them. Current: an assembly with its manifest.
  fs.mkdirSync(path.join(dir, 'deployed'));
  fs.writeFileSync(path.join(dir, 'deployed/monsaas-staging-dns.template.json'), JSON.stringify(dns('old')));
  // A base with a protected stack the app no longer has.
  fs.mkdirSync(path.join(dir, 'deployed-old'));
  fs.writeFileSync(path.join(dir, 'deployed-old/monsaas-staging-dns.template.json'), JSON.stringify(dns('new')));
  fs.writeFileSync(path.join(dir, 'deployed-old/monsaas-staging-legacy.template.json'), JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } } }));
  fs.writeFileSync(path.join(dir, 'deployed-old/stacks.json'), JSON.stringify({ 'monsaas-staging-legacy': { terminationProtection: true } }));
  fs.mkdirSync(path.join(dir, 'cdk.out'));
  fs.writeFileSync(path.join(dir, 'cdk.out/monsaas-staging-dns.template.json'), JSON.stringify(dns('new')));
  fs.writeFileSync(path.join(dir, 'cdk.out/manifest.json'), JSON.stringify({
    artifacts: { 'monsaas-staging-dns': { type: 'aws:cloudformation:stack', properties: { templateFile: 'monsaas-staging-dns.template.json' } } },
  }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run impact', () => {
  it('answers --help with its usage', () => {
    const { status, stdout } = run('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^usage: npm run impact -- --env NAME \[--base DIR\]/);
    expect(stdout).toContain('--override TEXT');
  });

  it.each([
    [['--env', 'staging', '--bogus'], "npm run impact --: Unknown option '--bogus'; see --help"],
    [['--env', 'nowhere'], 'npm run impact --: --env: name one environment (staging, production)'],
    [['--env', 'staging', '--base', 'missing'], 'npm run impact --: --base: missing does not exist; pass a previous cdk.out or a directory of <stack>.template.json files'],
    [['--env', 'staging', '--base', 'deployed', '--override', 'why'], 'npm run impact --: --override needs --gate and a non-empty reason'],
  ])('rejects %j in one line', (args, message) => {
    const { status, stdout, stderr } = run(...args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(message);
  });

  it('prints one line per finding, the gate\'s verdict, and exits 0 without --gate', () => {
    const { status, stdout } = run('--env', 'staging', '--base', 'deployed');
    expect(status).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'impact of staging: 2 interrupted',
      'INTERRUPTED   monsaas-staging-dns  Resolvers/Resolver1/Resource (AWS::EC2::Instance, resolver 1): is interrupted (stop/start, reboot or failover) by UserData',
      'INTERRUPTED   monsaas-staging-dns  Resolvers/Resolver2/Resource (AWS::EC2::Instance, resolver 2): is interrupted (stop/start, reboot or failover) by UserData',
      '',
      'deploy gate: 1 reason(s) to refuse this change in production without a reviewed override:',
      '  - 2 resolvers of monsaas-staging-dns (1, 2) go down in one deploy',
      '',
    ]);
  });

  it('prints JSON for machines', () => {
    const report = JSON.parse(run('--env', 'staging', '--base', 'deployed', '--json').stdout);
    expect(report.environment).toBe('staging');
    expect(report.findings.map((f: { kind: string; role: unknown }) => [f.kind, f.role])).toEqual([
      ['interrupted', { kind: 'resolver', index: 1 }], ['interrupted', { kind: 'resolver', index: 2 }],
    ]);
    expect(report.violations).toEqual(['2 resolvers of monsaas-staging-dns (1, 2) go down in one deploy']);
    expect(report.override).toBeNull();
  });

  it('with --gate exits 3 on a refusal, and 0 with a reviewed override it records', () => {
    expect(run('--env', 'staging', '--base', 'deployed', '--gate').status).toBe(3);
    const overridden = run('--env', 'staging', '--base', 'deployed', '--gate', '--override', 'reviewed in #812');
    expect(overridden.status).toBe(0);
    expect(overridden.stdout.trimEnd().split('\n').at(-1)).toBe('deploy gate overridden: reviewed in #812');
    expect(run('--env', 'staging', '--base', 'cdk.out', '--gate').status).toBe(0);
  });

  it('reads the deployed stacks\' termination protection from stacks.json: removing a protected stack is unexecutable', () => {
    const { status, stdout } = run('--env', 'staging', '--base', 'deployed-old', '--gate');
    expect(status).toBe(3);
    expect(stdout).toContain('UNEXECUTABLE  monsaas-staging-legacy  (stack) (AWS::CloudFormation::Stack): the stack is gone from the app but has termination protection');
  });

  it('synthesizes the environment when the current assembly lacks it, saying so', { timeout: 180_000 }, () => {
    const { status, stdout, stderr } = run('--env', 'staging', '--base', 'deployed', '--current', 'fresh');
    expect(stderr, stderr).toMatch(/^impact: synthesizing staging into fresh$/m);
    expect(stderr).toMatch(/^impact: synthesized staging in \d+ s$/m);
    expect(status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'fresh/monsaas-staging-network.template.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'fresh/monsaas-production-network.template.json'))).toBe(false);
    expect(stdout).toMatch(/^impact of staging: /);
  });
});
