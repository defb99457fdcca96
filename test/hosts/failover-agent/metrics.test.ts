import * as dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { AGENT_METRICS, AgentMetrics } from '../../../hosts/failover-agent/metrics';
import { HOST_NAMESPACE, HostMetric } from '../../../lib/host-config/observability/metric-contract';

describe('the failover agent\'s metrics', () => {
  it('publishes exactly the names the alarms read (the agent cannot import lib/)', () => {
    expect(AGENT_METRICS.splitBrain).toBe(HostMetric.redisSplitBrain);
    expect(AGENT_METRICS.demotionUnproven).toBe(HostMetric.redisDemotionUnproven);
    expect(AGENT_METRICS.eligible).toBe(HostMetric.redisEligible);
  });

  it('sends EMF to the CloudWatch agent\'s UDP listener with the shard and node dimensions', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const received = new Promise<string>((r) => socket.once('message', (m) => r(String(m))));
    const metrics = new AgentMetrics({ namespace: HOST_NAMESPACE, environment: 'production', shard: 2, node: 'b', udp: { host: '127.0.0.1', port: socket.address().port } });
    metrics.publish({ splitBrain: 1, eligible: 1 });
    const event = JSON.parse(await received) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } };
    metrics.close();
    socket.close();
    expect(event).toMatchObject({ Environment: 'production', Shard: '2', Node: 'b', RedisSplitBrain: 1, RedisEligible: 1 });
    expect(event._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: HOST_NAMESPACE, Dimensions: [['Environment', 'Shard', 'Node'], ['Environment', 'Shard']],
      Metrics: [{ Name: 'RedisSplitBrain', Unit: 'Count' }, { Name: 'RedisEligible', Unit: 'Count' }],
    });
  });
});
