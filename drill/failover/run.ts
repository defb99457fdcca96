/**
 * npm run drill:failover [-- --scenario NAME ...] [--advert-ms N]
 * Prints a table row and one JSON line per scenario; exits 1 when any scenario fails its checks.
 */
import { parseArgs } from 'node:util';
import { runDrill, SCENARIOS, type ScenarioName, type ScenarioResult } from './drill';

const { values } = parseArgs({ options: { scenario: { type: 'string', multiple: true }, 'advert-ms': { type: 'string' } } });
const scenarios = (values.scenario ?? [...SCENARIOS]) as ScenarioName[];
for (const s of scenarios) if (!SCENARIOS.includes(s)) { console.error(`--scenario: unknown ${s}; use one of ${SCENARIOS.join(', ')}`); process.exit(2); }

const columns = ['scenario', 'routeSwitchS', 'firstWriteS', 'ackedWrites', 'lostAcked', 'masters', 'routeOk'] as const;
const row = (cells: readonly unknown[]) => `| ${cells.map((c, i) => String(c).padEnd(i === 0 ? 18 : 12)).join(' | ')} |`;
console.log(row(columns));
console.log(row(columns.map((_c, i) => '-'.repeat(i === 0 ? 18 : 12))));
const ok = (r: ScenarioResult) => r.masters === 1 && r.routeOk && r.lostAcked === 0;

runDrill({
  scenarios,
  advertIntervalMs: values['advert-ms'] ? Number(values['advert-ms']) : undefined,
  log: (line) => console.error(`# ${line}`),
  onResult: (r) => {
    console.log(row(columns.map((c) => r[c])));
    console.log(JSON.stringify({ scenario: r.scenario, routeSwitchS: r.routeSwitchS, firstWriteS: r.firstWriteS, ackedWrites: r.ackedWrites, lostAcked: r.lostAcked, masters: r.masters, routeOk: r.routeOk }));
  },
}).then((results) => { process.exit(results.every(ok) ? 0 : 1); }, (error: unknown) => { console.error(error); process.exit(1); });
