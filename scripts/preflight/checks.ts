import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import {
  DescribeAddressesCommand, DescribeAvailabilityZonesCommand, DescribeImagesCommand, DescribeInstanceTypeOfferingsCommand,
  DescribeNatGatewaysCommand, DescribeSubnetsCommand, DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeLimitsCommand } from '@aws-sdk/client-kinesis';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { PreflightClients } from './clients';
import type { PreflightRequirements } from './requirements';

export interface CheckResult {
  readonly check: string;
  readonly ok: boolean;
  /** What was found (pass) or what is wrong and how to fix it (fail). */
  readonly detail: string;
}

const pass = (check: string, detail: string): CheckResult => ({ check, ok: true, detail });
const fail = (check: string, detail: string): CheckResult => ({ check, ok: false, detail });
const errorName = (error: unknown) => (error as { name?: string }).name ?? 'Error';
/** "Name: message", or the name alone when AWS sends no message (SSM's ParameterNotFound). */
function errorText(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return !message || message === 'UnknownError' || message === errorName(error) ? errorName(error) : `${errorName(error)}: ${message}`;
}

/** A wildcard certificate name covers exactly one label. */
export function certificateCovers(certNames: readonly string[], name: string): boolean {
  return certNames.some((c) => c === name || (c.startsWith('*.') && name.endsWith(c.slice(1)) && !name.slice(0, -c.length + 1).includes('.')));
}

export async function checkCertificate(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult> {
  const check = 'certificate';
  if (!r.certificate) return pass(check, 'none configured (no TLS listener needs one)');
  try {
    const { Certificate: cert } = await c.acm.send(new DescribeCertificateCommand({ CertificateArn: r.certificate.arn }));
    const names = [cert?.DomainName ?? '', ...(cert?.SubjectAlternativeNames ?? [])];
    if (cert?.Status !== 'ISSUED') {
      return fail(check, `${r.certificate.arn} is ${cert?.Status ?? 'in no state'}, not ISSUED; complete its DNS validation (docs/first-deploy.md step 2)`);
    }
    const missing = r.certificate.names.filter((n) => !certificateCovers(names, n));
    if (missing.length > 0) return fail(check, `${r.certificate.arn} does not cover ${missing.join(', ')} (it covers ${names.join(', ')}); request one for ${r.certificate.names.join(', ')} and set edge.certificateArn`);
    return pass(check, `${r.certificate.arn} is ISSUED and covers ${r.certificate.names.join(', ')}`);
  } catch (error) {
    return fail(check, `${r.certificate.arn}: ${errorText(error)}; request the certificate in ${r.region} of account ${r.account} and set edge.certificateArn`);
  }
}

export async function checkHostedZone(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult> {
  const check = 'hosted zone';
  if (!r.hostedZone) return pass(check, 'none configured (edge.hostedZoneId unset: DNS records are managed elsewhere)');
  const { id, domain } = r.hostedZone;
  try {
    const { HostedZone: zone } = await c.route53.send(new GetHostedZoneCommand({ Id: id }));
    const name = (zone?.Name ?? '').replace(/\.$/, '');
    if (name !== domain) return fail(check, `${id} is the zone of ${name}, not ${domain}; set edge.hostedZoneId to the zone of ${domain}`);
    if (zone?.Config?.PrivateZone) return fail(check, `${id} (${name}) is a private zone; the public names need the public zone of ${domain}`);
    return pass(check, `${id} is the public zone of ${domain}`);
  } catch (error) {
    return fail(check, `${id}: ${errorText(error)}; create the public hosted zone of ${domain} (or fix edge.hostedZoneId)`);
  }
}

export async function checkImages(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  return Promise.all(r.images.map(async ({ id, architecture, name, field }) => {
    const check = field === 'redis.ami' ? 'redis image' : `redis image (${field})`;
    try {
      const { Images: images = [] } = await c.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }));
      const image = images[0];
      if (!image) return fail(check, `${id} does not exist in ${r.region}; copy ${name} to ${r.region} or set ${field}.id to its id there`);
      if (image.State !== 'available') return fail(check, `${id} is ${image.State}; wait for it to be available or pick another image`);
      if (image.Architecture !== architecture) return fail(check, `${id} is ${image.Architecture} but ${field}.architecture is ${architecture}; fix the architecture or the id`);
      return pass(check, `${id} (${image.Name ?? name}) is available, ${architecture}`);
    } catch (error) {
      return fail(check, `${id}: ${errorText(error)}; set ${field}.id to an AMI of ${r.region}`);
    }
  }));
}

export async function checkParameters(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  return Promise.all(r.parameters.map(async ({ name, secure, usedBy }) => {
    const check = `SSM parameter ${name}`;
    try {
      // No decryption: the lookup role may not decrypt, and existence and type are what matter here.
      const { Parameter: p } = await c.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
      if (secure && p?.Type !== 'SecureString') return fail(check, `is a ${p?.Type}, not a SecureString (${usedBy}); re-create it: aws ssm put-parameter --type SecureString --name ${name} --value ...`);
      return pass(check, `exists${secure ? ' (SecureString)' : ''}, read by ${usedBy}`);
    } catch (error) {
      const fix = secure ? `aws ssm put-parameter --type SecureString --name ${name} --value ...` : `it is an AWS public parameter: check the region ${r.region}`;
      return fail(check, `${errorText(error)} (${usedBy}); create it: ${fix}`);
    }
  }));
}

