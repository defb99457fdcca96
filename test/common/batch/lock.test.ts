import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireJobLock, releaseJobLock, runExclusive } from '../../../common/batch/lock';
import { createTable, startLocalDynamo } from '../../lambda/batch/tables';

describe('job lock (DynamoDB lease, dynalite)', () => {
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let tableName: string;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    tableName = await createTable(dynamo.client, 'ledger');
  });
  afterAll(async () => { await dynamo?.close(); });

  const lock = (owner: string, nowS: number, job = 'usage') =>
    ({ client: dynamo.client, tableName, job, owner, leaseSeconds: 60, now: () => nowS * 1000 });

  it('lets one run hold the lease; a second run is refused until it is released', async () => {
    expect(await acquireJobLock(lock('a', 1000))).toBe(true);
    expect(await acquireJobLock(lock('b', 1010))).toBe(false);
    expect(await acquireJobLock(lock('b', 1010, 'retention'))).toBe(true); // other jobs have their own lease
    await releaseJobLock(lock('a', 1020));
    expect(await acquireJobLock(lock('b', 1020))).toBe(true);
  });

  it('frees the lease of a crashed run once it expires, and a late release cannot free the successor', async () => {
    expect(await acquireJobLock(lock('crashed', 2000, 'billing'))).toBe(true);
    expect(await acquireJobLock(lock('next', 2060, 'billing'))).toBe(false); // expiry is exclusive
    expect(await acquireJobLock(lock('next', 2061, 'billing'))).toBe(true);
    await releaseJobLock(lock('crashed', 2062, 'billing'));
    expect(await acquireJobLock(lock('third', 2063, 'billing'))).toBe(false);
  });

  it('runs work exclusively and releases even when the work throws', async () => {
    const options = lock('x', Math.floor(Date.now() / 1000), 'notifications');
    let inner: unknown;
    const outer = await runExclusive(options, async () => {
      inner = await runExclusive({ ...options, owner: 'y' }, async () => 'never');
      return 'done';
    });
    expect(outer).toEqual({ ran: true, result: 'done' });
    expect(inner).toEqual({ ran: false });
    await expect(runExclusive(options, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await runExclusive({ ...options, owner: 'z' }, async () => 1)).toEqual({ ran: true, result: 1 });
  });
});
