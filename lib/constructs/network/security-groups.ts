import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';

export interface SecurityGroupsProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
}

const REDIS_PORT = 6379;
const POSTGRES_PORT = 5432;

/**
 * Every security group of the platform and every rule between them, in one place so the whole
 * traffic matrix reads at a glance (and cross-stack references never form cycles). Nothing allows
 * all outbound; every rule has a description. Pair-private rules (VRRP inside one Redis shard) live
 * with the shard.
 */
export class SecurityGroups extends Construct {
  readonly loadBalancer: ec2.SecurityGroup;
  readonly api: ec2.SecurityGroup;
  readonly web: ec2.SecurityGroup;
  readonly database: ec2.SecurityGroup;
  /** The Secrets Manager rotation function of the database's master credentials. */
  readonly databaseRotation: ec2.SecurityGroup;
  readonly redis: ec2.SecurityGroup;
  /** The TSDB functions that reach Redis: writer, flusher, reader. */
  readonly tsdbFunctions: ec2.SecurityGroup;
  readonly batchJobs: ec2.SecurityGroup;
  readonly resolvers: ec2.SecurityGroup;
  readonly endpoints: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const { config, vpc } = props;
    const vpcCidr = ec2.Peer.ipv4(config.network.vpcCidr);
    const redisVips = ec2.Peer.ipv4(config.redis.vipCidr);
    const group = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc, description, allowAllOutbound: false });

    this.loadBalancer = group('LoadBalancer', 'Internet-facing NLB: TLS 443 in, container ports out');
    this.api = group('Api', 'api service tasks');
    this.web = group('Web', 'web service tasks');
    this.database = group('Database', 'PostgreSQL: reachable from the api service, batch jobs and its credential rotation only');
    this.databaseRotation = group('DatabaseRotation', 'Rotation function of the PostgreSQL master credentials');
    this.redis = group('Redis', 'Redis shard nodes');
    this.tsdbFunctions = group('TsdbFunctions', 'TSDB writer, flusher and reader functions');
    this.batchJobs = group('BatchJobs', 'Scheduled batch jobs (Lambda and ECS tasks)');
    this.resolvers = group('Resolvers', 'Unbound caching resolvers');
    this.endpoints = group('Endpoints', 'Interface VPC endpoints: HTTPS from inside the VPC');

    this.loadBalancer.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'TLS from the internet to the NLB listener');
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The public NLB exists to serve customers and agents on the internet; its only open port is the TLS 443 listener.',
    });
    this.loadBalancer.connections.allowTo(this.api, ec2.Port.tcp(config.services.api.containerPort), 'NLB to api tasks');
    this.loadBalancer.connections.allowTo(this.web, ec2.Port.tcp(config.services.web.containerPort), 'NLB to web tasks');

    this.database.connections.allowFrom(this.api, ec2.Port.tcp(POSTGRES_PORT), 'PostgreSQL from the api service');
    this.database.connections.allowFrom(this.batchJobs, ec2.Port.tcp(POSTGRES_PORT), 'PostgreSQL from batch jobs');
    this.database.connections.allowFrom(this.databaseRotation, ec2.Port.tcp(POSTGRES_PORT), 'PostgreSQL from the credential rotation function');

    // Clients address Redis by shard VIP (outside the VPC CIDR, routed to the active node), so egress
    // names the VIP range while the nodes' ingress names the client groups.
    for (const [client, name] of [[this.api, 'api'], [this.tsdbFunctions, 'TSDB functions'], [this.batchJobs, 'batch jobs']] as const) {
      client.addEgressRule(redisVips, ec2.Port.tcp(REDIS_PORT), `Redis shard VIPs from ${name}`);
      this.redis.addIngressRule(client, ec2.Port.tcp(REDIS_PORT), `Redis from ${name}`);
    }
    // Replication between the two nodes of a shard uses their own addresses.
    this.redis.connections.allowInternally(ec2.Port.tcp(REDIS_PORT), 'Redis replication between shard nodes');

    for (const [client, name] of [
      [this.api, 'api'], [this.web, 'web'], [this.tsdbFunctions, 'TSDB functions'],
      [this.batchJobs, 'batch jobs'], [this.redis, 'Redis nodes'], [this.resolvers, 'resolvers'],
      [this.databaseRotation, 'database rotation'],
    ] as const) {
      client.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), `HTTPS from ${name} to AWS APIs and package mirrors`);
      client.addEgressRule(vpcCidr, ec2.Port.udp(53), `DNS (UDP) from ${name} to the VPC resolvers`);
      client.addEgressRule(vpcCidr, ec2.Port.tcp(53), `DNS (TCP) from ${name} to the VPC resolvers`);
    }
    this.resolvers.addIngressRule(vpcCidr, ec2.Port.udp(53), 'DNS (UDP) from hosts in the VPC');
    this.resolvers.addIngressRule(vpcCidr, ec2.Port.tcp(53), 'DNS (TCP) from hosts in the VPC');
    for (const zone of config.resolvers.internalZones) {
      for (const server of zone.servers) {
        this.resolvers.addEgressRule(ec2.Peer.ipv4(`${server}/32`), ec2.Port.udp(53), `DNS (UDP) to ${zone.name} authoritative ${server}`);
        this.resolvers.addEgressRule(ec2.Peer.ipv4(`${server}/32`), ec2.Port.tcp(53), `DNS (TCP) to ${zone.name} authoritative ${server}`);
      }
    }
    for (const upstream of config.resolvers.upstreams) {
      this.resolvers.addEgressRule(ec2.Peer.ipv4(`${upstream}/32`), ec2.Port.udp(53), `DNS (UDP) to upstream ${upstream}`);
      this.resolvers.addEgressRule(ec2.Peer.ipv4(`${upstream}/32`), ec2.Port.tcp(53), `DNS (TCP) to upstream ${upstream}`);
    }
    for (const client of [this.api, this.web, this.tsdbFunctions, this.batchJobs, this.redis, this.resolvers, this.databaseRotation]) {
      this.endpoints.connections.allowFrom(client, ec2.Port.tcp(443), 'HTTPS to interface endpoints');
    }
    // Packages for cloud-init come over HTTP from the distribution mirrors (signed; TLS not required).
    for (const [host, name] of [[this.redis, 'Redis nodes'], [this.resolvers, 'resolvers']] as const) {
      host.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), `HTTP from ${name} to distribution package mirrors`);
    }
  }
}
