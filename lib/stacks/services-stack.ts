import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { REDIS_ENV } from '../../common/env';
import { PlatformStack, type PlatformStackProps } from '../platform/platform-stack';
import type { DataContract, NetworkContract, RedisEndpoints, ServicesContract, TsdbContract } from '../platform/contracts';
import { ServiceCluster } from '../constructs/services/service-cluster';
import { CrossStackSecret } from '../constructs/services/cross-stack-secret';
import { ContainerService } from '../constructs/services/container-service';
import { DATABASE_NAME } from '../constructs/database/postgres-database';
import { PublicEndpoint } from '../constructs/edge/public-endpoint';

export interface ServicesStackProps extends PlatformStackProps {
  readonly network: NetworkContract;
  readonly data: DataContract;
  /** The api's read path reaches the Redis shards and invokes the TSDB reader. */
  readonly redis: RedisEndpoints;
  readonly tsdb: Pick<TsdbContract, 'reader'>;
}

/** Public host labels under edge.domainName: one NLB per service, so each name is plain https on 443. */
export const HOST_LABELS = { api: 'api', web: 'app' } as const;

/** NLBs, ECS Fargate cluster and the api and web services. */
export class ServicesStack extends PlatformStack implements ServicesContract {
  readonly cluster: ServiceCluster;
  readonly apiEndpoint: PublicEndpoint;
  readonly webEndpoint: PublicEndpoint;
  readonly api: ContainerService;
  readonly web: ContainerService;

  constructor(scope: Construct, props: ServicesStackProps) {
    super(scope, 'services', { description: 'NLBs, ECS Fargate cluster and the api and web services', ...props });
    const { config } = this;
    const { network, data, redis, tsdb } = props;
    const { vpc, securityGroups } = network;
    // Declared before any grant: KMS grants put the role in the key policy (a cycle) unless they can see this dependency.
    this.addDependency(Stack.of(vpc));
    this.addDependency(Stack.of(data.tsdb));
    const endpoint = (id: string, hostLabel: string, service: typeof config.services.api) => new PublicEndpoint(this, id, {
      config, hostLabel, service, vpc,
      securityGroup: securityGroups.loadBalancer,
      accessLogsBucket: data.logsBucket,
    });
    this.apiEndpoint = endpoint('ApiEndpoint', HOST_LABELS.api, config.services.api);
    this.webEndpoint = endpoint('WebEndpoint', HOST_LABELS.web, config.services.web);
    this.cluster = new ServiceCluster(this, 'Cluster', { config, vpc });

    const database = data.database;
    const databaseSecret = new CrossStackSecret(this, 'DatabaseSecret', database.secret);
    const redisAuthSecret = new CrossStackSecret(this, 'RedisAuthSecret', redis.authSecret);
    this.api = new ContainerService(this, 'Api', {
      config, name: 'api', service: config.services.api,
      cluster: this.cluster.cluster,
      repository: data.serviceRepositories.repositories.api,
      securityGroup: securityGroups.api,
      targetGroup: this.apiEndpoint.targetGroup,
      loadBalancer: this.apiEndpoint.loadBalancer,
      environment: {
        METRICS_STREAM_NAME: data.tsdb.stream.streamName,
        DB_HOST: database.instance.dbInstanceEndpointAddress,
        DB_PORT: database.instance.dbInstanceEndpointPort,
        DB_NAME: DATABASE_NAME,
        // The password rotates: the api re-reads the secret by ARN when a login fails.
        DB_SECRET_ARN: databaseSecret.secret.secretArn,
        TSDB_READER_FUNCTION_NAME: tsdb.reader.function.functionName,
        [REDIS_ENV.shardVips]: redis.shardVips.join(','),
        [REDIS_ENV.authSecretArn]: redisAuthSecret.secret.secretArn,
      },
      secrets: {
        DB_USERNAME: ecs.Secret.fromSecretsManager(databaseSecret.secret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(databaseSecret.secret, 'password'),
        REDIS_AUTH: ecs.Secret.fromSecretsManager(redisAuthSecret.secret),
      },
    });
    const apiRole = this.api.taskDefinition.taskRole;
    const apiExecutionRole = this.api.taskDefinition.obtainExecutionRole();
    data.tsdb.grantProduce(apiRole);
    for (const secret of [databaseSecret, redisAuthSecret]) {
      secret.grantRead(apiRole);
      secret.grantKeyDecrypt(apiExecutionRole);
    }
    tsdb.reader.grantInvoke(apiRole);

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
