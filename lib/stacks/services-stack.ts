import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import { ServiceCluster } from '../constructs/services/service-cluster';
import { CrossStackSecret } from '../constructs/services/cross-stack-secret';
import { ContainerService } from '../constructs/services/container-service';
import { DATABASE_NAME } from '../constructs/database/postgres-database';
import { PublicEndpoint } from '../constructs/edge/public-endpoint';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';

/** What the api's read and write paths reach outside this stack (Redis and TSDB parts). */
export interface ApiDependencies {
  /** Redis AUTH secret (RedisStack.authSecret). */
  readonly redisAuthSecret: secretsmanager.ISecret;
  /** Shard virtual IPs, shard order (RedisStack.shardVips). */
  readonly redisShardVips: readonly string[];
  /** The TSDB read function (TsdbStack.readerFunction). */
  readonly readerFunction: lambda.IFunction;
}

export interface ServicesStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly api: ApiDependencies;
}

/** Public host labels under edge.domainName: one NLB per service, so each name is plain https on 443. */
export const HOST_LABELS = { api: 'api', web: 'app' } as const;

/** NLBs, ECS Fargate cluster and the api and web services. */
export class ServicesStack extends PlatformStack {
  readonly cluster: ServiceCluster;
  readonly apiEndpoint: PublicEndpoint;
  readonly webEndpoint: PublicEndpoint;
  readonly api: ContainerService;
  readonly web: ContainerService;

  constructor(scope: Construct, props: ServicesStackProps) {
    super(scope, 'services', { description: 'NLBs, ECS Fargate cluster and the api and web services', ...props });
    const { config } = this;
    const { network, data } = props;
    const { vpc, securityGroups } = network;
    // Declared before any grant: KMS grants put the role in the key policy (a cycle) unless they can see this dependency.
    this.addStackDependency(network);
    this.addStackDependency(data);
    const endpoint = (id: string, hostLabel: string, service: typeof config.services.api) => new PublicEndpoint(this, id, {
      config, hostLabel, service, vpc,
      securityGroup: securityGroups.loadBalancer,
      accessLogsBucket: data.logsBucket.bucket,
    });
    this.apiEndpoint = endpoint('ApiEndpoint', HOST_LABELS.api, config.services.api);
    this.webEndpoint = endpoint('WebEndpoint', HOST_LABELS.web, config.services.web);
    this.cluster = new ServiceCluster(this, 'Cluster', { config, vpc });

    const database = data.database;
    const { redisShardVips, readerFunction } = props.api;
    const databaseSecret = new CrossStackSecret(this, 'DatabaseSecret', database.secret);
    const redisAuthSecret = new CrossStackSecret(this, 'RedisAuthSecret', props.api.redisAuthSecret);
    const stream = data.tsdb.stream;
    this.api = new ContainerService(this, 'Api', {
      config, name: 'api', service: config.services.api,
      cluster: this.cluster.cluster,
      repository: data.serviceRepositories.repositories.api,
      securityGroup: securityGroups.api,
      targetGroup: this.apiEndpoint.targetGroup,
      loadBalancer: this.apiEndpoint.loadBalancer,
      environment: {
        METRICS_STREAM_NAME: stream.streamName,
        DB_HOST: database.instance.dbInstanceEndpointAddress,
        DB_PORT: database.instance.dbInstanceEndpointPort,
        DB_NAME: DATABASE_NAME,
        // The password rotates: the api re-reads the secret by ARN when a login fails.
        DB_SECRET_ARN: databaseSecret.secret.secretArn,
        TSDB_READER_FUNCTION_NAME: readerFunction.functionName,
        REDIS_SHARD_VIPS: redisShardVips.join(','),
        REDIS_AUTH_SECRET_ARN: redisAuthSecret.secret.secretArn,
      },
      secrets: {
        DB_USERNAME: ecs.Secret.fromSecretsManager(databaseSecret.secret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(databaseSecret.secret, 'password'),
        REDIS_AUTH: ecs.Secret.fromSecretsManager(redisAuthSecret.secret),
      },
    });
    const apiRole = this.api.taskDefinition.taskRole;
    const apiExecutionRole = this.api.taskDefinition.obtainExecutionRole();
    // Exactly what a producer needs; grantWrite would add kms:GenerateDataKey* and kms:ReEncrypt* wildcards.
    stream.grant(apiRole, 'kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary');
    stream.encryptionKey?.grant(apiRole, 'kms:GenerateDataKey');
    for (const secret of [databaseSecret, redisAuthSecret]) {
      secret.grantRead(apiRole);
      secret.grantKeyDecrypt(apiExecutionRole);
    }
    // The unqualified function only: grantInvoke would also allow every version and alias (ARN:*).
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [readerFunction.functionArn] }));

    this.web = new ContainerService(this, 'Web', {
      config, name: 'web', service: config.services.web,
      cluster: this.cluster.cluster,
      repository: data.serviceRepositories.repositories.web,
      securityGroup: securityGroups.web,
      targetGroup: this.webEndpoint.targetGroup,
      loadBalancer: this.webEndpoint.loadBalancer,
      environment: { API_BASE_URL: `https://${this.apiEndpoint.domainName}` },
    });

  }
}
