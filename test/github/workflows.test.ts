import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step { uses?: string; run?: string; with?: Record<string, string>; id?: string }
interface Job { needs?: string | string[]; environment?: string; permissions?: Record<string, string>; steps: Step[]; strategy?: { matrix: Record<string, string[]> } }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> }

const load = (file: string): Workflow => parse(fs.readFileSync(path.join(__dirname, '../../.github/workflows', file), 'utf8'));
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('pull-request workflow', () => {
  const wf = load('pull-request.yml');

  it('runs on pull requests with read-only repository access by default', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('installs, lints, tests and synthesizes', () => {
    const verify = runs(wf.jobs.verify!);
    for (const command of ['npm ci', 'npm run lint', 'npm test', 'npx cdk synth', 'npm run validate:cfn']) expect(verify).toContain(command);
    expect(wf.jobs.verify!.permissions).toBeUndefined();
  });

  it('diffs every environment with OIDC and --method=template into the job summary', () => {
    const diff = wf.jobs.diff!;
    expect(diff.needs).toBe('verify');
    expect(diff.strategy?.matrix.environment).toEqual(['staging', 'production']);
    expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = diff.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(creds?.with?.['role-to-assume']).toBe('${{ steps.target.outputs.diff_role_arn }}');
    expect(runs(diff)).toMatch(/npx cdk diff -c env=\$\{\{ matrix.environment \}\} --method=template/);
    expect(runs(diff)).toContain('GITHUB_STEP_SUMMARY');
    expect(runs(diff)).not.toContain('cdk deploy');
  });
});

describe('deploy workflow', () => {
  const wf = load('deploy.yml');

  it('runs on main and never cancels a deploy in progress', () => {
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('tests, then deploys staging, then production behind its GitHub Environment', () => {
    expect(wf.jobs['deploy-staging']!.needs).toBe('test');
    expect(wf.jobs['deploy-production']!.needs).toBe('deploy-staging');
    expect(wf.jobs['deploy-staging']!.environment).toBe('staging');
    expect(wf.jobs['deploy-production']!.environment).toBe('production');
  });

  it.each(['staging', 'production'])('deploys %s with its own OIDC role and no interactive approval', (env) => {
    const job = wf.jobs[`deploy-${env}`]!;
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(runs(job)).toContain(`npx tsx scripts/ci-env.ts ${env}`);
    const creds = job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(creds?.with?.['role-to-assume']).toBe('${{ steps.target.outputs.deploy_role_arn }}');
    expect(runs(job)).toMatch(new RegExp(`npx cdk deploy -c env=${env} .*--require-approval never`));
  });

  it('grants id-token only to the jobs that assume a role', () => {
    expect(wf.jobs.test!.permissions).toBeUndefined();
  });
});
