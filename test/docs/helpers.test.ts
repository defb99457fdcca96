import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environments } from '../../config';
import { validateEnvConfig } from '../../lib/config-schema/load';
import { shardTopology } from '../../lib/model/redis-topology';
import { STACK_PARTS, stackNameOf, type StackPart } from '../../lib/platform/stack-parts';
import { ENVIRONMENTS, template } from '../support/platform';
import { ROOT } from './markdown';

const FAKE_AWS = path.join(__dirname, 'fake-aws');
let dir: string;

/** Runs bash with docs/runbooks/helpers.sh sourced, the fake AWS CLI first on PATH, in environment `env`. */
function helpers(env: string | undefined, script: string, input?: string) {
  const result = spawnSync('bash', ['-c', `source docs/runbooks/helpers.sh && ${script}`], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: {
      PATH: `${FAKE_AWS}:${process.env.PATH}`,
      ...(env ? { ENV: env } : {}),
      FAKE_AWS_STACKS: path.join(dir, 'stacks.json'),
      FAKE_AWS_LOG: path.join(dir, 'calls.log'),
      FAKE_AWS_STATE: path.join(dir, 'ssm.json'),
    },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}
const calls = () => fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-helpers-'));
  const stacks = Object.fromEntries(ENVIRONMENTS.flatMap((env) => (Object.keys(STACK_PARTS) as StackPart[])
    .map((part) => [stackNameOf(env, part), template(env, part).toJSON()])));
  fs.writeFileSync(path.join(dir, 'stacks.json'), JSON.stringify(stacks));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(ENVIRONMENTS)('docs/runbooks/helpers.sh against %s\'s stacks (AWS CLI stand-in)', (env) => {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  const logicalId = (part: StackPart, type: string, prefix: string) => Object.entries(template(env, part).toJSON().Resources as Record<string, { Type: string }>)
    .filter(([id, r]) => r.Type === type && id.startsWith(prefix)).map(([id]) => id);

  it('resource PART PREFIX TYPE prints the one matching resource of monsaas-$ENV-PART', () => {
    const [writer] = logicalId('tsdb', 'AWS::Lambda::Function', 'WriterHandlerFunction');
    expect(helpers(env, 'resource tsdb WriterHandlerFunction AWS::Lambda::Function')).toMatchObject({ status: 0, stdout: `phys-${writer}` });
    expect(calls().at(-1)).toEqual(expect.arrayContaining(['list-stack-resources', '--stack-name', `monsaas-${env}-tsdb`]));
  });

  it('resource fails, saying why, when nothing or more than one resource matches', () => {
    const none = helpers(env, 'resource tsdb NoSuchThing AWS::Lambda::Function');
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('expected one match');
    // Every Lambda job of the batch stack matches the empty prefix.
    expect(helpers(env, "resource batch '' AWS::Lambda::Function").status).toBe(1);
  });

  it('redis_shards and redis_node find every shard and node the deployed stack has', () => {
    const shards = shardTopology(config);
    expect(helpers(env, 'redis_shards').stdout.split('\n')).toEqual(shards.map((s) => String(s.index)));
    const last = shards.at(-1)!;
    const [instance] = logicalId('redis', 'AWS::EC2::Instance', `Shard${last.index}NodeBInstance`);
    expect(helpers(env, `redis_node ${last.index} b`)).toMatchObject({ status: 0, stdout: `phys-${instance}` });
  });

  it('resolver_instances lists every resolver of the DNS stack', () => {
    expect(helpers(env, 'resolver_instances').stdout.split('\n')).toHaveLength(config.resolvers.count);
  });

  it('on_host runs the heredoc on the instance through SSM with its arguments intact', () => {
    const out = helpers(env, `on_host i-0abc "two words" 'a$b "q"' <<'REDIS'
printf '<%s|%s>\\n' "$1" "$2"
REDIS`);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Success');
    expect(out.stdout).toContain('<two words|a$b "q">');
    const send = calls().find((argv) => argv[1] === 'send-command')!;
    expect(send).toEqual(expect.arrayContaining(['--instance-ids', 'i-0abc', '--document-name', 'AWS-RunShellScript']));
  });
});

it('refuses to start without ENV, naming what to set', () => {
  const out = helpers(undefined, 'true');
  expect(out.status).not.toBe(0);
  expect(out.stderr).toContain('set ENV to staging or production first');
});
