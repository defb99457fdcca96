import { describe, expect, it } from 'vitest';
import { runDrill, SCENARIO_NAMES, type ScenarioResult } from '../../drill/failover/drill';

const RUN = SCENARIO_NAMES;

// Real keepalived, redis-server and the bundled agent in network namespaces (needs root and the
// packages from scripts/ensure-host-tools.sh). Every scenario runs once, in order (about 3 minutes).
describe('failover drill', () => {
  let results: ScenarioResult[] = [];

  it('runs every scenario', async () => {
    results = await runDrill({ scenarios: RUN, log: (line) => console.log(`# ${line}`) });
    console.log(results.map((r) => JSON.stringify(r)).join('\n'));
    expect(results.map((r) => r.scenario)).toEqual([...RUN]);
  }, 600_000);

  it.each(RUN)('%s: one master, routes and a linked replica on it, no acknowledged write lost', (scenario) => {
    const result = results.find((r) => r.scenario === scenario);
    expect(result, 'the drill run above failed').toBeDefined();
    expect(result!.masters).toBe(1);
    expect(result!.routeOk).toBe(true);
    expect(result!.lostAcked).toBe(0);
    // Each scenario's own checks (an empty node never promoted, EC2 calls bounded during a split ...).
    for (const [check, passed] of Object.entries(result!.checks)) expect(passed, `${scenario}: ${check}`).toBe(true);
    // The scenario really exercised the writer: writes were acknowledged, also after the fault.
    expect(result!.ackedWrites).toBeGreaterThan(0);
    expect(result!.firstWriteS).toBeGreaterThanOrEqual(0);
    // Converged, with a margin over the 5 s the design promises (the machine is shared; figures are reported).
    expect(result!.convergedS).toBeLessThan(15);
    // A replica confirmed the journal: nothing acknowledged alone is left once the pair is healthy.
    expect(result!.journal).toBe(0);
  });
});
