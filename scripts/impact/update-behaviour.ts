/**
 * What CloudFormation does when a property changes, where the CDK service spec (used by
 * @aws-cdk/cloudformation-diff) is not precise enough for an outage report: the spec knows only
 * "replacement: yes / maybe / no", and marks stop-and-start properties of an EC2 instance and most
 * RDS modifications as "maybe". These tables follow the "Update requires" line of the
 * CloudFormation resource reference.
 */

export type Behaviour = 'replace' | 'may-replace' | 'interrupt' | 'no-interruption';

type Rule = Behaviour | ((oldValue: unknown, newValue: unknown) => Behaviour);

const RULES: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  // "Update requires: Some interruptions": EC2 stops the instance, changes it, starts it again.
  'AWS::EC2::Instance': {
    AdditionalInfo: 'interrupt',
    EbsOptimized: 'interrupt',
    InstanceType: 'interrupt',
    KernelId: 'interrupt',
    RamdiskId: 'interrupt',
    UserData: 'interrupt',
    Tenancy: 'interrupt',
    Affinity: 'interrupt',
    HostId: 'interrupt',
    PrivateDnsNameOptions: 'interrupt',
    // In a VPC the groups of the primary interface change without a stop.
    SecurityGroupIds: 'no-interruption',
  },
  'AWS::RDS::DBInstance': {
    // Modifications RDS applies with a reboot (Multi-AZ: a failover) or an engine restart.
    DBInstanceClass: 'interrupt',
    EngineVersion: 'interrupt',
    DBParameterGroupName: 'interrupt',
    StorageType: 'interrupt',
    CACertificateIdentifier: 'interrupt',
    OptionGroupName: 'interrupt',
    // Turning automated backups on or off restarts the instance; changing the number of days does not.
    BackupRetentionPeriod: (oldValue, newValue) => ((Number(oldValue ?? 1) === 0) !== (Number(newValue ?? 1) === 0) ? 'interrupt' : 'no-interruption'),
    MultiAZ: 'no-interruption',
    AutoMinorVersionUpgrade: 'no-interruption',
    PreferredMaintenanceWindow: 'no-interruption',
    PreferredBackupWindow: 'no-interruption',
    AllocatedStorage: 'no-interruption',
    MaxAllocatedStorage: 'no-interruption',
    AllowMajorVersionUpgrade: 'no-interruption',
  },
};

/** The behaviour of one property change: the table above, else what the service spec says. */
export function propertyBehaviour(resourceType: string, property: string, specBehaviour: Behaviour, oldValue: unknown, newValue: unknown): Behaviour {
  const rule = RULES[resourceType]?.[property];
  if (rule === undefined) return specBehaviour;
  return typeof rule === 'function' ? rule(oldValue, newValue) : rule;
}

/** Resource types whose replacement or deletion loses data or an identity other systems hold on to. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
  'AWS::Kinesis::Stream',
  'AWS::S3::Bucket',
  'AWS::SecretsManager::Secret',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::EFS::FileSystem', 'AWS::EC2::Volume',
  // Images and dead-lettered messages are data too.
  'AWS::ECR::Repository', 'AWS::SQS::Queue',
]);

/**
 * Properties that give a resource a custom physical name: a replacement must create the new resource
 * (same name) before deleting the old one, which fails.
 */
export const NAME_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::DynamoDB::GlobalTable': ['TableName'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::RDS::DBInstance': ['DBInstanceIdentifier'],
  'AWS::RDS::DBCluster': ['DBClusterIdentifier'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::ECR::Repository': ['RepositoryName'],
  'AWS::SSM::Parameter': ['Name'],
  'AWS::Events::EventBus': ['Name'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::EC2::SecurityGroup': ['GroupName'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateName'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name'],
  'AWS::Kinesis::Stream': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::Events::Rule': ['Name'],
  'AWS::Scheduler::Schedule': ['Name'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::ECS::Cluster': ['ClusterName'],
  'AWS::ECS::Service': ['ServiceName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::IAM::InstanceProfile': ['InstanceProfileName'],
  'AWS::RDS::DBSubnetGroup': ['DBSubnetGroupName'],
  'AWS::RDS::DBParameterGroup': ['DBParameterGroupName'],
};

const truthy = (value: unknown) => value === true || value === 'true';

/** The protection a resource's *current* properties carry against deletion, if any (named for the report). */
export function deletionProtection(resourceType: string, properties: Record<string, unknown> | undefined): string | undefined {
  const p = properties ?? {};
  switch (resourceType) {
    case 'AWS::EC2::Instance':
      return truthy(p.DisableApiTermination) ? 'DisableApiTermination' : undefined;
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
      return truthy(p.DeletionProtection) ? 'DeletionProtection' : undefined;
    case 'AWS::DynamoDB::Table':
    case 'AWS::Logs::LogGroup':
      return truthy(p.DeletionProtectionEnabled) ? 'DeletionProtectionEnabled' : undefined;
    case 'AWS::DynamoDB::GlobalTable': {
      const replicas = Array.isArray(p.Replicas) ? (p.Replicas as Record<string, unknown>[]) : [];
      return replicas.some((r) => truthy(r.DeletionProtectionEnabled)) ? 'Replicas[].DeletionProtectionEnabled' : undefined;
    }
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const attributes = Array.isArray(p.LoadBalancerAttributes) ? (p.LoadBalancerAttributes as Record<string, unknown>[]) : [];
      return attributes.some((a) => a.Key === 'deletion_protection.enabled' && truthy(a.Value)) ? 'deletion_protection.enabled' : undefined;
    }
    default:
      return undefined;
  }
}
