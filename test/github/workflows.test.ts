import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step { uses?: string; run?: string; with?: Record<string, string | number | boolean>; env?: Record<string, string>; id?: string; name?: string }
interface Job { needs?: string | string[]; environment?: string; permissions?: Record<string, string>; steps: Step[]; strategy?: { matrix: Record<string, string[]> } }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> }

const DIR = path.join(__dirname, '../../.github/workflows');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (file: string) => fs.readFileSync(path.join(DIR, file), 'utf8');
const load = (file: string): Workflow => parse(text(file));
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const needs = (job: Job) => (job.needs === undefined ? [] : typeof job.needs === 'string' ? [job.needs] : job.needs);
/** Every job `name` waits for, directly or not. */
function upstream(wf: Workflow, name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string) => needs(wf.jobs[n]!).forEach((d) => { if (!seen.has(d)) { seen.add(d); visit(d); } });
  visit(name);
  return seen;
}

/**
 * The commit each pinned tag points at. Confirmed offline (no GitHub access) by finding the same
 * SHA-and-tag pair in several independent public workflows and lock lists (see the engineer's report).
 */
const PINNED: Record<string, { sha: string; tag: string }> = {
  'actions/checkout': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', tag: 'v4.2.2' },
  'actions/setup-node': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', tag: 'v4.4.0' },
  'actions/upload-artifact': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', tag: 'v4.6.2' },
  'actions/download-artifact': { sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', tag: 'v4.3.0' },
  'aws-actions/configure-aws-credentials': { sha: 'e3dd6a429d7300a6a4c196c26e071d42e0343502', tag: 'v4.0.2' },
};

describe.each(FILES)('%s', (file) => {
  const wf = load(file);
  const steps = Object.values(wf.jobs).flatMap((job) => job.steps);

  it('pins every action by commit SHA with its tag in a comment', () => {
    const lines = text(file).split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const match = /uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)\s*$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, action, sha, tag] = match!;
      expect(PINNED[action!], `${action} is not in the confirmed pin list`).toEqual({ sha, tag });
    }
  });

  it('puts no ${{ }} expression inside a run: script (values arrive through env:)', () => {
    for (const step of steps) expect(step.run ?? '', step.name ?? step.run).not.toContain('${{');
  });

  it('reads workflow inputs only into env: of a step', () => {
    const raw = text(file);
    const uses = [...raw.matchAll(/\$\{\{\s*inputs\.[a-z_]+\s*\}\}/g)].length;
    const inEnv = steps.flatMap((s) => Object.values(s.env ?? {})).filter((v) => /\$\{\{\s*inputs\./.test(v)).length;
    expect(uses).toBe(inEnv);
  });

  it("runs the project's supported Node version", () => {
    const engines = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).engines.node as string;
    const supported = Number(/^>=\s*(\d+)/.exec(engines)![1]);
    const setups = steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) expect(setup.with?.['node-version']).toBe(supported);
  });

  it('grants id-token only to the jobs that assume a role, and no write access to the repository', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(wf.jobs)) {
      const assumes = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
      expect(job.permissions).toEqual(assumes ? { contents: 'read', 'id-token': 'write' } : undefined);
    }
  });
});

