import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, putRows, startLocalDynamo } from '../../lambda/batch/tables';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Builds the entrypoint exactly as the Dockerfile does (one esbuild bundle) and runs it with node
 * against dynalite: the process, its arguments, its exit codes and what it writes.
 */
describe('billing task entrypoint (bundled as in the image, run against dynalite)', () => {
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'billing-bundle-'));
    bundle = path.join(dir, 'main.js');
    await build({ entryPoints: [path.join(ROOT, 'containers/billing/main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: bundle, logLevel: 'silent' });
  });
  afterAll(async () => {
    await dynamo?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (table: string, args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [bundle, ...args], {
        env: {
          PATH: process.env.PATH ?? '', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'ap-northeast-1',
          AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', LEDGER_TABLE: table, TIME_ZONE: 'Asia/Tokyo', MAX_RUNTIME_MINUTES: '5', ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => { output += String(d); });
      child.stderr.on('data', (d) => { output += String(d); });
      child.on('exit', (code) => resolve({ code, output }));
    });

  const seed = async () => {
    const table = await createTable(dynamo.client, 'ledger');
    await putRows(dynamo.client, table, [
      { pk: 'USAGE#2026-02', sk: 'RUN#2026-02-01T00:00:00.000Z', slot: '2026-02-01T00:00:00.000Z', organizations: 1 },
      { pk: 'USAGE#2026-02', sk: 'RUN#2026-02-02T00:00:00.000Z', slot: '2026-02-02T00:00:00.000Z', organizations: 1 },
      { pk: 'USAGE#2026-02', sk: 'ORG#acme#2026-02-01T00:00:00.000Z', org: 'acme', slot: '2026-02-01T00:00:00.000Z', standardHosts: 3, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 1 },
    ]);
    return table;
  };

  it('bills the month given with --month, logs a JSON summary and exits 0', async () => {
    const table = await seed();
    const { code, output } = await run(table, ['--month', '2026-02']);
    expect(code, output).toBe(0);
    const bill = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'BILL#2026-02' }, sk: { S: 'ORG#acme' } } }));
    expect(bill.Item?.standardHosts?.N).toBe('1.5');
    expect(bill.Item?.totalStandardHosts?.N).toBe('2');
    const done = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.message === 'billing done');
    expect(done).toMatchObject({ job: 'billing', month: '2026-02', slots: 2, organizations: 1, level: 'INFO' });
  });

  it('takes the month from BILLING_MONTH (a container override)', async () => {
    const table = await seed();
    expect((await run(table, [], { BILLING_MONTH: '2026-02' })).code).toBe(0);
    const bill = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'BILL#2026-02' }, sk: { S: 'RUN' } } }));
    expect(bill.Item?.slots?.N).toBe('2');
  });

  it('exits 75 without billing while another run holds the lock', async () => {
    const table = await seed();
    await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'LOCK#billing' }, sk: { S: 'LOCK' }, owner: { S: 'other' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) } } }));
    const { code } = await run(table, ['--month', '2026-02']);
    expect(code).toBe(75);
    const bill = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'BILL#2026-02' }, sk: { S: 'ORG#acme' } } }));
    expect(bill.Item).toBeUndefined();
  });

  it('exits 2 on a malformed month and 1 when the table is missing', async () => {
    expect((await run('unused', ['--month', '2026-2'])).code).toBe(2);
    expect((await run('no-such-table', ['--month', '2026-02'])).code).toBe(1);
  });

  it('ships in an ARM64, non-root image that runs this bundle', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'containers/billing/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/esbuild containers\/billing\/main\.ts --bundle --platform=node/);
    expect(dockerfile.match(/^FROM --platform=linux\/arm64 /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/main\.js"\]$/m);
  });
});
