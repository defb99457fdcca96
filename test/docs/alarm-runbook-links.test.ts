import { describe, expect, it } from 'vitest';
import { RUNBOOK_SECTIONS } from '../../lib/constructs/monitoring/runbook-link';
import { STACK_PARTS, stackNameOf, type StackPart } from '../../lib/platform/stack-parts';
import { ENVIRONMENTS, template } from '../support/platform';
import { runbooks } from './markdown';

const PARTS = Object.keys(STACK_PARTS) as StackPart[];
const FILE_LEVEL = new Set(['redis-failover.md']);
const LINK = /Runbook: docs\/runbooks\/([\w.-]+\.md)#([\w-]+)$/;

interface AlarmFound {
  readonly where: string;
  /** The alarm's name; CloudFormation names an alarm without AlarmName "<stack>-<logical id>-<suffix>". */
  readonly name: string;
  readonly description: string;
}

/** Every metric and composite alarm of one environment, over all of its stacks. */
function alarmsOf(env: string): AlarmFound[] {
  return PARTS.flatMap((part) => {
    const resources = template(env, part).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    return Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map(([id, r]) => ({
        where: `${env}/${part}/${String(r.Properties.AlarmName ?? id)}`,
        name: typeof r.Properties.AlarmName === 'string' ? r.Properties.AlarmName : `${stackNameOf(env, part)}-${id}-GENERATED`,
        description: String(r.Properties.AlarmDescription ?? ''),
      }));
  });
}

describe('every alarm links the exact runbook section for it', () => {
  const docs = runbooks();

  it('every section in the link table is a heading of an existing runbook', () => {
    for (const [section, link] of Object.entries(RUNBOOK_SECTIONS)) {
      const [file, anchor] = link.split('#') as [string, string];
      expect(docs.has(file), `${section}: docs/runbooks/${file} does not exist`).toBe(true);
      expect([...docs.get(file)!.anchors], `${section}: no heading with anchor #${anchor} in ${file}`).toContain(anchor);
    }
  });

  it.each(ENVIRONMENTS)('%s: each alarm description ends with "Runbook: docs/runbooks/<file>#<anchor>" and the anchor exists', (env) => {
    const alarms = alarmsOf(env);
    expect(alarms.length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const alarm of alarms) {
      const match = LINK.exec(alarm.description);
      if (!match) {
        problems.push(`${alarm.where}: no runbook section link in "${alarm.description}"`);
        continue;
      }
      const [, file, anchor] = match as unknown as [string, string, string];
      if (file === 'README.md') problems.push(`${alarm.where}: links the runbook index, not a section`);
      else if (!docs.get(file)?.anchors.has(anchor)) problems.push(`${alarm.where}: docs/runbooks/${file}#${anchor} does not exist`);
    }
    expect(problems).toEqual([]);
  });

  it.each(ENVIRONMENTS)('%s: the linked section names the alarm (`monsaas-<env>-...` with <placeholders> and * as written there)', (env) => {
    const problems: string[] = [];
    for (const alarm of alarmsOf(env)) {
      const match = LINK.exec(alarm.description);
      if (!match) continue; // reported above
      const [, file, anchor] = match as unknown as [string, string, string];
      // redis-failover.md (the failover agent's runbook, owned with it) names its alarms in one table, not per section.
      const section = FILE_LEVEL.has(file) ? { text: docs.get(file)?.text ?? '' } : docs.get(file)?.sections.find((s) => s.anchor === anchor);
      if (!section) continue;
      const spans = [...section.text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((t) => /[A-Za-z]{4}/.test(t) && t.length >= 8);
      const named = spans.some((span) => new RegExp(span.split(/(<[^>]+>|\*)/).map((piece) =>
        piece === '*' ? '.*' : piece.startsWith('<') ? '[^-]+' : piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('')).test(alarm.name));
      if (!named) problems.push(`${alarm.where}: ${file}#${anchor} does not name it`);
    }
    expect(problems).toEqual([]);
  });

  it.each(ENVIRONMENTS)('%s: shard memory and clients alarms send the engineer to adding a shard, not to failover', (env) => {
    const capacity = alarmsOf(env).filter((a) => /redis-shard-\d+-(memory|clients)$/.test(a.where));
    expect(capacity.length).toBeGreaterThanOrEqual(4);
    for (const alarm of capacity) expect(alarm.description, alarm.where).toMatch(/Runbook: docs\/runbooks\/redis-add-shard\.md#/);
  });
});