describe('deploy workflow', () => {
  const wf = load('deploy.yml');
  const jobs = wf.jobs;

  it('runs on main and never cancels a deploy in progress', () => {
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(text('deploy.yml')).toMatch(/cancel-in-progress: false/);
  });

  it('synthesizes once, in one job, and uploads that cloud assembly', () => {
    const synthJobs = Object.entries(jobs).filter(([, job]) => /cdk synth/.test(runs(job))).map(([name]) => name);
    expect(synthJobs).toEqual(['synth']);
    expect(runs(jobs.synth!)).toMatch(/npx cdk synth --quiet -o cdk\.out/);
    expect(jobs.synth!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with).toMatchObject({ name: 'cloud-assembly', path: 'cdk.out' });
    expect(needs(jobs.synth!)).toEqual(['test']);
  });

  it('validates the image tag input before it reaches the synth command, through env:', () => {
    const step = jobs.synth!.steps.find((s) => s.env?.IMAGE_TAG)!;
    expect(step.env!.IMAGE_TAG).toBe('${{ inputs.image_tag }}');
    expect(step.run).toContain('[[ "$IMAGE_TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]');
    expect(step.run).toContain('-c "imageTag=$IMAGE_TAG"');
  });

  it.each(['deploy-staging', 'plan-production', 'deploy-production'])('%s uses the assembly of this run, never a re-synthesis', (name) => {
    const job = jobs[name]!;
    expect(upstream(wf, name)).toContain('synth');
    expect(job.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toEqual({ name: 'cloud-assembly', path: 'cdk.out' });
    const commands = runs(job).split('\n').filter((line) => /npx cdk (deploy|diff)/.test(line));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).toContain('--app cdk.out');
    expect(runs(job)).not.toMatch(/cdk synth|-c env=/);
  });

  it('deploys staging, then shows production the diff and preflight before its approval, then deploys production', () => {
    expect(jobs['deploy-staging']!.environment).toBe('staging');
    expect(upstream(wf, 'plan-production')).toContain('deploy-staging');
    // No environment: the plan runs before anyone is asked to approve.
    expect(jobs['plan-production']!.environment).toBeUndefined();
    expect(jobs['deploy-production']!.environment).toBe('production');
    expect(upstream(wf, 'deploy-production')).toContain('plan-production');
  });

  it('puts the diff of that exact assembly and the preflight result into the plan summary, with read-only roles', () => {
    const plan = jobs['plan-production']!;
    const roles = plan.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials')).map((s) => s.with?.['role-to-assume']);
    expect(roles).toEqual(['${{ steps.target.outputs.diff_role_arn }}', '${{ steps.target.outputs.lookup_role_arn }}']);
    expect(runs(plan)).toMatch(/npx cdk diff --app cdk\.out --method=template "\$STACKS" 2>&1 \| tee diff\.txt/);
    expect(runs(plan)).toMatch(/npm run --silent preflight -- --env production/);
    expect(runs(plan).match(/GITHUB_STEP_SUMMARY/g)).toHaveLength(2);
    expect(runs(plan)).not.toContain('cdk deploy');
  });

  it.each(['staging', 'production'])('deploys %s with its own OIDC deploy role and no interactive approval', (env) => {
    const job = jobs[`deploy-${env}`]!;
    expect(runs(job)).toContain(`npx tsx scripts/ci-env.ts ${env}`);
    const creds = job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(creds[creds.length - 1]?.with?.['role-to-assume']).toBe('${{ steps.target.outputs.deploy_role_arn }}');
    expect(runs(job)).toContain('npx cdk deploy --app cdk.out --require-approval never --concurrency 3 "$STACKS"');
  });
});

describe('pull-request workflow', () => {
  const wf = load('pull-request.yml');

  it('installs, lints, tests, synthesizes once and uploads the assembly', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    const verify = runs(wf.jobs.verify!);
    for (const command of ['npm ci', 'npm run lint', 'npm test', 'npx cdk synth --quiet -o cdk.out', 'npm run validate:cfn']) expect(verify).toContain(command);
    expect(wf.jobs.verify!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with).toMatchObject({ name: 'cloud-assembly', path: 'cdk.out' });
  });

  it('diffs that assembly for every environment with the read-only role into the job summary', () => {
    const diff = wf.jobs.diff!;
    expect(diff.needs).toBe('verify');
    expect(diff.strategy?.matrix.environment).toEqual(['staging', 'production']);
    expect(diff.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toEqual({ name: 'cloud-assembly', path: 'cdk.out' });
    const creds = diff.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(creds?.with?.['role-to-assume']).toBe('${{ steps.target.outputs.diff_role_arn }}');
    expect(runs(diff)).toContain('npx cdk diff --app cdk.out --method=template "$STACKS"');
    expect(runs(diff)).toContain('GITHUB_STEP_SUMMARY');
    expect(runs(diff)).not.toMatch(/cdk deploy|cdk synth/);
  });
});

describe('drift workflow', () => {
  const wf = load('drift.yml');
  const job = wf.jobs.drift!;

  it('runs on a schedule (and by hand) for every environment', () => {
    expect(wf.on.schedule).toEqual([{ cron: '17 21 * * *' }]);
    expect(Object.keys(wf.on)).toContain('workflow_dispatch');
    expect(job.strategy?.matrix.environment).toEqual(['staging', 'production']);
  });

  it('reports drift per stack into the summary with read-only roles, failing on unexpected drift', () => {
    const roles = job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials')).map((s) => s.with?.['role-to-assume']);
    expect(roles).toEqual(['${{ steps.target.outputs.diff_role_arn }}', '${{ steps.target.outputs.lookup_role_arn }}']);
    expect(runs(job)).toContain('npm run --silent drift -- --env "$ENVIRONMENT"');
    expect(runs(job)).toContain('GITHUB_STEP_SUMMARY');
    expect(runs(job)).toContain('exit "$status"');
  });

  it('documents the expected drift: the VIP routes the failover agent moves', () => {
    expect(text('drift.yml')).toMatch(/Expected drift[\s\S]*Redis VIP routes \(AWS::EC2::Route\s*\n?#?\s*"VipRoute\*" in the redis stack\)/);
  });
});
