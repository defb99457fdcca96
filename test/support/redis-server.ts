import { Redis } from 'ioredis';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnServer, stopProcess, waitForPort } from './processes';

export interface RedisServer {
  readonly port: number;
  readonly child: ChildProcess;
  client(): Redis;
  stop(): Promise<void>;
}

/**
 * Starts a real redis-server on 127.0.0.1 (no persistence), optionally as a replica of another, on a
 * free port or on `port` (a restart of a server that was stopped).
 * Fails loudly when redis-server is missing: scripts/ensure-host-tools.sh installs it.
 */
export async function startRedis(options: { replicaOf?: number; extraArgs?: string[]; port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  // Its own directory: a replica's full sync writes dump.rdb, which must never land in the repository.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-test-'));
  const args = [
    '--port', String(port), '--dir', dir, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--protected-mode', 'no', '--repl-diskless-sync-delay', '0', '--loglevel', 'warning',
    ...(options.replicaOf ? ['--replicaof', '127.0.0.1', String(options.replicaOf)] : []),
    ...(options.extraArgs ?? []),
  ];
  const { child, output } = spawnServer('redis-server', args);
  try {
    await waitForPort(port);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start (run scripts/ensure-host-tools.sh): ${(error as Error).message}\n${output()}`);
  }
  const clients: Redis[] = [];
  return {
    port,
    child,
    client() {
      const c = new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1 });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await stopProcess(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `primary` has a replica online (so WAIT 1 can be satisfied). */
export async function waitForReplica(primary: Redis): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await primary.info('replication');
    if (/connected_slaves:1/.test(info) && /state=online/.test(info)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('replica never came online');
}
