/**
 * The drill's writer, run in the client namespace: writes continuously to the shard VIP through
 * durableShardWrite (the writer's durability contract) and reports every acknowledged write.
 * stdin: {"cmd":"verify","host":...} -> {"verify":{host, missing:[seq...], checked}}; {"cmd":"stop"}.
 */
import { Redis } from 'ioredis';
import * as readline from 'node:readline';
import { durableShardWrite } from '../../common/durable-shard-write';

const [vip, port, password, replicaTimeoutMs] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!, Number(process.argv[5])];
export const ACK_HASH = 'drill:acked';
const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

const redis = new Redis({
  host: vip, port, password, connectTimeout: 500, commandTimeout: 1500, maxRetriesPerRequest: 0,
  retryStrategy: () => 50, enableOfflineQueue: false,
});
redis.on('error', () => undefined);
let node = 'unknown';
// Which node the VIP reached: its config file path names it (the route decides, not the client).
redis.on('ready', () => {
  node = 'unknown';
  redis.info('server').then((info) => { node = /config_file:.*\/([ab])\/redis\.conf/.exec(info)?.[1] ?? 'unknown'; }, () => undefined);
});

const acked: number[] = [];
let running = true;
async function writeLoop(): Promise<void> {
  let seq = 0;
  while (running) {
    seq += 1;
    const servedBy = node;
    try {
      const path = await durableShardWrite(redis, (p) => p.hset(ACK_HASH, String(seq), String(Date.now())), { replicaTimeoutMs });
      acked.push(seq);
      out({ ack: seq, t: Date.now(), node: servedBy === node ? node : 'unknown', journalled: path === 'journalled' });
      // About a write per millisecond: dense enough to see any loss window, small enough that the full
      // syncs after a split stay short (the acknowledged set only grows during the drill).
      await new Promise((r) => setTimeout(r, 1));
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function verify(host: string): Promise<void> {
  const check = new Redis({ host, port, password, lazyConnect: true, maxRetriesPerRequest: 1 });
  // Only writes acknowledged BEFORE the read can be expected in it (the write loop keeps running).
  const expected = acked.slice();
  try {
    await check.connect();
    const present = new Set(await check.hkeys(ACK_HASH));
    out({ verify: { host, checked: expected.length, missing: expected.filter((s) => !present.has(String(s))) } });
  } catch (error) {
    out({ verify: { host, error: (error as Error).message } });
  } finally {
    check.disconnect();
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as { cmd: string; host?: string };
  if (msg.cmd === 'verify') void verify(msg.host!);
  if (msg.cmd === 'stop') { running = false; redis.disconnect(); setTimeout(() => process.exit(0), 100); }
});
void writeLoop();