export async function checkSecrets(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  if (r.secrets.length === 0) return [pass('secrets', 'the stacks read no secret they do not create themselves')];
  return Promise.all(r.secrets.map(async ({ id, usedBy }) => {
    try {
      await c.secrets.send(new DescribeSecretCommand({ SecretId: id }));
      return pass(`secret ${id}`, `exists, read by ${usedBy}`);
    } catch (error) {
      return fail(`secret ${id}`, `${errorText(error)} (${usedBy}); create it in Secrets Manager`);
    }
  }));
}

const bootstrapVersion = (stack: Stack) => Number(stack.Outputs?.find((o) => o.OutputKey === 'BootstrapVersion')?.OutputValue);

export async function checkBootstrap(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  const { qualifier, minVersion } = r.bootstrap;
  return Promise.all(r.bootstrap.regions.map(async (region) => {
    const check = `bootstrap ${region}`;
    const fix = `npx cdk bootstrap aws://${r.account}/${region} --qualifier ${qualifier}`;
    try {
      const { Stacks: [stack] = [] } = await c.cloudFormation(region).send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }));
      if (!stack) return fail(check, `no CDKToolkit stack; run ${fix}`);
      const account = stack.StackId?.split(':')[4];
      if (account !== r.account) return fail(check, `these credentials reach account ${account}, not ${r.account}; use credentials of account ${r.account}`);
      if (!/_COMPLETE$/.test(stack.StackStatus ?? '') || /ROLLBACK|DELETE/.test(stack.StackStatus ?? '')) return fail(check, `CDKToolkit is ${stack.StackStatus}; repair it with ${fix}`);
      const stackQualifier = stack.Parameters?.find((p) => p.ParameterKey === 'Qualifier')?.ParameterValue;
      if (stackQualifier !== qualifier) return fail(check, `CDKToolkit has qualifier ${stackQualifier}, config says ${qualifier}; set ci.bootstrapQualifier or run ${fix}`);
      const version = bootstrapVersion(stack);
      if (!(version >= minVersion)) return fail(check, `CDKToolkit is version ${version}, below ${minVersion}; upgrade with ${fix}`);
      return pass(check, `CDKToolkit version ${version} (>= ${minVersion}), qualifier ${qualifier}`);
    } catch (error) {
      return fail(check, `${errorText(error)}; run ${fix}`);
    }
  }));
}

export async function checkAvailabilityZones(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult> {
  const check = 'availability zones';
  try {
    const { AvailabilityZones: zones = [] } = await c.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const offered = new Map(zones.map((z) => [z.ZoneName ?? '', z.State]));
    const missing = r.availabilityZones.filter((az) => offered.get(az) !== 'available');
    if (missing.length > 0) return fail(check, `${missing.join(', ')} not available to this account; use ${[...offered].filter(([, s]) => s === 'available').map(([n]) => n).join(', ')} in availabilityZones`);
    return pass(check, `${r.availabilityZones.join(', ')} available`);
  } catch (error) {
    return fail(check, errorText(error));
  }
}

export async function checkInstanceTypes(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  return Promise.all(r.instanceTypes.map(async ({ type, azs, usedBy }) => {
    const check = `instance type ${type}`;
    try {
      const { InstanceTypeOfferings: offers = [] } = await c.ec2.send(new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [{ Name: 'instance-type', Values: [type] }, { Name: 'location', Values: [...azs] }],
      }));
      const offeredIn = new Set(offers.map((o) => o.Location));
      const missing = azs.filter((az) => !offeredIn.has(az));
      if (missing.length > 0) return fail(check, `not offered in ${missing.join(', ')} (${usedBy}); pick a type offered in every configured AZ or other AZs`);
      return pass(check, `offered in ${azs.join(', ')} (${usedBy})`);
    } catch (error) {
      return fail(check, `${errorText(error)} (${usedBy})`);
    }
  }));
}

async function stackDeployed(c: PreflightClients, region: string, name: string): Promise<boolean> {
  try {
    const { Stacks: [stack] = [] } = await c.cloudFormation(region).send(new DescribeStacksCommand({ StackName: name }));
    return !!stack && !/^(DELETE_COMPLETE|REVIEW_IN_PROGRESS)$/.test(stack.StackStatus ?? '');
  } catch {
    return false;
  }
}

async function quota(c: PreflightClients, serviceCode: string, quotaCode: string): Promise<number> {
  const { Quota } = await c.quotas.send(new GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }));
  return Quota?.Value ?? 0;
}

