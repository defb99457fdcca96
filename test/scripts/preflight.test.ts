import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { environments } from '../../config';
import { validateEnvConfig } from '../../lib/config-schema/load';
import type { EnvConfig } from '../../lib/config-schema/schema';
import { preflightClients } from '../../scripts/preflight/clients';
import { certificateCovers, formatResult, runPreflight } from '../../scripts/preflight/checks';
import { preflightRequirements } from '../../scripts/preflight/requirements';
import { LOCAL_CREDENTIALS } from '../support/aws-local';
import { AwsAccountStandIn, type AccountState } from './aws-account-stand-in';

const ROOT = path.resolve(__dirname, '../..');

/** An account where everything `config` needs is in place (every check passes). */
function readyAccount(config: EnvConfig): AccountState {
  const r = preflightRequirements(config);
  const toolkit = { status: 'UPDATE_COMPLETE', parameters: { Qualifier: config.ci.bootstrapQualifier }, outputs: { BootstrapVersion: '28' } };
  return {
    account: config.account,
    certificates: { [r.certificate!.arn]: { status: 'ISSUED', domainName: `*.${config.edge.domainName}`, sans: [] } },
    hostedZones: r.hostedZone ? { [r.hostedZone.id]: { name: r.hostedZone.domain } } : {},
    images: { [config.redis.ami.id]: { state: 'available', architecture: config.redis.ami.architecture, name: config.redis.ami.name } },
    parameters: Object.fromEntries(r.parameters.map((p) => [p.name, p.secure ? 'SecureString' : 'String'])),
    secrets: [],
    stacks: Object.fromEntries(r.bootstrap.regions.map((region) => [region, { CDKToolkit: structuredClone(toolkit) }])),
    availabilityZones: { 'ap-northeast-1a': 'available', 'ap-northeast-1c': 'available', 'ap-northeast-1d': 'available' },
    offerings: Object.fromEntries(r.instanceTypes.map((t) => [t.type, ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']])),
    quotas: { 'vpc/L-F678F1CE': 5, 'vpc/L-FE5A380F': 5, 'ec2/L-0263D0A3': 5 },
    vpcs: 1,
    addresses: 0,
    natGateways: [],
    kinesis: { shardLimit: 200, openShards: 0 },
  };
}

const production = validateEnvConfig('production.ts', environments.production);
const staging = validateEnvConfig('staging.ts', environments.staging);

describe('preflight against a stand-in account', () => {
  let standIn: AwsAccountStandIn;
  let endpoint: string;
  beforeAll(async () => {
    standIn = new AwsAccountStandIn(readyAccount(production));
    endpoint = await standIn.start();
  });
  afterAll(() => standIn.stop());
  beforeEach(() => {
    Object.assign(standIn.state, readyAccount(production));
    standIn.calls.length = 0;
  });

  const run = async (config = production) => {
    const clients = preflightClients(config.region, { endpoint, credentials: LOCAL_CREDENTIALS });
    return (await runPreflight(clients, preflightRequirements(config))).map(formatResult);
  };

  it('passes every check of a ready account, one line each', async () => {
    const lines = await run();
    expect(lines).toEqual([
      'PASS bootstrap ap-northeast-1: CDKToolkit version 28 (>= 8), qualifier hnb659fds',
      'PASS bootstrap us-east-1: CDKToolkit version 28 (>= 8), qualifier hnb659fds',
      `PASS certificate: ${production.edge.certificateArn} is ISSUED and covers api.monsaas.example.com, app.monsaas.example.com`,
      'PASS hosted zone: Z0PRODUCTIONZONE00001 is the public zone of monsaas.example.com',
      'PASS redis image: ami-0a3c14e1ddbe7f23c (al2023-ami-2023.9.20251110.1-kernel-6.1-arm64) is available, arm64',
      'PASS SSM parameter /monsaas/production/log-metrics/api-key: exists (SecureString), read by batch.logMetrics (API key)',
      'PASS SSM parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64: exists, read by resolvers (image)',
      'PASS secrets: the stacks read no secret they do not create themselves',
      'PASS availability zones: ap-northeast-1a, ap-northeast-1c, ap-northeast-1d available',
      'PASS instance type r7g.large: offered in ap-northeast-1a, ap-northeast-1c, ap-northeast-1d (redis)',
      'PASS instance type t4g.small: offered in ap-northeast-1a, ap-northeast-1c, ap-northeast-1d (resolvers)',
      'PASS quota VPCs: 1 used + 1 new <= 5',
      'PASS quota Elastic IPs: 0 used + 3 new <= 5',
      'PASS quota NAT gateways: per AZ: at most 0 used + 1 new <= 5',
      'PASS quota Kinesis shards: 0 open + 8 new <= 200',
    ]);
    // The bootstrap stack is asked for in each region the app deploys to.
    expect(standIn.calls).toEqual(expect.arrayContaining(['cloudformation:DescribeStacks@ap-northeast-1', 'cloudformation:DescribeStacks@us-east-1']));
  });

  const arn = production.edge.certificateArn!;
  it.each<[string, (s: AccountState) => void, string]>([
    ['certificate pending validation', (s) => { s.certificates[arn]!.status = 'PENDING_VALIDATION'; },
      `FAIL certificate: ${arn} is PENDING_VALIDATION, not ISSUED; complete its DNS validation (docs/first-deploy.md step 2)`],
    ['certificate not covering the names', (s) => { s.certificates[arn]!.domainName = 'www.monsaas.example.com'; },
      `FAIL certificate: ${arn} does not cover api.monsaas.example.com, app.monsaas.example.com (it covers www.monsaas.example.com, www.monsaas.example.com); request one for api.monsaas.example.com, app.monsaas.example.com and set edge.certificateArn`],
    ['certificate missing', (s) => { delete s.certificates[arn]; },
      `FAIL certificate: ${arn}: ResourceNotFoundException: Could not find certificate ${arn}.; request the certificate in ap-northeast-1 of account 222222222222 and set edge.certificateArn`],
    ['hosted zone missing', (s) => { s.hostedZones = {}; },
      'FAIL hosted zone: Z0PRODUCTIONZONE00001: NoSuchHostedZone: No hosted zone found with ID: Z0PRODUCTIONZONE00001; create the public hosted zone of monsaas.example.com (or fix edge.hostedZoneId)'],
    ['hosted zone of another domain', (s) => { s.hostedZones.Z0PRODUCTIONZONE00001!.name = 'example.com'; },
      'FAIL hosted zone: Z0PRODUCTIONZONE00001 is the zone of example.com, not monsaas.example.com; set edge.hostedZoneId to the zone of monsaas.example.com'],
    ['private hosted zone', (s) => { s.hostedZones.Z0PRODUCTIONZONE00001!.private = true; },
      'FAIL hosted zone: Z0PRODUCTIONZONE00001 (monsaas.example.com) is a private zone; the public names need the public zone of monsaas.example.com'],
    ['AMI missing in the region', (s) => { s.images = {}; },
      'FAIL redis image: ami-0a3c14e1ddbe7f23c: InvalidAMIID.NotFound: The image id \'[ami-0a3c14e1ddbe7f23c]\' does not exist; set redis.ami.id to an AMI of ap-northeast-1'],
    ['AMI of the other architecture', (s) => { s.images['ami-0a3c14e1ddbe7f23c']!.architecture = 'x86_64'; },
      'FAIL redis image: ami-0a3c14e1ddbe7f23c is x86_64 but redis.ami.architecture is arm64; fix the architecture or the id'],
    ['SSM API key missing', (s) => { delete s.parameters['/monsaas/production/log-metrics/api-key']; },
      'FAIL SSM parameter /monsaas/production/log-metrics/api-key: ParameterNotFound (batch.logMetrics (API key)); create it: aws ssm put-parameter --type SecureString --name /monsaas/production/log-metrics/api-key --value ...'],
    ['SSM API key stored as plain text', (s) => { s.parameters['/monsaas/production/log-metrics/api-key'] = 'String'; },
      'FAIL SSM parameter /monsaas/production/log-metrics/api-key: is a String, not a SecureString (batch.logMetrics (API key)); re-create it: aws ssm put-parameter --type SecureString --name /monsaas/production/log-metrics/api-key --value ...'],
    ['no bootstrap in us-east-1', (s) => { delete s.stacks['us-east-1']; },
      'FAIL bootstrap us-east-1: ValidationError: Stack with id CDKToolkit does not exist; run npx cdk bootstrap aws://222222222222/us-east-1 --qualifier hnb659fds'],
    ['bootstrap too old', (s) => { s.stacks['ap-northeast-1']!.CDKToolkit!.outputs = { BootstrapVersion: '6' }; },
      'FAIL bootstrap ap-northeast-1: CDKToolkit is version 6, below 8; upgrade with npx cdk bootstrap aws://222222222222/ap-northeast-1 --qualifier hnb659fds'],
    ['bootstrap with another qualifier', (s) => { s.stacks['ap-northeast-1']!.CDKToolkit!.parameters = { Qualifier: 'other' }; },
      'FAIL bootstrap ap-northeast-1: CDKToolkit has qualifier other, config says hnb659fds; set ci.bootstrapQualifier or run npx cdk bootstrap aws://222222222222/ap-northeast-1 --qualifier hnb659fds'],
    ['bootstrap rolled back', (s) => { s.stacks['ap-northeast-1']!.CDKToolkit!.status = 'UPDATE_ROLLBACK_COMPLETE'; },
      'FAIL bootstrap ap-northeast-1: CDKToolkit is UPDATE_ROLLBACK_COMPLETE; repair it with npx cdk bootstrap aws://222222222222/ap-northeast-1 --qualifier hnb659fds'],
    ['AZ not offered to the account', (s) => { delete s.availabilityZones['ap-northeast-1d']; },
      'FAIL availability zones: ap-northeast-1d not available to this account; use ap-northeast-1a, ap-northeast-1c in availabilityZones'],
    ['instance type not offered in an AZ', (s) => { s.offerings['r7g.large'] = ['ap-northeast-1a', 'ap-northeast-1c']; },
      'FAIL instance type r7g.large: not offered in ap-northeast-1d (redis); pick a type offered in every configured AZ or other AZs'],
    ['VPC quota used up', (s) => { s.vpcs = 5; },
      'FAIL quota VPCs: 5 used + 1 new exceeds 5; raise the VPCs per Region quota to at least 6 (aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6) or free some'],
    ['Elastic IPs short for the NAT gateways', (s) => { s.addresses = 3; },
      'FAIL quota Elastic IPs: 3 used + 3 new (one per NAT gateway) exceeds 5; raise the EC2-VPC Elastic IPs quota to at least 6 (aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-0263D0A3 --desired-value 6) or free some'],
    ['NAT gateways per AZ used up', (s) => { s.quotas['vpc/L-FE5A380F'] = 1; s.natGateways = [{ subnetId: 'subnet-1', az: 'ap-northeast-1c' }]; },
      'FAIL quota NAT gateways: ap-northeast-1c already hold 1 NAT gateway(s); raise the NAT gateways per Availability Zone quota to at least 2 (aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-FE5A380F --desired-value 2) or free some'],
    ['Kinesis shards used up', (s) => { s.kinesis.openShards = 195; },
      'FAIL quota Kinesis shards: 195 open + 8 new exceeds 200; raise the Kinesis shard quota to at least 203 or lower tsdb.stream.shardCount'],
  ])('%s fails with its own line and fix', async (_name, mutate, expected) => {
    mutate(standIn.state);
    const lines = await run();
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([expected]);
  });

  it('names the account when the credentials reach another one', async () => {
    standIn.state.account = '333333333333';
    expect((await run()).filter((l) => l.startsWith('FAIL'))).toEqual(['ap-northeast-1', 'us-east-1'].map((region) =>
      `FAIL bootstrap ${region}: these credentials reach account 333333333333, not 222222222222; use credentials of account 222222222222`));
  });

  it('checks the relaunch image too while a role is being relaunched', async () => {
    const relaunching = { ...production, redis: { ...production.redis, relaunch: { role: 'b' as const, stage: 'launch' as const, ami: { id: 'ami-0123456789abcdef0', architecture: 'arm64' as const, name: 'al2023-next' } } } };
    const lines = await run(relaunching);
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([
      'FAIL redis image (redis.relaunch.ami): ami-0123456789abcdef0: InvalidAMIID.NotFound: The image id \'[ami-0123456789abcdef0]\' does not exist; set redis.relaunch.ami.id to an AMI of ap-northeast-1',
    ]);
    standIn.state.images['ami-0123456789abcdef0'] = { state: 'available', architecture: 'arm64', name: 'al2023-next' };
    expect(await run(relaunching)).toContain('PASS redis image (redis.relaunch.ami): ami-0123456789abcdef0 (al2023-next) is available, arm64');
  });

  it('counts no new network quota once the network stack is deployed', async () => {
    standIn.state.vpcs = 5;
    standIn.state.stacks['ap-northeast-1']!['monsaas-production-network'] = { status: 'UPDATE_COMPLETE' };
    expect(await run()).toContain('PASS quota VPC/NAT/EIP: monsaas-production-network is deployed: its VPC, NAT gateways and Elastic IPs exist already');
  });

  it('needs no shard quota for an on-demand stream', async () => {
    standIn.state.kinesis.openShards = 500;
    expect(await run(staging)).toContain('PASS quota Kinesis shards: the stream is on demand: no shard quota applies');
  });

  it('matches wildcard certificates one label deep', () => {
    expect(certificateCovers(['*.example.com'], 'api.example.com')).toBe(true);
    expect(certificateCovers(['*.example.com'], 'a.b.example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], 'example.com')).toBe(false);
    expect(certificateCovers(['api.example.com'], 'api.example.com')).toBe(true);
  });

  const cli = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npx', ['tsx', 'scripts/preflight.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

  it('npm run preflight prints one line per check and exits 0 when all pass, 1 on any failure', async () => {
    const ok = await cli(['--env', 'production']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(16);
    expect(ok.stdout).toContain('preflight production: all 15 checks passed');
    standIn.state.images = {};
    const failed = await cli(['--env', 'production']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL redis image: /m);
    expect(failed.stdout).toContain('preflight production: 1 of 15 checks failed');
  }, 60_000);

  it('rejects a missing or unknown --env in one line', async () => {
    const none = await cli([]);
    expect([none.code, none.stderr.trim()]).toEqual([1, 'Invalid configuration: preflight: --env NAME is required; usage: npm run preflight -- --env NAME']);
    const flag = await cli(['--envv', 'staging']);
    expect([flag.code, flag.stderr.trim()]).toEqual([2, "npm run preflight --: Unknown option '--envv'; see --help"]);
    const unknown = await cli(['--env', 'qa']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'Invalid configuration: preflight: --env qa: no such environment; use one of staging, production']);
  }, 60_000);
});
