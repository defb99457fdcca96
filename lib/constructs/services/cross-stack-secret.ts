import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * A secret owned by another stack, as the consuming stack sees it. Granting read on the owner's secret
 * would also grant decrypt on its KMS key through the key *policy* (a Via-service principal cannot hold
 * a policy), making the owner's stack refer back to the consumer's roles: a stack cycle. Here the secret
 * is imported by ARN and decrypt is granted in the consumer's role policy instead, limited to use
 * through Secrets Manager.
 */
export class CrossStackSecret extends Construct {
  readonly secret: secretsmanager.ISecret;
  private readonly keyArn: string | undefined;

  constructor(scope: Construct, id: string, owned: secretsmanager.ISecret) {
    super(scope, id);
    this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', owned.secretArn);
    this.keyArn = owned.encryptionKey?.keyArn;
  }

  /** GetSecretValue/DescribeSecret on the secret, and kms:Decrypt on its key via Secrets Manager only. */
  grantRead(grantee: iam.IGrantable): void {
    this.secret.grantRead(grantee);
    this.grantKeyDecrypt(grantee);
  }

  /** Decrypt only (for principals that ECS already granted GetSecretValue, like an execution role). */
  grantKeyDecrypt(grantee: iam.IGrantable): void {
    if (!this.keyArn) return;
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [this.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
    }));
  }
}