/** Quotas of the first deploy: one VPC, NAT gateways (one per AZ used) and their Elastic IPs, Kinesis shards. */
export async function checkQuotas(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const fixQuota = (name: string, service: string, code: string, needed: number) =>
    `raise the ${name} quota to at least ${needed} (aws service-quotas request-service-quota-increase --service-code ${service} --quota-code ${code} --desired-value ${needed}) or free some`;
  if (await stackDeployed(c, r.region, r.networkStack)) {
    results.push(pass('quota VPC/NAT/EIP', `${r.networkStack} is deployed: its VPC, NAT gateways and Elastic IPs exist already`));
  } else {
    try {
      const [vpcLimit, natLimit, eipLimit] = await Promise.all([quota(c, 'vpc', 'L-F678F1CE'), quota(c, 'vpc', 'L-FE5A380F'), quota(c, 'ec2', 'L-0263D0A3')]);
      const { Vpcs: vpcs = [] } = await c.ec2.send(new DescribeVpcsCommand({}));
      const vpcsNeeded = vpcs.length + r.newNetwork.vpcs;
      results.push(vpcsNeeded <= vpcLimit
        ? pass('quota VPCs', `${vpcs.length} used + ${r.newNetwork.vpcs} new <= ${vpcLimit}`)
        : fail('quota VPCs', `${vpcs.length} used + ${r.newNetwork.vpcs} new exceeds ${vpcLimit}; ${fixQuota('VPCs per Region', 'vpc', 'L-F678F1CE', vpcsNeeded)}`));
      const { Addresses: addresses = [] } = await c.ec2.send(new DescribeAddressesCommand({}));
      const eipsNeeded = addresses.length + r.newNetwork.elasticIps;
      results.push(eipsNeeded <= eipLimit
        ? pass('quota Elastic IPs', `${addresses.length} used + ${r.newNetwork.elasticIps} new <= ${eipLimit}`)
        : fail('quota Elastic IPs', `${addresses.length} used + ${r.newNetwork.elasticIps} new (one per NAT gateway) exceeds ${eipLimit}; ${fixQuota('EC2-VPC Elastic IPs', 'ec2', 'L-0263D0A3', eipsNeeded)}`));
      const { NatGateways: nats = [] } = await c.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['pending', 'available'] }] }));
      const subnetIds = [...new Set(nats.map((n) => n.SubnetId!).filter(Boolean))];
      const { Subnets: subnets = [] } = subnetIds.length ? await c.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })) : { Subnets: [] };
      const azOf = new Map(subnets.map((s) => [s.SubnetId, s.AvailabilityZone]));
      const perAz = (az: string) => nats.filter((n) => azOf.get(n.SubnetId) === az).length;
      const full = r.availabilityZones.filter((az) => perAz(az) + r.newNetwork.natGatewaysPerAz > natLimit);
      results.push(full.length === 0
        ? pass('quota NAT gateways', `per AZ: at most ${Math.max(0, ...r.availabilityZones.map(perAz))} used + ${r.newNetwork.natGatewaysPerAz} new <= ${natLimit}`)
        : fail('quota NAT gateways', `${full.join(', ')} already hold ${natLimit} NAT gateway(s); ${fixQuota('NAT gateways per Availability Zone', 'vpc', 'L-FE5A380F', natLimit + 1)}`));
    } catch (error) {
      results.push(fail('quota VPC/NAT/EIP', `${errorText(error)}; the credentials need servicequotas:GetServiceQuota and ec2:Describe*`));
    }
  }
  if (r.kinesisShards === 0) {
    results.push(pass('quota Kinesis shards', 'the stream is on demand: no shard quota applies'));
  } else if (await stackDeployed(c, r.region, r.tsdbStack)) {
    results.push(pass('quota Kinesis shards', `${r.tsdbStack} is deployed: its stream holds its shards already`));
  } else {
    try {
      const limits = await c.kinesis.send(new DescribeLimitsCommand({}));
      const needed = (limits.OpenShardCount ?? 0) + r.kinesisShards;
      results.push(needed <= (limits.ShardLimit ?? 0)
        ? pass('quota Kinesis shards', `${limits.OpenShardCount} open + ${r.kinesisShards} new <= ${limits.ShardLimit}`)
        : fail('quota Kinesis shards', `${limits.OpenShardCount} open + ${r.kinesisShards} new exceeds ${limits.ShardLimit}; raise the Kinesis shard quota to at least ${needed} or lower tsdb.stream.shardCount`));
    } catch (error) {
      results.push(fail('quota Kinesis shards', errorText(error)));
    }
  }
  return results;
}

/** Every check, in the order docs/first-deploy.md sets things up. */
export async function runPreflight(c: PreflightClients, r: PreflightRequirements): Promise<CheckResult[]> {
  return [
    ...(await checkBootstrap(c, r)),
    await checkCertificate(c, r),
    await checkHostedZone(c, r),
    ...(await checkImages(c, r)),
    ...(await checkParameters(c, r)),
    ...(await checkSecrets(c, r)),
    await checkAvailabilityZones(c, r),
    ...(await checkInstanceTypes(c, r)),
    ...(await checkQuotas(c, r)),
  ];
}

export function formatResult(result: CheckResult): string {
  return `${result.ok ? 'PASS' : 'FAIL'} ${result.check}: ${result.detail}`;
}
