/**
 * `npm run impact -- --env NAME [--base DIR] [--current DIR] [--synth] [--json] [--gate [--override TEXT]]`:
 * what deploying the current synthesis over the base would do, one line per resource change, and
 * whether the production deploy gate would refuse it. See docs/change-safety.md.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { environments } from '../config';
import { readStacks } from './impact/assembly';
import { classifyChanges } from './impact/classify';
import { formatReport } from './impact/format';
import { gateViolations } from './impact/gate';
import { parseCli } from './lib/cli';

const ROOT = path.resolve(__dirname, '..');
const COMMAND = 'npm run impact --';

function fail(message: string): never {
  console.error(`${COMMAND}: ${message}`);
  process.exit(2);
}

/** Synthesizes one environment into `outdir` the way the CDK CLI runs bin/app.ts, saying so every 5 s. */
async function synthesize(environment: string, outdir: string): Promise<void> {
  // What the CDK CLI adds to cdk.json's context, so the templates match `cdk synth` and `cdk deploy`.
  const cliContext = {
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:version-reporting': true,
    'aws:cdk:bundling-stacks': ['**'],
  };
  const context = { ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context, ...cliContext, env: environment };
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  console.error(`impact: synthesizing ${environment} into ${outdir}`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/app.ts')], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: path.resolve(outdir), CDK_CONTEXT_JSON: JSON.stringify(context) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const ticker = setInterval(() => console.error(`impact: still synthesizing (${seconds()} s)`), 5000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(ticker);
  if (code !== 0) fail(`synthesis of ${environment} failed (exit ${code}); see the message above`);
  console.error(`impact: synthesized ${environment} in ${seconds()} s`);
}

async function main(): Promise<void> {
  const { values } = parseCli({
    command: COMMAND,
    usage: [
      '--env NAME [--base DIR] [--current DIR] [--synth] [--json] [--gate [--override TEXT]]',
      '--env NAME       environment to compare (a file in config/)',
      '--base DIR       what is deployed: a previous cdk.out, or <stack>.template.json files (default cdk.out.base)',
      '--current DIR    the synthesis to deploy (default cdk.out; synthesized there when it lacks the environment)',
      '--synth          synthesize the environment into --current first, even if it is there',
      '--json           print {environment, findings, violations, override} as JSON instead of lines',
      '--gate           exit 3 when the production deploy gate refuses the change',
      '--override TEXT  reviewed reason to deploy despite the gate (recorded in the report; exit 0)',
    ],
    options: {
      env: { type: 'string' },
      base: { type: 'string' },
      current: { type: 'string' },
      synth: { type: 'boolean' },
      json: { type: 'boolean' },
      gate: { type: 'boolean' },
      override: { type: 'string' },
    },
  });
  const environment = values.env;
  if (!environment || !(environment in environments)) fail(`--env: name one environment (${Object.keys(environments).join(', ')})`);
  if (values.override !== undefined && (!values.gate || values.override.trim() === '')) fail('--override needs --gate and a non-empty reason');
  const baseDir = values.base ?? 'cdk.out.base';
  if (!fs.existsSync(baseDir)) fail(`--base: ${baseDir} does not exist; pass a previous cdk.out or a directory of <stack>.template.json files`);
  const currentDir = values.current ?? 'cdk.out';
  if (values.synth || !fs.existsSync(currentDir) || readStacks(currentDir, environment).size === 0) await synthesize(environment, currentDir);

  const current = readStacks(currentDir, environment);
  if (current.size === 0) fail(`--current: ${currentDir} holds no stack of ${environment}`);
  const findings = classifyChanges(readStacks(baseDir, environment), current);
  const violations = gateViolations(findings);
  const override = values.override?.trim();
  if (values.json) {
    console.log(JSON.stringify({ environment, findings, violations, override: override ?? null }, null, 2));
  } else {
    console.log(formatReport(environment, findings, violations));
    if (override && violations.length > 0) console.log(`deploy gate overridden: ${override}`);
  }
  if (values.gate && violations.length > 0 && !override) process.exit(3);
}

void main();
