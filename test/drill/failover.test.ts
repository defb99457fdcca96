import { describe, expect, it } from 'vitest';
import { runDrill, SCENARIOS, type ScenarioResult } from '../../drill/failover/drill';

// Real keepalived, redis-server and the bundled agent in network namespaces (needs root and the
// packages from scripts/ensure-host-tools.sh). About 90 s: every scenario runs once, in order.
describe('failover drill', () => {
  let results: ScenarioResult[] = [];

  it('runs every scenario', async () => {
    results = await runDrill({ log: (line) => console.log(`# ${line}`) });
    console.log(results.map((r) => JSON.stringify(r)).join('\n'));
    expect(results.map((r) => r.scenario)).toEqual([...SCENARIOS]);
  }, 300_000);

  it.each(SCENARIOS)('%s: one master, route and replication on it, no acknowledged write lost', (scenario) => {
    const result = results.find((r) => r.scenario === scenario);
    expect(result, 'the drill run above failed').toBeDefined();
    expect(result!.masters).toBe(1);
    expect(result!.routeOk).toBe(true);
    expect(result!.lostAcked).toBe(0);
    // The scenario really exercised the writer: writes were acknowledged, also on the new master.
    expect(result!.ackedWrites).toBeGreaterThan(0);
    expect(result!.firstWriteS).toBeGreaterThan(0);
    expect(result!.routeSwitchS).toBeGreaterThan(0);
  });
});
