import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabase } from '../../../../lib/constructs/database/postgres-database';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, logicalId, type ConstructFixture } from '../../../support/construct-fixture';

describe.each(ENVIRONMENTS)('PostgresDatabase (%s)', (env) => {
  let fixture: ConstructFixture;
  let database: PostgresDatabase;
  let t: Template;
  beforeAll(() => {
    fixture = constructFixture(env);
    database = new PostgresDatabase(fixture.stack, 'Database', {
      config: fixture.config,
      vpc: fixture.platformVpc.vpc,
      securityGroup: fixture.securityGroups.database,
      rotationSecurityGroup: fixture.securityGroups.databaseRotation,
      key: fixture.key,
    });
    t = fixtureTemplate(fixture);
  });
  const instance = () => Object.values(t.findResources('AWS::RDS::DBInstance'))[0]!;
  const keyArn = () => ({ 'Fn::GetAtt': [logicalId(fixture.key, fixture.stack), 'Arn'] });

  it('runs the configured PostgreSQL, Multi-AZ as configured, encrypted with the data key', () => {
    const db = fixture.config.database;
    expect(instance().Properties).toMatchObject({
      DBInstanceIdentifier: `monsaas-${env}-main`,
      Engine: 'postgres',
      EngineVersion: db.postgresMajorVersion,
      DBInstanceClass: `db.${db.instanceType}`,
      MultiAZ: db.multiAz,
      StorageEncrypted: true,
      KmsKeyId: keyArn(),
      StorageType: 'gp3',
      AllocatedStorage: String(db.allocatedStorageGiB),
      MaxAllocatedStorage: db.maxAllocatedStorageGiB,
      PubliclyAccessible: false,
      EnableIAMDatabaseAuthentication: true,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: keyArn(),
      Port: '5432',
    });
  });

  it('keeps automated backups (point-in-time recovery) and protection as configured', () => {
    expect(instance().Properties).toMatchObject({
      BackupRetentionPeriod: fixture.config.database.backupRetentionDays,
      DeletionProtection: fixture.config.deletionProtection,
      CopyTagsToSnapshot: true,
    });
    expect(instance().DeletionPolicy).toBe(fixture.config.retainData ? 'Retain' : 'Delete');
  });

  it('lives in the isolated subnets behind the database group only', () => {
    expect(instance().Properties.VPCSecurityGroups).toEqual([{ 'Fn::GetAtt': [logicalId(fixture.securityGroups.database, fixture.stack), 'GroupId'] }]);
    const subnetGroup = Object.values(t.findResources('AWS::RDS::DBSubnetGroup'))[0]!;
    expect(subnetGroup.Properties.SubnetIds).toHaveLength(fixture.config.availabilityZones.length);
    for (const subnet of subnetGroup.Properties.SubnetIds) expect(JSON.stringify(subnet)).toMatch(/dataSubnet/);
  });

  it('can take a raised major in place: AllowMajorVersionUpgrade, and its parameter group of the instance\'s family', () => {
    expect(instance().Properties.AllowMajorVersionUpgrade).toBe(true);
    const [groupId, group] = Object.entries(t.findResources('AWS::RDS::DBParameterGroup'))[0]!;
    expect(instance().Properties.DBParameterGroupName).toEqual({ Ref: groupId });
    expect(group.Properties.Family).toBe(`postgres${fixture.config.database.postgresMajorVersion}`);
  });

  it('requires TLS from clients', () => {
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: `postgres${fixture.config.database.postgresMajorVersion}`, Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
  });

  it('generates the master credentials into Secrets Manager under the data key and rotates them', () => {
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn(), GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"monsaas_admin"}' }) });
    t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: `rate(${fixture.config.database.credentialRotationDays} days)` },
    });
    const rotationApp = Object.values(t.findResources('AWS::Serverless::Application'))[0]!;
    expect(JSON.stringify(t.toJSON().Mappings)).toContain('SecretsManagerRDSPostgreSQLRotationSingleUser');
    expect(JSON.stringify(rotationApp.Properties.Parameters.vpcSecurityGroupIds)).toContain(logicalId(fixture.securityGroups.databaseRotation, fixture.stack));
    expect(database.secret.secretArn).toBeDefined();
  });

  it('exports PostgreSQL logs to log groups with the configured retention', () => {
    expect(instance().Properties.EnableCloudwatchLogsExports).toEqual(['postgresql', 'upgrade']);
    for (const type of ['postgresql', 'upgrade']) {
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/rds/instance/monsaas-${env}-main/${type}`, RetentionInDays: fixture.config.logRetentionDays });
    }
  });
});

it('is Multi-AZ with deletion protection in production and neither in staging', () => {
  expect(constructFixture('production').config.database.multiAz).toBe(true);
  expect(constructFixture('staging').config.database.multiAz).toBe(false);
});
