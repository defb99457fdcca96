/**
 * npm run drill:failover [-- --scenario NAME ...] [--advert-ms N]
 * Prints a table row and one JSON line per scenario; exits 1 when any scenario fails its checks.
 */
import { parseCli } from '../../scripts/lib/cli';
import { runDrill, SCENARIO_NAMES, scenarioPassed, type ScenarioName, type ScenarioResult } from './drill';

const { values } = parseCli({
  command: 'npm run drill:failover --',
  usage: [
    '[--scenario NAME ...] [--advert-ms N]   (needs root: network namespaces, keepalived, redis-server)',
    `--scenario NAME   run only these (repeatable): ${SCENARIO_NAMES.join(', ')}`,
    '--advert-ms N     keepalived advert interval (default: production\'s redis.advertIntervalMs)',
  ],
  options: { scenario: { type: 'string', multiple: true }, 'advert-ms': { type: 'string' } },
});
const scenarios = (values.scenario ?? [...SCENARIO_NAMES]) as ScenarioName[];
for (const s of scenarios) if (!SCENARIO_NAMES.includes(s)) { console.error(`--scenario: unknown ${s}; use one of ${SCENARIO_NAMES.join(', ')}`); process.exit(2); }

const columns = ['scenario', 'routeSwitchS', 'firstWriteS', 'convergedS', 'ackedWrites', 'journalledWrites', 'lostAcked', 'ec2Calls', 'journal', 'ok'] as const;
const row = (cells: readonly unknown[]) => `| ${cells.map((c, i) => String(c).padEnd(i === 0 ? 42 : 8)).join(' | ')} |`;
console.log(row(columns));
console.log(row(columns.map((_c, i) => '-'.repeat(i === 0 ? 42 : 8))));
const started = Date.now();

runDrill({
  scenarios,
  advertIntervalMs: values['advert-ms'] ? Number(values['advert-ms']) : undefined,
  log: (line) => console.error(`# ${new Date().toISOString().slice(11, 19)} ${line}`),
  onResult: (r: ScenarioResult) => {
    console.log(row(columns.map((c) => (c === 'ok' ? scenarioPassed(r) : r[c]))));
    console.log(JSON.stringify(r));
  },
}).then((results) => {
  console.log(`drill: ${results.filter(scenarioPassed).length}/${results.length} scenarios passed in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(results.every(scenarioPassed) ? 0 : 1);
}, (error: unknown) => { console.error(error); process.exit(1); });
