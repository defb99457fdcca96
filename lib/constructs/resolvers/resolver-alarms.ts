import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { RESOLVER_METRICS_NAMESPACE, ResolverMetric, resolverName } from '../../host-config/unbound/metrics';
import { withRunbook } from '../monitoring/runbook-link';

export interface ResolverAlarmsProps {
  readonly config: EnvConfig;
}

/**
 * Alarms on the statistics the resolvers publish (hosts/unbound-stats): a high SERVFAIL ratio per
 * resolver and for the fleet, and a resolver that stopped reporting (unbound down or the publisher
 * broken). Actions are left to the monitoring stack, which subscribes its topic to these.
 */
export class ResolverAlarms extends Construct {
  readonly servfailRatio: cloudwatch.Alarm[] = [];
  readonly statisticsMissing: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ResolverAlarmsProps) {
    super(scope, id);
    const { config } = props;
    const metric = (name: string, resolver?: string) => new cloudwatch.Metric({
      namespace: RESOLVER_METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: resolver ? { Environment: config.name, Resolver: resolver } : { Environment: config.name },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(1),
    });
    const ratioAlarm = (alarmId: string, who: string, resolver?: string) => {
      const minQueries = config.resolvers.servfailAlarmMinQueries;
      // A few SERVFAILs among a handful of queries is noise: below minQueries the ratio counts as 0.
      const ratio = new cloudwatch.MathExpression({
        expression: `IF(queries >= ${minQueries}, 100 * servfail / queries, 0)`,
        usingMetrics: { servfail: metric(ResolverMetric.servfail, resolver), queries: metric(ResolverMetric.queries, resolver) },
        period: Duration.minutes(1),
        label: `SERVFAIL % of queries (${who})`,
      });
      const alarm = ratio.createAlarm(this, alarmId, {
        alarmDescription: withRunbook(`${config.name} ${who}: more than ${config.resolvers.servfailAlarmPercent}% of answers are SERVFAIL (upstream or internal zone servers unreachable?).`, 'resolverServfail'),
        threshold: config.resolvers.servfailAlarmPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.servfailRatio.push(alarm);
    };
    ratioAlarm('FleetServfailRatio', 'all resolvers');
    for (let index = 0; index < config.resolvers.count; index++) {
      const name = resolverName(index);
      ratioAlarm(`ServfailRatio${index + 1}`, name, name);
      this.statisticsMissing.push(metric(ResolverMetric.queries, name).with({ statistic: cloudwatch.Stats.SAMPLE_COUNT }).createAlarm(this, `StatisticsMissing${index + 1}`, {
        alarmDescription: withRunbook(`${config.name} ${name} has published no statistics for 5 minutes: unbound or its publisher is down.`, 'resolverStatisticsMissing'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 5,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }));
    }
  }
}
