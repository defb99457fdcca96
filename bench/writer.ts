/**
 * `npm run bench:writer` (a benchmark, not a test): the writer's code path (lambda/tsdb/writer-core.ts,
 * the same function the handler runs) processing realistic Kinesis batches into local redis-server
 * shards (each an active/replica pair, so every batch pays the durability WAIT); in the same run,
 * redis-benchmark pipelined against the same shards as the ceiling, just before and just after the
 * timed batches, both on the dataset the writer updates (their mean is the ceiling: the machine's load
 * drifts, and the ratio is what is judged); then
 * each handler's bundle size and module load time (median of fresh Node processes importing the bundle
 * as deployed). Prints a table, then one JSON line with the ratios.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { execFileSync, spawn } from 'node:child_process';
import type { Metafile } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleHandler, HANDLER_FILE, startupFiles } from '../lib/constructs/common/handler-build';
import { encodeRecord } from '../lambda/tsdb/record';
import { HashRing } from '../lambda/tsdb/ring';
import { processRecords, type InputRecord } from '../lambda/tsdb/writer-core';
import { startDynalite } from '../test/support/aws-local';
import { HANDLER_INIT_ENV } from '../test/support/handler-env';
import { startRedis, type RedisServer } from '../test/support/redis-server';
import { parseCli } from '../scripts/lib/cli';

const ROOT = path.resolve(__dirname, '..');
const { values } = parseCli({
  command: 'npm run bench:writer --',
  usage: [
    '[--only writer|load]',
    '--only writer  the writer against the redis-benchmark ceiling; --only load  handler bundles and module load',
    'BENCH_SHARDS (2) BENCH_HOSTS (1000 records per batch) BENCH_METRICS (200 points per record)',
    'BENCH_BATCHES (5) BENCH_LOAD_RUNS (11 fresh processes per handler for module load)',
  ],
  options: { only: { type: 'string' } },
});
if (values.only !== undefined && values.only !== 'writer' && values.only !== 'load') {
  console.error(`npm run bench:writer --: --only must be writer or load, not ${JSON.stringify(values.only)}`);
  process.exit(2);
}
const progress = (message: string) => console.error(`bench:writer: ${message}`);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 2);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000); // records per batch (production batchSize)
const METRICS = Number(process.env.BENCH_METRICS ?? 200); // points per record: one standard host
const BATCHES = Number(process.env.BENCH_BATCHES ?? 5); // successive minutes
const T0 = 1_767_225_600;
/** Every Lambda handler the platform deploys (repository paths), as the constructs name their entries. */
const HANDLERS = [...new Set(fs.readdirSync(path.join(ROOT, 'lib/constructs'), { recursive: true }).map(String)
  .filter((f) => f.endsWith('.ts'))
  .flatMap((f) => [...fs.readFileSync(path.join(ROOT, 'lib/constructs', f), 'utf8').matchAll(/entry: '(lambda\/[^']+\.ts)'/g)].map((m) => m[1]!)))].sort();
const LOAD_RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 11);
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function batchFor(minute: number): InputRecord[] {
  return Array.from({ length: HOSTS }, (_, h) => ({
    id: `${minute}-${h}`,
    partitionKey: `host-${h}`,
    data: encodeRecord({ v: 1, hostId: `host-${h}`, points: Array.from({ length: METRICS }, (_, m) => ({ name: `metric.group${m % 10}.m${m}`, time: T0 + minute * 60 + (h % 50), value: Math.sin(h + m + minute) * 100 })) }),
  }));
}

/**
 * The writer's timed batches. `ceiling` runs after the warm-up batch (so it measures the shards holding
 * the writer's windows, as the writer sees them, not an empty dataset) and again after the timed batches.
 */
async function benchWriter(servers: RedisServer[], ceiling: () => Promise<number>): Promise<WriterFigures> {
  const dyn = await startDynalite();
  const dynamodb = new DynamoDBClient(dyn.clientConfig);
  await dynamodb.send(new CreateTableCommand({
    TableName: 'series', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'series', AttributeType: 'S' }, { AttributeName: 'window', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'series', KeyType: 'HASH' }, { AttributeName: 'window', KeyType: 'RANGE' }],
  }));
  const vips = servers.map((_, i) => `192.168.255.${10 + i}`);
  const shards = servers.map((s) => s.client());
  const deps = {
    // Healthy pairs confirm in milliseconds; a long timeout keeps a stall of this shared machine from
    // failing a batch (the bench has no failover agent, so no lease to journal under).
    ring: new HashRing(vips), shards, replicaTimeoutMs: 5000,
    store: { dynamodb, tableName: 'series' },
    settings: { tiers: [{ step: 60, retention: 86_400 }, { step: 300, retention: 604_800 }], flushPoints: 60 },
    reject: async () => undefined,
    log: (message: string, detail: Record<string, unknown>) => console.error(message, detail),
  };
  await processRecords(batchFor(-1), deps); // warm connections and the JIT; the windows the batches update
  progress('redis-benchmark ceiling (pipelined HSET), before the timed batches');
  const before = await ceiling();
  progress(`writer: ${BATCHES} batches of ${HOSTS} x ${METRICS} points`);
  const perBatch: number[] = [];
  for (let minute = 0; minute < BATCHES; minute++) {
    const records = batchFor(minute); // Kinesis hands the function decoded bytes; building them is not timed
    const started = process.hrtime.bigint();
    const outcome = await processRecords(records, deps);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (outcome.failedIds.length > 0) throw new Error(`${outcome.failedIds.length} records failed`);
    perBatch.push(outcome.points / seconds);
  }
  progress('redis-benchmark ceiling, after the timed batches');
  const after = await ceiling();
  for (const s of shards) s.disconnect();
  dynamodb.destroy();
  await dyn.close();
  return { pointsPerSec: median(perBatch), perBatch, ceiling: (before + after) / 2, ceilings: [before, after] };
}

