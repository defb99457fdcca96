import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followNotifyFifo, parseNotifyLine, type VrrpState } from '../../../hosts/failover-agent/notify-fifo';

describe('keepalived notify FIFO', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-fifo-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses keepalived notify_fifo lines', () => {
    expect(parseNotifyLine('INSTANCE "shard_0" MASTER 150')).toEqual({ instance: 'shard_0', state: 'MASTER' });
    expect(parseNotifyLine('INSTANCE "shard_3" FAULT 0\n')).toEqual({ instance: 'shard_3', state: 'FAULT' });
    expect(parseNotifyLine('GROUP "g" BACKUP 0')).toBeUndefined();
    expect(parseNotifyLine('INSTANCE "x" MASTERFUL 1')).toBeUndefined();
  });

  it('creates the FIFO, reports each state line, and reports the writer going away', async () => {
    const fifo = path.join(dir, 'keepalived.fifo');
    const states: VrrpState[] = [];
    let gone = 0;
    let opened = 0;
    const stop = followNotifyFifo(fifo, (state) => states.push(state), () => { gone += 1; }, () => { opened += 1; });
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    // A writer like keepalived: opens, writes state changes, dies.
    // (opened asynchronously: a FIFO's open blocks until the other end opens too)
    const writer = await fs.promises.open(fifo, 'w');
    await writer.write('INSTANCE "shard_0" BACKUP 100\nINSTANCE "shard_0" MASTER 100\n');
    await writer.close();
    for (let i = 0; i < 100 && gone === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(states).toEqual(['MASTER']); // the first read after opening: only the newest state
    expect(gone).toBe(1);
    expect(opened).toBe(1); // the agent learns the state itself whenever a keepalived opens the FIFO
    // The FIFO is reopened: a restarted keepalived is heard again.
    const writer2 = await fs.promises.open(fifo, 'w');
    await writer2.write('INSTANCE "shard_0" FAULT 100\n');
    for (let i = 0; i < 100 && states.length < 2; i += 1) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    await writer2.write('INSTANCE "shard_0" BACKUP 100\n');
    for (let i = 0; i < 100 && states.length < 3; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(states).toEqual(['MASTER', 'FAULT', 'BACKUP']); // later lines: every one
    expect(opened).toBe(2);
    stop();
    await writer2.close();
  });

  it('reports only the newest of the lines that waited in the FIFO before the agent opened it', async () => {
    const fifo = path.join(dir, 'buffered.fifo');
    execFileSync('mkfifo', [fifo]);
    // keepalived opens its FIFO read-write: its lines wait in the pipe while no agent reads.
    const keepalived = await fs.promises.open(fifo, 'r+');
    await keepalived.write('INSTANCE "shard_0" BACKUP 100\nINSTANCE "shard_0" MASTER 100\nINSTANCE "shard_0" BACKUP 100\nINSTANCE "shard_0" MASTER 100\n');
    const states: VrrpState[] = [];
    const stop = followNotifyFifo(fifo, (state) => states.push(state), () => undefined);
    for (let i = 0; i < 100 && states.length < 1; i += 1) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(states).toEqual(['MASTER']);
    await keepalived.write('INSTANCE "shard_0" FAULT 100\n');
    for (let i = 0; i < 100 && states.length < 2; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(states).toEqual(['MASTER', 'FAULT']);
    stop();
    await keepalived.close();
  });
});
