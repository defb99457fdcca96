import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { REDIS_ENV } from '../../../common/env';
import { CrossStackSecret } from '../services/cross-stack-secret';

export interface RedisAccessProps {
  /** Shard virtual IPs in shard order (RedisStack.shardVips). */
  readonly shardVips: readonly string[];
  /** Redis AUTH secret (RedisStack.authSecret). */
  readonly authSecret: secretsmanager.ISecret;
}

/** What a TSDB function needs to reach the Redis shards: the VIPs, and read access to the AUTH secret. */
export class RedisAccess extends Construct {
  readonly environment: Record<string, string>;
  private readonly secret: CrossStackSecret;

  constructor(scope: Construct, id: string, props: RedisAccessProps) {
    super(scope, id);
    this.secret = new CrossStackSecret(this, 'AuthSecret', props.authSecret);
    this.environment = {
      [REDIS_ENV.shardVips]: props.shardVips.join(','),
      [REDIS_ENV.authSecretArn]: this.secret.secret.secretArn,
    };
  }

  grantTo(grantee: iam.IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
