import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const SCRIPT = path.resolve(__dirname, '../../../hosts/host-metrics/monsaas-host-metrics.sh');
const run = promisify(execFile);

export interface EmfLine {
  readonly _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }>; LogGroupName?: string };
  readonly [field: string]: unknown;
}

/** Runs the real collector once with EMF written to a file instead of the agent; returns the parsed lines. */
export async function runCollector(dir: string, env: Record<string, string>, prefix: string[] = []): Promise<EmfLine[]> {
  const sink = path.join(dir, `emf-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
  const vars = { ENVIRONMENT: 'staging', ROLE: 'redis', HOST_NAME: 'test-host', STATE_DIR: path.join(dir, 'state'), EMF_SINK: sink, ...env };
  const [command, ...args] = [...prefix, 'bash', SCRIPT];
  await run(command!, args, { env: { ...process.env, ...vars } });
  if (!fs.existsSync(sink)) return [];
  return fs.readFileSync(sink, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as EmfLine);
}

/** The value of metric NAME in the first line that publishes it and matches the given fields. */
export function metricValue(lines: EmfLines, name: string, fields: Record<string, string> = {}): number | undefined {
  const line = lines.find((l) => name in l && Object.entries(fields).every(([k, v]) => l[k] === v));
  return line ? Number(line[name]) : undefined;
}
type EmfLines = readonly EmfLine[];
