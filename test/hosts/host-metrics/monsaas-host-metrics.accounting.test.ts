import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_CHAINS, AccountingFlow, HostMetric } from '../../../lib/host-config/observability';
import { renderAccountingLoader, renderAccountingRules } from '../../../lib/host-config/observability/accounting-rules';
import { spawnServer, stopProcess } from '../../support/processes';
import { metricValue, runCollector } from './run-collector';

const OWN_AZ = 'ap-northeast-1a';
const OTHER_AZ = 'ap-northeast-1c';
const SUBNETS = { [OWN_AZ]: ['10.99.0.0/24'], [OTHER_AZ]: ['10.99.1.0/24', '10.99.2.0/24'], 'ap-northeast-1d': ['10.99.3.0/24'] };

/**
 * The rendered rules loaded for real into a throwaway network namespace (its own loopback and a dummy
 * device standing for the other AZs' subnets: nothing leaves the namespace), then read by the collector.
 */
describe('iptables accounting chains in a network namespace', () => {
  const ns = `obs-acct-${process.pid}-${Date.now().toString(36)}`;
  const inNs = ['ip', 'netns', 'exec', ns];
  let dir: string;
  let rulesPath: string;
  let loaderPath: string;
  let redis: ChildProcess | undefined;
  const sh = (command: string): string => execFileSync(inNs[0]!, [...inNs.slice(1), 'bash', '-c', command], { encoding: 'utf8' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acct-'));
    rulesPath = path.join(dir, 'accounting.rules');
    loaderPath = path.join(dir, 'load-accounting');
    fs.writeFileSync(rulesPath, renderAccountingRules({ az: OWN_AZ, subnetsByAz: SUBNETS, redisPort: 6379 }));
    fs.writeFileSync(loaderPath, renderAccountingLoader(rulesPath), { mode: 0o755 });
    execFileSync('ip', ['netns', 'add', ns]);
    sh('ip link set lo up && ip link add acct0 type veth peer name acct1 && ip addr add 10.99.0.10/16 dev acct0 && ip link set acct0 up && ip link set acct1 up');
    // Port 6379 as rendered: the namespace is private, so nothing else can hold it.
    redis = spawnServer(inNs[0]!, [...inNs.slice(1), 'redis-server', '--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']).child;
    for (let i = 0; i < 100; i++) {
      try { if (sh('redis-cli -p 6379 ping 2>/dev/null').trim() === 'PONG') break; } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await stopProcess(redis);
    try { execFileSync('ip', ['netns', 'del', ns]); } catch { /* already gone */ }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes iptables-restore --test', () => {
    expect(() => sh(`iptables-restore -w --test --noflush < ${rulesPath}`)).not.toThrow();
  });

  it('counts only other AZs (one rule per subnet) and Redis traffic, without verdicts', () => {
    const rules = fs.readFileSync(rulesPath, 'utf8');
    expect(rules).not.toContain('10.99.0.0/24');
    expect(rules).toContain(`-A ${ACCOUNTING_CHAINS.out} -d 10.99.2.0/24 -m comment --comment ${AccountingFlow.toAz(OTHER_AZ)}`);
    expect(rules).toContain(`-A ${ACCOUNTING_CHAINS.in} -s 10.99.3.0/24 -m comment --comment ${AccountingFlow.fromAz('ap-northeast-1d')}`);
    expect(rules).toContain(`-A ${ACCOUNTING_CHAINS.in} -p tcp --dport 6379 -m comment --comment redis-in`);
    expect(rules).not.toMatch(/ -j /);
  });

  it('loads idempotently: run twice, each chain is hooked exactly once and first', () => {
    sh(loaderPath);
    sh(loaderPath);
    const input = sh('iptables -w -S INPUT').split('\n').filter((l) => l.includes(ACCOUNTING_CHAINS.in));
    const output = sh('iptables -w -S OUTPUT').split('\n').filter((l) => l.includes(ACCOUNTING_CHAINS.out));
    expect(input).toEqual([`-A INPUT -j ${ACCOUNTING_CHAINS.in}`]);
    expect(output).toEqual([`-A OUTPUT -j ${ACCOUNTING_CHAINS.out}`]);
    expect(sh(`iptables -w -S ${ACCOUNTING_CHAINS.out}`).split('\n').filter((l) => l.startsWith('-A'))).toHaveLength(4);
  });

  it('publishes bytes per flow read from the real counters, and zeroes them on read', async () => {
    sh('redis-cli -p 6379 set greeting hello >/dev/null');
    sh('printf %0100d 0 > /dev/udp/10.99.1.5/9; printf %0100d 0 > /dev/udp/10.99.2.5/9; printf x > /dev/udp/10.99.0.5/9');
    const chains = `${ACCOUNTING_CHAINS.in} ${ACCOUNTING_CHAINS.out}`;
    const lines = await runCollector(dir, { ACCOUNTING_CHAINS: chains, STATE_DIR: path.join(dir, 's1') }, inNs);
    expect(metricValue(lines, HostMetric.accountedBytes, { Flow: AccountingFlow.redisIn })).toBeGreaterThan(0);
    expect(metricValue(lines, HostMetric.accountedBytes, { Flow: AccountingFlow.redisOut })).toBeGreaterThan(0);
    // Two 100-byte UDP payloads (+28 bytes of headers each), summed over the AZ's two subnets.
    expect(metricValue(lines, HostMetric.accountedPackets, { Flow: AccountingFlow.toAz(OTHER_AZ) })).toBe(2);
    expect(metricValue(lines, HostMetric.accountedBytes, { Flow: AccountingFlow.toAz(OTHER_AZ) })).toBe(256);
    expect(metricValue(lines, HostMetric.accountedBytes, { Flow: AccountingFlow.fromAz(OTHER_AZ) })).toBe(0);
    expect(metricValue(lines, HostMetric.accountedBytes, { Flow: AccountingFlow.toAz('ap-northeast-1d') })).toBe(0);
    expect(lines.some((l) => l.Flow === AccountingFlow.toAz(OWN_AZ))).toBe(false);
    const again = await runCollector(dir, { ACCOUNTING_CHAINS: chains, STATE_DIR: path.join(dir, 's2') }, inNs);
    expect(metricValue(again, HostMetric.accountedBytes, { Flow: AccountingFlow.toAz(OTHER_AZ) })).toBe(0);
  });
});
