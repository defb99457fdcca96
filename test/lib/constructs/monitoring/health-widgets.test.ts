import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { ALARMS_PER_STATUS_WIDGET, healthWidgets } from '../../../../lib/constructs/monitoring/health-widgets';
import { shardTopology } from '../../../../lib/model/redis-topology';

const config = validateEnvConfig('staging.ts', environments.staging);

function firstScreen(groups: Record<string, number>) {
  const stack = new Stack(new App(), 'Health', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const alarm = (name: string) => cloudwatch.Alarm.fromAlarmArn(stack, name, `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${name}`);
  const fn = lambda.Function.fromFunctionName(stack, 'Fn', 'writer');
  const rows = healthWidgets({
    config,
    shards: shardTopology(config),
    stream: kinesis.Stream.fromStreamArn(stack, 'Stream', 'arn:aws:kinesis:ap-northeast-1:123456789012:stream/s'),
    writer: fn,
    functions: { writer: fn },
    alarms: Object.fromEntries(Object.entries(groups).map(([group, n]) => [group, Array.from({ length: n }, (_, i) => alarm(`${group}-${i}`))])),
  });
  return rows[1]!.flatMap((w) => w.toJson()) as Array<{ width: number; properties: { title: string; alarms: string[] } }>;
}

describe('the alarm status row of the first screen', () => {
  it('splits a group over CloudWatch\'s 100-alarm limit into numbered widgets, keeping every alarm', () => {
    const widgets = firstScreen({ 'Redis pairs': 2 * ALARMS_PER_STATUS_WIDGET + 5, other: 3 });
    expect(widgets.map((w) => [w.properties.title, w.properties.alarms.length])).toEqual([
      ['Alarms: Redis pairs (1/3)', 100], ['Alarms: Redis pairs (2/3)', 100], ['Alarms: Redis pairs (3/3)', 5], ['Alarms: other', 3],
    ]);
    expect(new Set(widgets.flatMap((w) => w.properties.alarms)).size).toBe(208);
  });

  it.each([[1], [2], [3], [5]])('fills the full width with %i widget(s)', (n) => {
    const widgets = firstScreen(Object.fromEntries(Array.from({ length: n }, (_, i) => [`g${i}`, 1])));
    expect(widgets).toHaveLength(n);
    expect(widgets.reduce((sum, w) => sum + w.width, 0)).toBe(24);
  });
});
