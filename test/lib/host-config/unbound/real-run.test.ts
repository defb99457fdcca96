import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import { STATS_SCRIPT_SOURCE, renderUnboundConf, unboundSettings, type UnboundSettings } from '../../../../lib/host-config/unbound';
import { freePort, spawnServer, waitForPort } from '../../../support/processes';
import { dig, localRunSettings, startNsd, stopAll, until, type LocalNsd } from './local-dns';
import { python3 } from '../../../hosts/unbound-stats/python';

const run = promisify(execFile);

/**
 * The staging resolver's rendered unbound.conf, served by real unbound with its addresses moved to
 * loopback: nsd as the internal authoritative, a second nsd as the "public" upstream.
 */
const config = validateEnvConfig('staging.ts', environments.staging);
const internalZone = config.resolvers.internalZones[0]!.name;
const PUBLIC_ZONE = 'example.net';
/** Upstream's negative TTL: far above the cap, so an uncapped cache would fail the cap test. */
const UPSTREAM_NEGATIVE_TTL_S = 300;
/** Small cap so the test runs in seconds (config's production value is checked in unbound-conf.test.ts). */
const CAP_S = 2;
const ALLOWED_CLIENT = '127.0.0.2';
const OUTSIDE_CLIENT = '127.0.0.3';
const PUBLIC_RECORDS = 'www IN A 192.0.2.10\nwww2 IN A 192.0.2.20\nwww3 IN A 192.0.2.30';

let tmp: string;
let internal: LocalNsd;
let upstream: LocalNsd;
let unbound: { port: number; child: ChildProcess; output: () => string };
let confPath: string;

const ask = (name: string, source = ALLOWED_CLIENT) => dig(unbound, name, { source });

async function statsNoreset(): Promise<Record<string, number>> {
  const { stdout } = await run('unbound-control', ['-c', confPath, 'stats_noreset']);
  return Object.fromEntries(stdout.trim().split('\n').map((line) => {
    const [key, value] = line.split('=');
    return [key!, Number(value)];
  }));
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unbound-run-'));
  [internal, upstream] = await Promise.all([
    startNsd(path.join(tmp, 'internal'), internalZone, 60, 'app IN A 10.1.2.3'),
    startNsd(path.join(tmp, 'upstream'), PUBLIC_ZONE, UPSTREAM_NEGATIVE_TTL_S, PUBLIC_RECORDS),
  ]);
  const port = await freePort();
  const rendered = unboundSettings(config, 0);
  const settings: UnboundSettings = {
    ...rendered,
    listenAddress: '127.0.0.1',
    port,
    allowedCidrs: [`${ALLOWED_CLIENT}/32`],
    stubZones: rendered.stubZones.map((zone) => ({ ...zone, addresses: [`127.0.0.1@${internal.port}`] })),
    forwardZones: rendered.forwardZones.map((zone) => ({ ...zone, addresses: [`127.0.0.1@${upstream.port}`] })),
    cacheMaxNegativeTtlS: CAP_S,
    ...localRunSettings(tmp),
  };
  confPath = path.join(tmp, 'unbound.conf');
  fs.writeFileSync(confPath, renderUnboundConf(settings));
  await run('unbound-checkconf', [confPath]);
  const server = spawnServer('unbound', ['-d', '-c', confPath]);
  unbound = { port, ...server };
  await waitForPort(port).catch((error: Error) => { throw new Error(`${error.message}\n${server.output()}`); });
});

