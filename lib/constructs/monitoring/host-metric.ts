import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { HOST_NAMESPACE } from '../../host-config/observability/metric-contract';

/** A metric the host collector publishes (namespace MonSaaS/Hosts), by default per minute (its sampling interval). */
export function hostMetric(
  metricName: string, dimensionsMap: Record<string, string>, statistic: string, label?: string, period = Duration.minutes(1),
): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: HOST_NAMESPACE, metricName, dimensionsMap, statistic, period, label });
}
