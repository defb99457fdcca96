import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';
import { HostDimension as D, HostMetric as M } from '../../host-config/observability/metric-contract';
import { shardTopology, type RedisShard } from '../../model/redis-topology';
import { hostMetric } from './host-metric';
import { withRunbook, type RunbookSection } from './runbook-link';

export interface RedisShardAlarmsProps {
  readonly config: EnvConfig;
  readonly topic: sns.ITopic;
  /** Alarm names start with this (the routing rule leaves these to their own actions). */
  readonly alarmNamePrefix: string;
}

/** Thresholds, with the reason each is where it is. */
export const REDIS_THRESHOLDS = {
  /** used_memory / maxmemory. With noeviction, writes fail at 100 %; 85 % leaves time to add a shard. */
  memoryUsedPercent: 85,
  /** Redis' default maxclients is 10000; 80 % of it means a client leak or a connection storm. */
  connectedClients: 8000,
  /** keepalived runs as a parent plus a VRRP child (the operators' check-procs --critical-under=2). */
  keepalivedProcesses: 2,
  /** Largest shard over the mean. Consistent hashing gives each shard about 1/N; 1.5x hits maxmemory first. */
  keyImbalanceRatio: 1.5,
} as const;

/**
 * Per-shard alarms on what the nodes' collector publishes: memory, clients, replication link, Redis up,
 * keepalived running on each node, exactly one node holding the VIP (keepalived MASTER) per shard, and
 * the key balance between shards. Dimensions come from the shard topology (shard index, node a/b), which
 * the Redis hosts are rendered from too.
 */
export class RedisShardAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly shards: RedisShard[];

  constructor(scope: Construct, id: string, props: RedisShardAlarmsProps) {
    super(scope, id);
    const { config } = props;
    this.shards = shardTopology(config);
    const env = { [D.environment]: config.name };
    const add = (name: string, description: string, runbook: RunbookSection, alarmProps: Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription'>) => {
      const alarm = new cloudwatch.Alarm(this, name, {
        ...alarmProps,
        alarmName: `${props.alarmNamePrefix}-${name}`,
        alarmDescription: withRunbook(description, runbook),
      });
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      alarm.addOkAction(new actions.SnsAction(props.topic));
      this.alarms.push(alarm);
      return alarm;
    };

    for (const shard of this.shards) {
      const s = String(shard.index);
      const shardDims = { ...env, [D.shard]: s };
      add(`redis-shard-${s}-memory`, `Shard ${s} uses over ${REDIS_THRESHOLDS.memoryUsedPercent}% of maxmemory (noeviction: writes fail at 100%).`, 'redisCapacity', {
        metric: hostMetric(M.redisMemoryUsedPercent, shardDims, 'Maximum'),
        threshold: REDIS_THRESHOLDS.memoryUsedPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5, datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add(`redis-shard-${s}-clients`, `Shard ${s} has over ${REDIS_THRESHOLDS.connectedClients} clients (maxclients 10000).`, 'redisCapacity', {
        metric: hostMetric(M.redisConnectedClients, shardDims, 'Maximum'),
        threshold: REDIS_THRESHOLDS.connectedClients,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5, datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add(`redis-shard-${s}-replication-link`, `Shard ${s}: the standby's link to the master is down for 3 minutes (no copy to fail over to).`, 'redisReplicationLink', {
        metric: hostMetric(M.redisMasterLinkUp, shardDims, 'Minimum'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3, datapointsToAlarm: 3,
        // A shard without a replica reporting is caught by the master-count alarm below.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const vipHeld: Record<string, cloudwatch.IMetric> = {};
      for (const node of shard.nodes) {
        const nodeDims = { ...shardDims, [D.node]: node.role };
        add(`redis-shard-${s}-${node.role}-redis-down`, `${node.name}: Redis does not answer (or the host stopped reporting) for 2 minutes.`, 'redisDown', {
          metric: hostMetric(M.redisUp, nodeDims, 'Minimum'),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2, datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        });
        add(`redis-shard-${s}-${node.role}-keepalived`, `${node.name}: fewer than ${REDIS_THRESHOLDS.keepalivedProcesses} keepalived processes (not running, e.g. forgotten after a reboot): no failover possible.`, 'redisKeepalived', {
          metric: hostMetric(M.processCount, { ...nodeDims, [D.process]: 'keepalived' }, 'Minimum'),
          threshold: REDIS_THRESHOLDS.keepalivedProcesses,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2, datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        });
        add(`redis-shard-${s}-${node.role}-fenced`, `${node.name} stays fenced with data its peer may lack (demotion could not prove the peer's history continues its own): merge it by hand.`, 'redisFenced', {
          metric: hostMetric(M.redisDemotionUnproven, nodeDims, 'Maximum'),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1, datapointsToAlarm: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        add(`redis-shard-${s}-${node.role}-not-eligible`, `${node.name} has not completed a sync since its Redis started for 10 minutes (or its failover agent is not reporting): it cannot take over, so a master failure leaves the shard without a master.`, 'redisNotEligible', {
          metric: hostMetric(M.redisEligible, nodeDims, 'Maximum'),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 10, datapointsToAlarm: 10,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        });
        vipHeld[`vip${node.role}`] = hostMetric(M.vipHeld, nodeDims, 'Maximum', `${node.name} holds VIP`);
      }
      add(`redis-shard-${s}-split-brain`, `Shard ${s}: both nodes are MASTER and the standby yields the VIP routes (VRRP between them is cut) for 2 minutes.`, 'redisSplitBrain', {
        metric: hostMetric(M.redisSplitBrain, shardDims, 'Maximum'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 2, datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const [a, b] = Object.keys(vipHeld) as [string, string];
      add(`redis-shard-${s}-master-count`, `Shard ${s} does not have exactly one keepalived MASTER (0: no writer; 2: split brain) for 2 minutes.`, 'redisMasterCount', {
        metric: new cloudwatch.MathExpression({
          expression: `ABS(FILL(${a}, 0) + FILL(${b}, 0) - 1)`,
          usingMetrics: vipHeld,
          period: Duration.minutes(1),
          label: `shard ${s}: |masters - 1|`,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 2, datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }

    if (this.shards.length >= 2) {
      const keys = Object.fromEntries(this.shards.map((shard) => [
        `k${shard.index}`, hostMetric(M.redisKeys, { ...env, [D.shard]: String(shard.index) }, 'Maximum', `shard ${shard.index} keys`, Duration.minutes(15)),
      ]));
      const list = Object.keys(keys).join(', ');
      add('redis-shard-balance', `The largest shard holds over ${REDIS_THRESHOLDS.keyImbalanceRatio}x the mean key count: it will hit maxmemory first.`, 'redisBalance', {
        metric: new cloudwatch.MathExpression({
          expression: `MAX([${list}]) / AVG([${list}])`,
          usingMetrics: keys,
          period: Duration.minutes(15),
          label: 'largest shard / mean (keys)',
        }),
        threshold: REDIS_THRESHOLDS.keyImbalanceRatio,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 4, datapointsToAlarm: 4,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
