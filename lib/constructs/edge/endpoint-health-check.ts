import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { withRunbook } from '../monitoring/runbook-link';

export interface EndpointHealthCheckProps {
  /** The public name checked, e.g. api.<domain>. */
  readonly domainName: string;
  /** HTTP path answered by the service behind the TLS listener. */
  readonly path: string;
  readonly environmentName: string;
}

/** Seconds between checks from each Route 53 checker region (10 costs more and is not needed). */
const REQUEST_INTERVAL_S = 30;
const FAILURE_THRESHOLD = 3;

/**
 * A Route 53 HTTPS health check on 443 of one public name (an NLB does not answer ICMP, and HTTPS also
 * proves the TLS listener and a healthy task behind it), and an alarm when it reports unhealthy.
 * Route 53 publishes health-check metrics only in us-east-1, so this construct belongs in a stack there.
 */
export class EndpointHealthCheck extends Construct {
  readonly healthCheck: route53.CfnHealthCheck;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EndpointHealthCheckProps) {
    super(scope, id);
    this.healthCheck = new route53.CfnHealthCheck(this, 'HealthCheck', {
      healthCheckConfig: {
        type: 'HTTPS',
        fullyQualifiedDomainName: props.domainName,
        port: 443,
        resourcePath: props.path,
        enableSni: true,
        requestInterval: REQUEST_INTERVAL_S,
        failureThreshold: FAILURE_THRESHOLD,
      },
      healthCheckTags: [{ key: 'Name', value: `monsaas-${props.environmentName} ${props.domainName}` }],
    });
    this.alarm = new cloudwatch.Alarm(this, 'Unhealthy', {
      alarmName: `monsaas-${props.environmentName} ${props.domainName} unreachable on 443`,
      alarmDescription: withRunbook(`Route 53 HTTPS check of https://${props.domainName}${props.path} fails from most checker regions.`, 'endpointUnreachable'),
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: this.healthCheck.attrHealthCheckId },
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.minutes(1),
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 2,
      // No data means the check itself is gone or broken: treat that as down, not as fine.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}
