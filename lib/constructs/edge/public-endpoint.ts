import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ServiceConfig } from '../../config-schema/sections/services';
import type { EnvConfig } from '../../config-schema/schema';
import { SubnetTier } from '../network/platform-vpc';

export const LISTENER_PORT = 443;
/** TLS 1.3 and 1.2 with forward-secret AEAD ciphers only, plus post-quantum key exchange. */
export const TLS_POLICY = elbv2.SslPolicy.TLS13_12_RES_PQ;

export interface PublicEndpointProps {
  readonly config: EnvConfig;
  /** Host label under edge.domainName ("api" -> api.<domain>); also names the NLB and its log prefix. */
  readonly hostLabel: string;
  readonly service: ServiceConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * One public name on 443: an internet-facing NLB (cross-zone, access logs, deletion protection from
 * config) with a TLS listener terminating the configured ACM certificate, a target group of the
 * service's tasks health-checked over HTTP, and an alias record when the hosted zone is configured.
 */
export class PublicEndpoint extends Construct {
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly listener: elbv2.NetworkListener;
  readonly targetGroup: elbv2.NetworkTargetGroup;
  /** The name clients use: <hostLabel>.<domain>. */
  readonly domainName: string;
  /** The service's HTTP health path, also what external checks request. */
  readonly healthCheckPath: string;

  constructor(scope: Construct, id: string, props: PublicEndpointProps) {
    super(scope, id);
    const { config, service, hostLabel } = props;
    const certificateArn = config.edge.certificateArn;
    // Config validation requires it in every environment; this guards callers that skip validation.
    if (!certificateArn) throw new Error(`edge.certificateArn is required for the ${hostLabel} TLS listener`);
    this.domainName = `${hostLabel}.${config.edge.domainName}`;
    this.healthCheckPath = service.healthCheckPath;

    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      loadBalancerName: `monsaas-${config.name}-${hostLabel}`,
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetGroupName: SubnetTier.public },
      securityGroups: [props.securityGroup],
      crossZoneEnabled: true,
      deletionProtection: config.deletionProtection,
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, `nlb/${hostLabel}`);

    this.targetGroup = new elbv2.NetworkTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      port: service.containerPort,
      protocol: elbv2.Protocol.TCP,
      targetType: elbv2.TargetType.IP,
      // Drain quickly: agents retry, and long drains slow every deploy.
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        protocol: elbv2.Protocol.HTTP,
        path: service.healthCheckPath,
        port: String(service.containerPort),
        interval: Duration.seconds(10),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
    });
    this.listener = this.loadBalancer.addListener('Tls', {
      port: LISTENER_PORT,
      protocol: elbv2.Protocol.TLS,
      certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
      sslPolicy: TLS_POLICY,
      alpnPolicy: elbv2.AlpnPolicy.HTTP2_PREFERRED,
      defaultTargetGroups: [this.targetGroup],
    });

    if (config.edge.hostedZoneId) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: config.edge.hostedZoneId,
        zoneName: config.edge.domainName,
      });
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: this.domainName,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
        comment: `${hostLabel} service NLB (monsaas ${config.name})`,
      });
    }
  }
}
