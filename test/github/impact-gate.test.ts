import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { StackSet } from '../../scripts/impact/classify';
import { synthStacks, withTemplate } from '../scripts/impact-fixtures';

/** The impact report in pull requests and the production deploy gate (issue 19). */

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, string | boolean>; env?: Record<string, string> }
interface Job { environment?: string; steps: Step[] }
interface Workflow { on: { workflow_dispatch?: { inputs?: Record<string, { required?: boolean }> } }; jobs: Record<string, Job> }

const ROOT = path.resolve(__dirname, '../..');
const load = (file: string): Workflow => parse(fs.readFileSync(path.join(ROOT, '.github/workflows', file), 'utf8'));
const stepIndex = (job: Job, test: (s: Step) => boolean) => job.steps.findIndex(test);
const isCreds = (role: string) => (s: Step) => s.uses?.startsWith('aws-actions/configure-aws-credentials') === true && s.with?.['role-to-assume'] === `\${{ steps.target.outputs.${role} }}`;

describe('pull-request workflow: impact', () => {
  const diff = load('pull-request.yml').jobs.diff!;
  const impact = stepIndex(diff, (s) => s.name === 'impact');

  it('reports each environment\'s impact against the deployed templates above the raw diff', () => {
    expect(impact).toBeGreaterThan(0);
    const step = diff.steps[impact]!;
    expect(step.env).toEqual({ ENVIRONMENT: '${{ matrix.environment }}' });
    expect(step.run).toContain('bash scripts/impact/fetch-deployed.sh "$ENVIRONMENT" cdk.out deployed');
    expect(step.run).toContain('npm run --silent impact -- --env "$ENVIRONMENT" --base deployed --current cdk.out');
    expect(step.run).toContain('GITHUB_STEP_SUMMARY');
    expect(step.run).not.toContain('${{');
    expect(impact).toBeLessThan(stepIndex(diff, (s) => s.name === 'cdk diff'));
  });

  it('reads the deployed templates with the read-only lookup role, then diffs with the diff role again', () => {
    const lookup = diff.steps[impact - 1]!;
    expect(isCreds('lookup_role_arn')(lookup)).toBe(true);
    expect(lookup.with?.['role-chaining']).toBe(true);
    expect(isCreds('diff_role_arn')(diff.steps[impact + 1]!)).toBe(true);
  });
});