afterAll(async () => {
  await stopAll([unbound?.child, internal?.child, upstream?.child]);
  // KEEP_TMP=1 keeps the configs and unbound.log for debugging.
  if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('rendered unbound.conf served by real unbound', () => {
  it('resolves internal names through the internal zone\'s authoritative server only', async () => {
    const answer = await ask(`app.${internalZone}`);
    expect(answer.status).toBe('NOERROR');
    expect(answer.answers).toEqual([expect.stringMatching(new RegExp(`^app\\.${internalZone.replace(/\./g, '\\.')}\\. \\d+ IN A 10\\.1\\.2\\.3$`))]);
    // The upstream does not know the internal zone: the answer can only have come from the stub.
    expect((await dig(upstream, `app.${internalZone}`)).status).toBe('REFUSED');
  });

  it('resolves everything else through the upstream', async () => {
    const answer = await ask(`www.${PUBLIC_ZONE}`);
    expect(answer.status).toBe('NOERROR');
    expect(answer.answers).toEqual([expect.stringMatching(/^www\.example\.net\. \d+ IN A 192\.0\.2\.10$/)]);
    expect((await dig(internal, `www.${PUBLIC_ZONE}`)).status).toBe('REFUSED');
  });

  it('refuses clients outside the allowed range', async () => {
    const answer = await ask(`www.${PUBLIC_ZONE}`, OUTSIDE_CLIENT);
    expect(answer.status).toBe('REFUSED');
    expect(answer.answers).toEqual([]);
  });

  it('caches NXDOMAIN no longer than cache-max-negative-ttl', async () => {
    const name = `late.${PUBLIC_ZONE}`;
    const cachedAt = Date.now();
    const first = await ask(name);
    expect(first.status).toBe('NXDOMAIN');
    // Upstream said 300 s; the cached negative answer carries the cap.
    expect(first.soaTtl).toBeLessThanOrEqual(CAP_S);
    const before = await statsNoreset();
    expect((await ask(name)).status).toBe('NXDOMAIN');
    expect((await statsNoreset())['total.num.cachehits']).toBe(before['total.num.cachehits']! + 1);

    // The record appears upstream while the NXDOMAIN is cached...
    upstream.setZone(`${PUBLIC_RECORDS}\nlate IN A 192.0.2.11`);
    await until(async () => (await dig(upstream, name)).status === 'NOERROR', 'the upstream to reload');
    // ...and is served once the cap has passed (an uncapped cache would answer NXDOMAIN for 300 s).
    // Unbound's clock ticks in whole seconds: an entry lives until the second after its TTL ends.
    await new Promise((r) => setTimeout(r, Math.max(0, cachedAt + (CAP_S + 1) * 1000 + 200 - Date.now())));
    const later = await ask(name);
    expect(later.status).toBe('NOERROR');
    expect(later.answers).toEqual([expect.stringMatching(/ IN A 192\.0\.2\.11$/)]);
  });

  it('counts queries, cache hits and misses (unbound-control stats_noreset)', async () => {
    const before = await statsNoreset();
    await ask(`counted.${internalZone}`); // miss (NXDOMAIN from the internal server)
    await ask(`www2.${PUBLIC_ZONE}`); // miss
    await ask(`www2.${PUBLIC_ZONE}`); // hit
    const after = await statsNoreset();
    const delta = (key: string) => after[key]! - before[key]!;
    expect(delta('total.num.queries')).toBe(3);
    expect(delta('total.num.cachemiss')).toBe(2);
    expect(delta('total.num.cachehits')).toBe(1);
    expect(delta('num.answer.rcode.NXDOMAIN')).toBe(1);
    expect(delta('num.answer.rcode.NOERROR')).toBe(2);
  });

  it('publishes the interval\'s statistics with the on-host publisher', async () => {
    const bin = path.join(tmp, 'bin');
    const captured = path.join(tmp, 'captured');
    fs.mkdirSync(bin);
    fs.mkdirSync(captured);
    // A stand-in for the AWS CLI: records its arguments and the metric-data file it was given.
    fs.writeFileSync(path.join(bin, 'aws'), [
      '#!/bin/sh',
      'n=$(ls "$CAPTURE" | grep -c args)',
      'printf "%s\\n" "$@" > "$CAPTURE/args-$n.txt"',
      'for a in "$@"; do case "$a" in file://*) cp "${a#file://}" "$CAPTURE/data-$n.json";; esac; done',
      '',
    ].join('\n'), { mode: 0o755 });
    const publish = () => run(python3(), [
      STATS_SCRIPT_SOURCE, '--config', confPath, '--namespace', 'MonSaaS/Resolvers', '--environment', 'staging',
      '--resolver', 'resolver-1', '--region', 'ap-northeast-1', '--state', path.join(tmp, 'stats', 'snapshot.json'),
      '--aws-cli', path.join(bin, 'aws'),
    ], { env: { ...process.env, CAPTURE: captured } });

    await publish(); // baseline: everything since unbound started
    await ask(`www3.${PUBLIC_ZONE}`); // miss
    await ask(`www3.${PUBLIC_ZONE}`); // hit
    await ask(`nothing.${PUBLIC_ZONE}`); // miss, NXDOMAIN
    await publish();

    const args = fs.readFileSync(path.join(captured, 'args-1.txt'), 'utf8').trim().split('\n');
    expect(args.slice(0, 6)).toEqual(['cloudwatch', 'put-metric-data', '--region', 'ap-northeast-1', '--namespace', 'MonSaaS/Resolvers']);
    type Datum = { MetricName: string; Dimensions: Array<{ Name: string; Value: string }>; Value: number; Unit: string };
    const data = JSON.parse(fs.readFileSync(path.join(captured, 'data-1.json'), 'utf8')) as Datum[];
    const perResolver = Object.fromEntries(data.filter((d) => d.Dimensions.length === 2).map((d) => [d.MetricName, d.Value]));
    expect(perResolver).toMatchObject({ Queries: 3, CacheHits: 1, CacheMisses: 2, NxdomainAnswers: 1, ServfailAnswers: 0, RecursiveReplies: 2 });
    expect(perResolver.RecursionTimeMs).toBeGreaterThanOrEqual(0);
    const fleet = data.filter((d) => d.Dimensions.length === 1);
    expect(fleet.map((d) => d.Dimensions)).toEqual(fleet.map(() => [{ Name: 'Environment', Value: 'staging' }]));
    expect(Object.fromEntries(fleet.map((d) => [d.MetricName, d.Value]))).toEqual(perResolver);
    expect(data.find((d) => d.MetricName === 'RecursionTimeMs')?.Unit).toBe('Milliseconds');
  });
});
