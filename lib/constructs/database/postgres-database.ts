import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { logRemovalPolicy, logRetention, statefulRemovalPolicy } from '../../platform/policies';
import { SubnetTier } from '../network/platform-vpc';

export interface PostgresDatabaseProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Group of the rotation function (see SecurityGroups.databaseRotation). */
  readonly rotationSecurityGroup: ec2.ISecurityGroup;
  readonly key: kms.IKey;
}

export const POSTGRES_PORT = 5432;
export const DATABASE_NAME = 'monsaas';
const MASTER_USERNAME = 'monsaas_admin';
/** Log types PostgreSQL exports to CloudWatch Logs. */
const EXPORTED_LOGS = ['postgresql', 'upgrade'] as const;
/** Characters libpq connection strings and shells mishandle; kept out of generated and rotated passwords. */
const EXCLUDED_PASSWORD_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/**
 * The service's main PostgreSQL on RDS: isolated subnets, encrypted with the data key, TLS enforced,
 * automated backups (point-in-time recovery), Multi-AZ and deletion protection as configured, master
 * credentials generated into Secrets Manager and rotated on a schedule.
 */
export class PostgresDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.ISecret;
  /** Log groups created ahead of RDS so they carry retention (RDS would create them without). */
  readonly logGroups: logs.LogGroup[];

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const { config, key } = props;
    const db = config.database;
    const instanceIdentifier = `monsaas-${config.name}-main`;
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.of(db.postgresMajorVersion, db.postgresMajorVersion),
    });

    this.logGroups = EXPORTED_LOGS.map((type) => new logs.LogGroup(this, `Logs-${type}`, {
      logGroupName: `/aws/rds/instance/${instanceIdentifier}/${type}`,
      retention: logRetention(config.logRetentionDays),
      removalPolicy: logRemovalPolicy(config),
    }));

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      instanceIdentifier,
      engine,
      instanceType: new ec2.InstanceType(db.instanceType),
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: SubnetTier.data },
      securityGroups: [props.securityGroup],
      port: POSTGRES_PORT,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret(MASTER_USERNAME, {
        encryptionKey: key,
        excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      }),
      // One group per major: the family comes from the engine, so a new major replaces the group (a new
      // one is created, the instance moves to it with the upgrade, the old one goes at cleanup).
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine,
        description: `monsaas ${config.name}: TLS required, slow statements logged`,
        parameters: { 'rds.force_ssl': '1', log_min_duration_statement: '1000' },
      }),
      // Lets a raised postgresMajorVersion upgrade in place (RDS rejects a major change without it); it
      // never upgrades by itself, and the parameter group below follows the major in the same deploy.
      allowMajorVersionUpgrade: true,
      multiAz: db.multiAz,
      storageEncrypted: true,
      storageEncryptionKey: key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      backupRetention: Duration.days(db.backupRetentionDays),
      copyTagsToSnapshot: true,
      deletionProtection: config.deletionProtection,
      removalPolicy: statefulRemovalPolicy(config),
      iamAuthentication: true,
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      cloudwatchLogsExports: [...EXPORTED_LOGS],
      publiclyAccessible: false,
    });
    for (const group of this.logGroups) this.instance.node.addDependency(group);
    this.secret = this.instance.secret!;
    // The credentials outlive the stack with the database they open (RETAIN where data is kept);
    // `instance.secret` is the attachment, the generated secret is the instance's child.
    (this.instance.node.findChild('Secret') as secretsmanager.Secret).applyRemovalPolicy(statefulRemovalPolicy(config));

    new secretsmanager.SecretRotation(this, 'Rotation', {
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
      secret: this.secret,
      automaticallyAfter: Duration.days(db.credentialRotationDays),
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: SubnetTier.private },
      securityGroup: props.rotationSecurityGroup,
      // instance.addRotationSingleUser would open the instance's *token* port from the data stack on a
      // network-stack group (a cycle); this target names the literal port (same rule as SecurityGroups').
      target: { connections: new ec2.Connections({ securityGroups: [props.securityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) }) },
    });

    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'PostgreSQL keeps its standard port: the instance sits in isolated subnets and its security group admits only the api, batch jobs and rotation groups, so a non-standard port would add no protection.',
    });
    if (!db.multiAz) {
      Validations.of(this.instance).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: `${config.name} is a ${config.tier} environment: a single-AZ instance restored from backups is acceptable there; production runs Multi-AZ (enforced by config validation).`,
      });
    }
    if (!config.deletionProtection) {
      Validations.of(this.instance).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: `${config.name} is disposable (deletionProtection false in its config); production has deletion protection (enforced by config validation).`,
      });
    }
  }
}
