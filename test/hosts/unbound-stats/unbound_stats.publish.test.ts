import * as dgram from 'node:dgram';
import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostMetric } from '../../../lib/host-config/observability';
import { freePort, spawnServer, stopProcess, waitForPort } from '../../support/processes';
import { metricValue, runCollector } from '../host-metrics/run-collector';

const run = promisify(execFile);

/** An upstream that answers every query with SERVFAIL (header flags QR|RD|RA, rcode 2, question echoed). */
function servfailUpstream(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = Buffer.from(query);
    answer[2] = 0x81 | (query[2]! & 0x01);
    answer[3] = 0x82;
    answer.writeUInt16BE(0, 6);
    answer.writeUInt16BE(0, 8);
    answer.writeUInt16BE(0, 10);
    const optLength = query.readUInt16BE(10) > 0 ? 11 : 0; // drop the EDNS OPT record dig appends
    socket.send(answer.subarray(0, query.length - optLength), peer.port, peer.address);
  });
  return new Promise((resolve) => socket.bind(port, '127.0.0.1', () => resolve(socket)));
}

describe('host metrics collector against a real Unbound', () => {
  let dir: string;
  let unbound: ChildProcess | undefined;
  let upstream: dgram.Socket | undefined;
  let port: number;
  let control: string;
  const dig = (name: string) => run('dig', ['-p', String(port), '@127.0.0.1', name, '+tries=1', '+time=5']);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbound-stats-'));
    port = await freePort();
    const upstreamPort = await freePort();
    upstream = await servfailUpstream(upstreamPort);
    const conf = path.join(dir, 'unbound.conf');
    fs.writeFileSync(conf, `server:
  interface: 127.0.0.1
  port: ${port}
  do-daemonize: no
  chroot: ""
  username: ""
  directory: "${dir}"
  pidfile: "${dir}/unbound.pid"
  use-syslog: no
  extended-statistics: yes
  do-not-query-localhost: no
  local-zone: "ok.internal." static
  local-data: "a.ok.internal. 60 IN A 192.0.2.1"
forward-zone:
  name: "broken.internal."
  forward-addr: 127.0.0.1@${upstreamPort}
remote-control:
  control-enable: yes
  control-interface: ${dir}/control.sock
  control-use-cert: no
`);
    unbound = spawnServer('unbound', ['-c', conf]).child;
    await waitForPort(port);
    control = `unbound-control -c ${conf}`;
  });

  afterAll(async () => {
    await stopProcess(unbound);
    upstream?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes queries, SERVFAIL and NXDOMAIN answers and cache hits per interval', async () => {
    const env = { ROLE: 'resolver', HOST_NAME: 'resolver-0', UNBOUND_CONTROL: control, STATE_DIR: path.join(dir, 'state') };
    const baseline = await runCollector(dir, env);
    expect(metricValue(baseline, HostMetric.unboundUp)).toBe(1);
    expect(metricValue(baseline, HostMetric.unboundQueries)).toBeUndefined(); // first reading only sets the baseline
    await dig('a.ok.internal');
    await dig('a.ok.internal');
    await dig('x.broken.internal');
    await dig('y.broken.internal');
    await dig('missing.ok.internal');
    const lines = await runCollector(dir, env);
    expect(metricValue(lines, HostMetric.unboundQueries)).toBe(5);
    expect(metricValue(lines, HostMetric.unboundServfail)).toBe(2);
    expect(metricValue(lines, HostMetric.unboundNxdomain)).toBe(1);
    expect(metricValue(lines, HostMetric.unboundCacheHits)! + metricValue(lines, HostMetric.unboundCacheMisses)!).toBe(5);
    const line = lines.find((l) => HostMetric.unboundServfail in l)!;
    expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Environment', 'Role', 'Host'], ['Environment', 'Role']]);
    expect(line).toMatchObject({ Role: 'resolver', Host: 'resolver-0' });
  });

  it('reports Unbound down when unbound-control cannot reach it', async () => {
    const lines = await runCollector(dir, {
      ROLE: 'resolver', HOST_NAME: 'resolver-0', UNBOUND_CONTROL: `unbound-control -s ${dir}/no-such.sock`, STATE_DIR: path.join(dir, 'down'),
    });
    expect(metricValue(lines, HostMetric.unboundUp)).toBe(0);
  });
});