/** redis-benchmark, pipelined HSET (the writer's command), on all shards at once: the hardware ceiling. */
async function redisCeiling(servers: RedisServer[]): Promise<number> {
  const runs = servers.map((s) => new Promise<number>((resolve, reject) => {
    const child = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(s.port), '-P', '64', '-n', '400000', '-r', '100000', '-c', '4', '--csv', 'HSET', 'bench:__rand_int__', '__rand_int__', '1.5']);
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.on('error', reject);
    child.on('exit', () => {
      const line = out.trim().split('\n').pop() ?? '';
      resolve(Number(JSON.parse(`[${line}]`)[1]));
    });
  }));
  return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
}

/** Sums the sizes of the JavaScript files (not source maps) among the given bundle outputs. */
function jsKiB(outputs: Metafile['outputs'], files: Iterable<string>): number {
  let bytes = 0;
  for (const file of files) if (file.endsWith('.mjs')) bytes += outputs[file]!.bytes;
  return bytes / 1024;
}

/** Milliseconds to import the bundle in a fresh Node with the given NODE_OPTIONS (one process). */
function moduleLoadMs(file: string, nodeOptions: string): number {
  const env = { ...process.env, ...HANDLER_INIT_ENV, NODE_OPTIONS: nodeOptions, NODE_NO_WARNINGS: '1' };
  const script = `const t=process.hrtime.bigint();import(${JSON.stringify(file)}).then(()=>console.log(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim());
}

interface BundleFigures { handler: string; kib: number; eagerKiB: number; initMs: number; initWithMapsMs: number }

/**
 * Bundles each handler exactly as it is deployed (lib/constructs/common/handler-build.ts), then times
 * importing it as the functions do (no NODE_OPTIONS), and with --enable-source-maps for comparison:
 * round-robin over the handlers, so the machine's load drifts over all of them alike.
 */
function bundles(): BundleFigures[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundles-'));
  try {
    const built = HANDLERS.map((entry) => {
      const handler = entry.replace(/^lambda\/(tsdb\/)?/, '').replace(/(\/handler)?\.ts$/, '');
      const dir = path.join(out, handler.replace(/\W+/g, '-'));
      const { outputs } = bundleHandler(path.join(ROOT, entry), dir);
      return { handler, file: path.join(dir, HANDLER_FILE), kib: round(jsKiB(outputs, Object.keys(outputs)), 1), eagerKiB: round(jsKiB(outputs, startupFiles(outputs)), 1), plain: [] as number[], maps: [] as number[] };
    });
    for (let run = 0; run < LOAD_RUNS; run++) {
      for (const b of built) {
        b.plain.push(moduleLoadMs(b.file, ''));
        b.maps.push(moduleLoadMs(b.file, '--enable-source-maps'));
      }
    }
    return built.map((b) => ({ handler: b.handler, kib: b.kib, eagerKiB: b.eagerKiB, initMs: round(median(b.plain), 1), initWithMapsMs: round(median(b.maps), 1) }));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

interface WriterFigures { pointsPerSec: number; perBatch: number[]; ceiling: number; ceilings: number[] }

/** The writer between two ceiling runs on the same shards. */
async function writerAgainstCeiling(): Promise<WriterFigures> {
  progress(`starting ${SHARDS} redis-server pairs`);
  const primaries = await Promise.all(Array.from({ length: SHARDS }, () => startRedis()));
  const replicas = await Promise.all(primaries.map((p) => startRedis({ replicaOf: p.port })));
  await new Promise((r) => setTimeout(r, 500)); // let the replicas finish their first sync
  try {
    return await benchWriter(primaries, () => redisCeiling(primaries));
  } finally {
    await Promise.all([...primaries, ...replicas].map((s) => s.stop()));
  }
}

async function main(): Promise<void> {
  const writer = values.only === 'load' ? undefined : await writerAgainstCeiling();
  let built: BundleFigures[] | undefined;
  if (values.only !== 'writer') {
    progress(`bundling ${HANDLERS.length} handlers and timing module load (${LOAD_RUNS} fresh processes each)`);
    built = bundles();
  }
  console.log('| measure | value |\n|---|---|');
  if (writer) {
    console.log(`| writer: ${SHARDS} shards (active + replica), ${HOSTS} records x ${METRICS} points per batch, ${BATCHES} batches | |`);
    console.log(`| writer points/s (median batch) | ${round(writer.pointsPerSec)} |`);
    console.log(`| writer points/s per batch | ${writer.perBatch.map((n) => round(n)).join(', ')} |`);
    console.log(`| redis-benchmark HSET -P 64, all shards, ops/s (before, after) | ${round(writer.ceiling)} (${writer.ceilings.map((n) => round(n)).join(', ')}) |`);
    console.log(`| writer / ceiling | ${round(writer.pointsPerSec / writer.ceiling, 3)} |`);
  }
  for (const b of built ?? []) {
    console.log(`| ${b.handler}: bundle KiB (loaded at start) | ${b.kib} (${b.eagerKiB}) |`);
    console.log(`| ${b.handler}: module load ms, as deployed / with --enable-source-maps | ${b.initMs} / ${b.initWithMapsMs} |`);
  }
  console.log(JSON.stringify({
    ...(writer && {
      pointsPerSec: round(writer.pointsPerSec),
      redisCeilingOpsPerSec: round(writer.ceiling),
      ceilingRatio: round(writer.pointsPerSec / writer.ceiling, 3),
    }),
    ...(built && {
      maxBundleKiB: Math.max(...built.map((b) => b.kib)),
      maxInitMs: Math.max(...built.map((b) => b.initMs)),
      initMs: Object.fromEntries(built.map((b) => [b.handler, b.initMs])),
    }),
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