describe('deploy workflow: production gate', () => {
  const wf = load('deploy.yml');
  const job = wf.jobs['deploy-production']!;
  const gate = stepIndex(job, (s) => s.name === 'Deploy gate');
  const deploy = stepIndex(job, (s) => s.run?.includes('cdk deploy') === true);

  it('runs in the production job (after its approval), right before the deploy, against the deployed stacks', () => {
    expect(job.environment).toBe('production');
    expect(gate).toBeGreaterThan(0);
    expect(gate).toBeLessThan(deploy);
    expect(isCreds('lookup_role_arn')(job.steps[gate - 1]!)).toBe(true);
    expect(isCreds('deploy_role_arn')(job.steps[deploy - 1]!)).toBe(true);
    expect(job.steps[deploy - 1]!.with?.['role-chaining']).toBeUndefined();
  });

  it('takes the override only from a workflow_dispatch input, through env, never ${{ }} in the script', () => {
    expect(wf.on.workflow_dispatch?.inputs?.override_gate?.required).toBe(false);
    const step = job.steps[gate]!;
    expect(step.env).toEqual({ OVERRIDE: '${{ inputs.override_gate }}' });
    expect(step.run).not.toContain('${{');
  });

  it('has no gate in staging (disposable) and only one deploy per job', () => {
    expect(stepIndex(wf.jobs['deploy-staging']!, (s) => s.name === 'Deploy gate')).toBe(-1);
    expect(job.steps.filter((s) => s.run?.includes('cdk deploy'))).toHaveLength(1);
  });

  describe('the gate step, run with stand-ins for the AWS CLI and npm', () => {
    let dir: string;
    let deployed: StackSet;
    let assembly: StackSet;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-gate-'));
      assembly = synthStacks('production');
      // What is deployed runs smaller Redis nodes: this assembly's new type stops both nodes of every pair.
      deployed = withTemplate(assembly, 'redis', 'production', (t) => {
        for (const r of Object.values(t.Resources!)) if (r.Type === 'AWS::EC2::Instance') r.Properties!.InstanceType = 'r7g.medium';
      });
      const out = path.join(dir, 'cdk.out');
      const base = path.join(dir, 'aws-state');
      fs.mkdirSync(out);
      fs.mkdirSync(base);
      const artifacts: Record<string, unknown> = {};
      for (const [name, s] of assembly) {
        fs.writeFileSync(path.join(out, `${name}.template.json`), JSON.stringify(s.template));
        artifacts[name] = { type: 'aws:cloudformation:stack', properties: { templateFile: `${name}.template.json`, terminationProtection: true } };
        // One stack not deployed yet: the gate must cope (its resources are created).
        if (!name.endsWith('-edge-health')) fs.writeFileSync(path.join(base, `${name}.template.json`), JSON.stringify(deployed.get(name)!.template));
      }
      fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ artifacts }));
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      // aws cloudformation get-template --stack-name S --template-stage Original --query TemplateBody --output json
      fs.writeFileSync(path.join(bin, 'aws'), [
        '#!/usr/bin/env bash',
        `file="${base}/$4.template.json"`,
        'if [ "$1 $2" = "cloudformation describe-stacks" ]; then [ -f "$file" ] && echo True && exit 0; exit 254; fi',
        `[ "$1 $2" = "cloudformation get-template" ] || { echo "unexpected aws $*" >&2; exit 9; }`,
        '[ -f "$file" ] || { echo "An error occurred (ValidationError) when calling the GetTemplate operation: Stack with id $4 does not exist" >&2; exit 254; }',
        'cat "$file"',
      ].join('\n'), { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'npm'), [
        '#!/usr/bin/env bash',
        '[ "$1 $2 $3 $4" = "run --silent impact --" ] || { echo "unexpected npm $*" >&2; exit 9; }',
        'shift 4',
        `exec "${ROOT}/node_modules/.bin/tsx" "${ROOT}/scripts/impact.ts" "$@"`,
      ].join('\n'), { mode: 0o755 });
      fs.symlinkSync(path.join(ROOT, 'scripts'), path.join(dir, 'scripts'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const runGate = (override: string) => {
      const summary = path.join(dir, `summary-${override ? 'override' : 'plain'}.md`);
      const result = spawnSync('bash', ['-c', job.steps[gate]!.run!], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, OVERRIDE: override, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTOR: 'oncall', GITHUB_RUN_ID: '42' },
      });
      return { status: result.status, output: result.stdout + result.stderr, summary: fs.readFileSync(summary, 'utf8') };
    };

    it('refuses the change (exit 3) and says why in the summary', () => {
      const { status, summary, output } = runGate('');
      expect(status, output).toBe(3);
      expect(summary).toContain('### deploy gate: production');
      expect(summary).toContain('deploy gate: 4 reason(s) to refuse this change in production without a reviewed override:');
      expect(summary).toContain('both nodes of Redis monsaas-production-redis shard 0 (a, b) go down in one deploy');
      expect(summary).toMatch(/CREATED .*monsaas-production-edge-health/);
      // What fetch-deployed.sh read: the deployed stacks and their termination protection.
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'deployed/stacks.json'), 'utf8'))['monsaas-production-data']).toEqual({ terminationProtection: true });
      expect(fs.existsSync(path.join(dir, 'deployed/monsaas-production-edge-health.template.json'))).toBe(false);
    });

    it('lets it through with a reviewed override, recorded with who ran it', () => {
      const { status, summary } = runGate('Reviewed in #812: maintenance window, shards drained one by one');
      expect(status).toBe(0);
      expect(summary).toContain('Override by oncall (run 42):');
      expect(summary).toContain('Reviewed in #812: maintenance window, shards drained one by one');
      expect(summary).toContain('deploy gate overridden: Reviewed in #812');
    });
  });
});
