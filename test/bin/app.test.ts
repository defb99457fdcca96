import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CLI_TRAILER = /^node --import tsx bin\/app\.ts: Subprocess exited with error 1$/;

/** A temp copy of config/ with `edit` applied to each file's text (by file name). */
function configCopy(edits: Record<string, (text: string) => string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-cli-config-'));
  for (const file of ['staging.ts', 'production.ts']) {
    const text = fs.readFileSync(path.join(ROOT, 'config', file), 'utf8');
    fs.writeFileSync(path.join(dir, file), (edits[file] ?? ((t) => t))(text));
  }
  return dir;
}

/** Runs the real CDK CLI (`npx cdk synth`) and returns the app's stderr lines without the CLI's own trailer. */
function synth(args: string[]): { status: number | null; lines: string[]; stdout: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'monsaas-cli-out-'));
  try {
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', out, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '' && !CLI_TRAILER.test(line));
    return { status: result.status, lines, stdout: result.stdout };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe('cdk synth through the real CLI prints one line per mistake, never a stack trace', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const copy = (edits: Record<string, (text: string) => string>) => {
    const dir = configCopy(edits);
    dirs.push(dir);
    return dir;
  };

  it.each([
    ['a typo in an optional nested key', 'production', { 'production.ts': (t: string) => t.replace('hostedZoneId:', 'hostedZoneID:') },
      'Invalid configuration: config/production.ts: edge.hostedZoneID: is not a field (did you mean "hostedZoneId"?); rename it'],
    ['a VPC too small for the subnet plan', 'staging', { 'staging.ts': (t: string) => t.replace("vpcCidr: '10.20.0.0/16'", "vpcCidr: '10.20.0.0/24'") },
      'Invalid configuration: config/staging.ts: network.vpcCidr: 10.20.0.0/24 is too small for the subnet plan (public /24, private /20 and data /24 in each of 2 AZs); use a /17 or larger, e.g. a /16'],
    ['more shards than the alarms can compare', 'staging', { 'staging.ts': (t: string) => t.replace('shardCount: 2,', 'shardCount: 11,') },
      'Invalid configuration: config/staging.ts: redis.shardCount: must be at most 10: the shard-balance alarm compares all shards in one CloudWatch metric-math expression, which takes at most 10 metrics; use larger instance types instead'],
    // production's file throws, yet staging is still read and reports its own mistake.
    ['a throwing file beside the chosen environment', 'staging', {
      'production.ts': (t: string) => `throw new Error('half-edited');\n${t}`,
      'staging.ts': (t: string) => t.replace("timezone: 'Asia/Tokyo'", "timezone: 'Asia/Tokio'"),
    }, 'Invalid configuration: config/staging.ts: batch.timezone: "Asia/Tokio" is not an IANA time zone (did you mean "Asia/Tokyo"?); use a name such as "Asia/Tokyo" or "UTC"'],
    ['the throwing file itself', 'production', { 'production.ts': (t: string) => `throw new Error('half-edited');\n${t}` },
      'Invalid configuration: config/production.ts: the file throws while loading (half-edited); fix it (npx tsx config/production.ts shows where)'],
  ])('%s', (_name, env, edits, expected) => {
    const result = synth(['-c', `env=${env}`, '-c', `configDir=${copy(edits)}`]);
    expect(result.status).toBe(1);
    expect(result.lines).toEqual([expected]);
  });

  it.each([
    [['-c', 'env=staging', '-c', 'imageTag=bad tag'], 'Invalid configuration: -c imageTag=bad tag: is not a Docker image tag (1-128 letters, digits, "_", "." or "-", not starting with "." or "-"); pass e.g. -c imageTag=$(git rev-parse --short=12 HEAD)'],
    [['-c', 'env=staging', '-c', 'imagetag=abc'], 'Invalid configuration: -c imagetag: is not a context key of this app (did you mean "imageTag"?); it reads -c env=NAME, -c imageTag=TAG and -c configDir=DIR'],
  ])('flags %j', (args, expected) => {
    const result = synth(args);
    expect(result.status).toBe(1);
    expect(result.lines).toEqual([expected]);
  });
});
