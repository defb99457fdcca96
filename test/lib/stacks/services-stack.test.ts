import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOST_LABELS } from '../../../lib/stacks/services-stack';
import { HEALTH_CHECK_METRICS_REGION } from '../../../lib/stacks/edge-health-stack';
import { defaultAssembly, ENVIRONMENTS, defaultPlatform, template } from '../../support/platform';
import { describeFindings, readValidationReport } from '../../support/validation-report';

/** Unacknowledged cdk-nag findings on the constructs under `prefixes`, from the run's one synth when there is one. */
function nagFindings(prefixes: readonly string[]): string[] {
  const reports = readValidationReport(defaultAssembly());
  return describeFindings(reports).filter((line) => prefixes.some((prefix) => line.split(' ')[1]!.startsWith(prefix)));
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

describe.each(ENVIRONMENTS)('ServicesStack wired into the platform (%s)', (env) => {
  let t: Template;
  beforeAll(() => {
    t = template(env, 'services');
  });
  const config = () => defaultPlatform().env(env).config;
  const container = (name: string) => Object.values(t.findResources('AWS::ECS::TaskDefinition'))
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON is untyped
    .flatMap((d) => d.Properties.ContainerDefinitions as Array<Record<string, any>>)
    .find((c) => c.Name === name)!;
  const roleStatements = (rolePrefix: string): Statement[] => Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);

  it('has no unacknowledged cdk-nag finding (errors or warnings) on its resources', () => {
    expect(nagFindings([`monsaas-${env}-app/`, `monsaas-${env}-edge-health/`, `monsaas-${env}-data/Database`, `monsaas-${env}-data/AppRepositories`, `monsaas-${env}-network/`])).toEqual([]);
  });

  it('puts api and web behind their own NLB, each a TLS listener on 443', () => {
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    t.resourceCountIs('AWS::ECS::Service', 2);
    for (const label of Object.values(HOST_LABELS)) {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: `monsaas-${env}-${label}`, Scheme: 'internet-facing' });
    }
    const listeners = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::Listener'));
    for (const listener of listeners) expect(listener.Properties).toMatchObject({ Port: 443, Protocol: 'TLS', Certificates: [{ CertificateArn: config().edge.certificateArn }] });
  });

  it('logs NLB access to the data stack\'s log bucket and uses the network stack\'s load-balancer group', () => {
    for (const nlb of Object.values(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))) {
      const attributes = nlb.Properties.LoadBalancerAttributes as Array<{ Key: string; Value: unknown }>;
      expect(JSON.stringify(attributes.find((a) => a.Key === 'access_logs.s3.bucket')!.Value)).toContain(`monsaas-${env}-data`);
      expect(JSON.stringify(nlb.Properties.SecurityGroups)).toMatch(new RegExp(`monsaas-${env}-network.*SecurityGroupsLoadBalancer`));
    }
  });

  it('lets the log delivery service write each NLB\'s access logs under its own prefix of the log bucket', () => {
    const policies = Object.values(template(env, 'data').findResources('AWS::S3::BucketPolicy'));
    const statements = JSON.stringify(policies.flatMap((p) => p.Properties.PolicyDocument.Statement));
    for (const label of Object.values(HOST_LABELS)) expect(statements).toContain(`/nlb/${label}/AWSLogs/${config().account}/*`);
    expect(statements).toContain('delivery.logs.amazonaws.com');
  });

  it('creates DNS records exactly when a hosted zone is configured', () => {
    if (config().edge.hostedZoneId) {
      for (const label of Object.values(HOST_LABELS)) {
        t.hasResourceProperties('AWS::Route53::RecordSet', { Name: `${label}.${config().edge.domainName}.`, Type: 'A', HostedZoneId: config().edge.hostedZoneId });
      }
    } else {
      t.resourceCountIs('AWS::Route53::RecordSet', 0);
    }
  });

  it('gives the api the stream, reader, Redis and database settings as plain values and credentials as secrets', () => {
    const api = container('api');
    const names = (api.Environment as Array<{ Name: string }>).map((e) => e.Name).sort();
    expect(names).toEqual(['DB_HOST', 'DB_NAME', 'DB_PORT', 'DB_SECRET_ARN', 'METRICS_STREAM_NAME', 'REDIS_AUTH_SECRET_ARN', 'REDIS_SHARD_VIPS', 'TSDB_READER_FUNCTION_NAME']);
    const value = (name: string) => (api.Environment as Array<{ Name: string; Value: unknown }>).find((e) => e.Name === name)!.Value;
    expect(value('REDIS_SHARD_VIPS')).toBe(defaultPlatform().env(env).redis.shardVips.join(','));
    expect(JSON.stringify(value('METRICS_STREAM_NAME'))).toContain(`monsaas-${env}-data`);
    expect(JSON.stringify(value('TSDB_READER_FUNCTION_NAME'))).toContain(`monsaas-${env}-tsdb`);
    expect(JSON.stringify(value('DB_HOST'))).toContain('DatabaseInstance');
    const secrets = api.Secrets as Array<{ Name: string; ValueFrom: unknown }>;
    expect(secrets.map((s) => s.Name).sort()).toEqual(['DB_PASSWORD', 'DB_USERNAME', 'REDIS_AUTH']);
    expect(JSON.stringify(secrets.find((s) => s.Name === 'DB_PASSWORD')!.ValueFrom)).toContain(':password::');
    expect(JSON.stringify(api.Environment)).not.toMatch(/password|requirepass/i);
  });

  it('lets the api task role write the metrics stream, invoke the reader and read both secrets, nothing wider', () => {
    const statements = roleStatements('ApiTaskTaskRoleDefaultPolicy');
    const actions = [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort();
    expect(actions).toEqual([
      'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords',
      'kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue',
    ]);
    // Both secrets (database and Redis AUTH) are readable.
    const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads.flatMap((s) => [s.Resource].flat())).toHaveLength(2);
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|:\*"/);
    const decrypts = statements.filter((s) => [s.Action].flat().includes('kms:Decrypt'));
    expect(decrypts.length).toBeGreaterThan(0);
    for (const statement of decrypts) {
      expect([statement.Action].flat()).toEqual(['kms:Decrypt']);
      expect(statement.Condition).toEqual({ StringEquals: { 'kms:ViaService': `secretsmanager.${config().region}.amazonaws.com` } });
    }
  });

  it('gives the web task role no permissions and the web tasks no secrets', () => {
    expect(roleStatements('WebTaskTaskRole')).toEqual([]);
    expect(container('web').Secrets).toBeUndefined();
    expect(container('web').Environment).toEqual([{ Name: 'API_BASE_URL', Value: `https://api.${config().edge.domainName}` }]);
  });

  it('deploys the configured image tag from the data stack\'s repositories', () => {
    for (const name of ['api', 'web']) {
      const image = JSON.stringify(container(name).Image);
      expect(image).toContain(`:${config().services.imageTag}`);
      expect(image).toContain(`monsaas-${env}-data`);
    }
  });

  it('lets the data stack own the repositories and the database, kept as the environment keeps data', () => {
    const data = template(env, 'data');
    const retained = config().retainData ? 'Retain' : 'Delete';
    for (const service of ['api', 'web']) {
      const repos = Object.values(data.findResources('AWS::ECR::Repository', { Properties: { RepositoryName: `monsaas-${env}/${service}` } }));
      expect(repos).toHaveLength(1);
      expect(repos[0]!.DeletionPolicy).toBe(retained);
    }
    data.resourceCountIs('AWS::RDS::DBInstance', 1);
    expect(Object.values(data.findResources('AWS::RDS::DBInstance'))[0]!.DeletionPolicy).toBe(retained);
    data.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: config().database.multiAz, DeletionProtection: config().deletionProtection });
  });

  it('checks both public names from us-east-1, where Route 53 publishes health-check metrics', () => {
    const stack = defaultPlatform().env(env).edgeHealth;
    expect(stack.region).toBe(HEALTH_CHECK_METRICS_REGION);
    expect(stack.stackName).toBe(`monsaas-${env}-edge-health`);
    const health = template(env, 'edgeHealth');
    health.resourceCountIs('AWS::Route53::HealthCheck', 2);
    health.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    for (const label of Object.values(HOST_LABELS)) {
      health.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', Port: 443, FullyQualifiedDomainName: `${label}.${config().edge.domainName}` }),
      });
    }
  });
});

it('protects production\'s load balancers from deletion and leaves staging\'s disposable', () => {
  for (const [env, expected] of [['production', 'true'], ['staging', 'false']] as const) {
    for (const nlb of Object.values(template(env, 'services').findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))) {
      expect(nlb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'deletion_protection.enabled', Value: expected }]));
    }
  }
});

describe.each(ENVIRONMENTS)('%s edge-health alarms', (env) => {
  it('notify an encrypted topic in us-east-1 (an alarm can only use a topic of its region) on ALARM and OK', () => {
    const t = template(env, 'edgeHealth');
    const topics = t.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(1);
    const [topicId, topic] = Object.entries(topics)[0]!;
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });
});
