/**
 * Planned switchover of one Redis shard: the master hands over to its standby with no acknowledged
 * write lost (the failover agents' protocol: clean keepalived stop, promotion, proof, journal merge).
 *   npm run redis:switchover -- --env production --shard 0 [--dry-run]
 * Runs the node's rendered /usr/local/libexec/monsaas/redis-switchover through SSM Run Command on node a;
 * if a is not the master, on node b. Prints the script's JSON result and the total time.
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { environments } from '../config';
import { exitOnConfigError } from '../lib/config-schema/cli';
import { ConfigError, validateEnvConfig } from '../lib/config-schema/load';
import { NODE_PATHS } from '../lib/host-config/redis/paths';
import { shardTopology } from '../lib/model/redis-topology';
import { parseCli } from './lib/cli';

interface SwitchoverResult { switchover: 'done' | 'refused'; ms?: number; newMaster?: string; reason?: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runOnNode(ssm: SSMClient, instanceId: string): Promise<SwitchoverResult> {
  const sent = await ssm.send(new SendCommandCommand({
    InstanceIds: [instanceId], DocumentName: 'AWS-RunShellScript', Comment: 'planned Redis switchover (npm run redis:switchover)',
    Parameters: { commands: [NODE_PATHS.switchoverScript] }, TimeoutSeconds: 120,
  }));
  const commandId = sent.Command?.CommandId;
  if (!commandId) throw new Error(`SSM did not accept the command for ${instanceId}`);
  for (let waited = 0; waited < 120_000; waited += 1000) {
    await sleep(1000);
    const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })).catch(() => undefined);
    if (!invocation || ['Pending', 'InProgress', 'Delayed'].includes(invocation.Status ?? '')) continue;
    const last = (invocation.StandardOutputContent ?? '').trim().split('\n').pop() ?? '';
    try { return JSON.parse(last) as SwitchoverResult; } catch {
      throw new Error(`${instanceId}: ${invocation.Status}: ${(invocation.StandardErrorContent ?? last).trim().split('\n').pop()}`);
    }
  }
  throw new Error(`${instanceId}: the switchover did not finish within 120 s (see SSM command ${commandId})`);
}

interface Plan { readonly region: string; readonly index: number; readonly names: string[] }

function plan(): Plan | undefined {
  let result: Plan | undefined;
  exitOnConfigError(() => {
  const { values } = parseCli({
    command: 'npm run redis:switchover --',
    usage: [
      '--env NAME --shard N [--dry-run]',
      '--env NAME   environment (a file in config/)',
      '--shard N    shard index (0 ...)',
      '--dry-run    print what would run, call nothing',
    ],
    options: { env: { type: 'string' }, shard: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const name = values.env;
  if (!name || !(name in environments)) throw new ConfigError(`--env: name one environment (${Object.keys(environments).join(', ')})`);
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  const shards = shardTopology(config);
  const index = Number(values.shard);
  const shard = shards.find((s) => s.index === index);
  if (values.shard === undefined || !Number.isInteger(index) || !shard) throw new ConfigError(`--shard: name a shard of ${name} (0-${shards.length - 1})`);
  const names = shard.nodes.map((node) => `${config.name}-${node.name}`);
  if (values['dry-run']) {
    console.log(JSON.stringify({ env: name, shard: index, region: config.region, nodes: names, runs: NODE_PATHS.switchoverScript, via: 'SSM AWS-RunShellScript, on the node that is master' }));
    return;
  }
  result = { region: config.region, index, names };
  });
  return result;
}

async function switchover({ region, index, names }: Plan): Promise<void> {
  const ec2 = new EC2Client({ region });
  const ssm = new SSMClient({ region });
  const { Reservations = [] } = await ec2.send(new DescribeInstancesCommand({
    Filters: [{ Name: 'tag:Name', Values: names }, { Name: 'instance-state-name', Values: ['running'] }],
  }));
  const byName = new Map(Reservations.flatMap((r) => r.Instances ?? []).map((i) => [i.Tags?.find((t) => t.Key === 'Name')?.Value, i.InstanceId]));
  const started = Date.now();
  for (const nodeName of names) {
    const instanceId = byName.get(nodeName);
    if (!instanceId) throw new Error(`${nodeName}: no running instance`);
    const result = await runOnNode(ssm, instanceId);
    if (result.switchover === 'refused' && /not the master|does not hold the VIP/.test(result.reason ?? '')) continue;
    console.log(JSON.stringify({ shard: index, from: nodeName, ...result, totalMs: Date.now() - started }));
    if (result.switchover !== 'done') process.exitCode = 1;
    return;
  }
  throw new Error(`shard ${index}: neither node is the master holding the VIP (see docs/runbooks/redis-failover.md#look-at-a-shard)`);
}

const chosen = plan();
if (chosen) {
  switchover(chosen).catch((error: unknown) => {
    console.error(`redis:switchover: ${(error as Error).message.split('\n')[0]}`);
    process.exit(1);
  });
}
