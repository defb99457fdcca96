import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The read-only API clients preflight uses; CloudFormation per region (bootstrap stacks live in each). */
export interface PreflightClients {
  readonly acm: ACMClient;
  readonly route53: Route53Client;
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  readonly secrets: SecretsManagerClient;
  readonly quotas: ServiceQuotasClient;
  readonly kinesis: KinesisClient;
  cloudFormation(region: string): CloudFormationClient;
}

/**
 * Clients for `region` from the default credential chain. `extra` is merged into every client's
 * config (tests pass a stand-in endpoint and static credentials; AWS_ENDPOINT_URL works as well).
 * Kinesis speaks HTTP/1.1 so stand-ins that do not speak HTTP/2 work too; AWS accepts both.
 */
export function preflightClients(region: string, extra: Record<string, unknown> = {}): PreflightClients {
  const config = { region, maxAttempts: 2, ...extra };
  const cfn = new Map<string, CloudFormationClient>();
  return {
    acm: new ACMClient(config),
    route53: new Route53Client(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    secrets: new SecretsManagerClient(config),
    quotas: new ServiceQuotasClient(config),
    kinesis: new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() }),
    cloudFormation(r) {
      let client = cfn.get(r);
      if (!client) cfn.set(r, (client = new CloudFormationClient({ ...config, region: r })));
      return client;
    },
  };
}
