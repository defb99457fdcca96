/**
 * `npm run bench:synth`: times `cdk synth` of both environments (with cdk-nag and local bundling)
 * against `cdk synth` of a one-bucket app, both through the same CLI, interleaved run by run (the
 * machine's load drifts). The platform is timed as a developer's next synth runs it (handler bundles
 * of unchanged code come from the bundle cache) and as a clean checkout runs it (cache off). Prints a
 * table, then one JSON line with the ratios.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_CACHE_ENV } from '../lib/constructs/common/bundle-cache';
import { parseCli } from '../scripts/lib/cli';

const ROOT = path.resolve(__dirname, '..');
const { values } = parseCli({
  command: 'npm run bench:synth --',
  usage: ['[--runs N]', '--runs N  timed synths of each app, median reported (default 3, or BENCH_RUNS)'],
  options: { runs: { type: 'string' } },
});
const RUNS = Number(values.runs ?? process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('npm run bench:synth --: --runs must be a whole number of at least 1');
  process.exit(2);
}
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');

function timeSynth(extraArgs: string[], env: NodeJS.ProcessEnv = process.env): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const started = process.hrtime.bigint();
  execFileSync(CDK, ['synth', '--quiet', '--output', out, ...extraArgs], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(out, { recursive: true, force: true });
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

const progress = (message: string) => console.error(`bench:synth: ${message}`);
progress('warm-up synth of the platform (file cache, esbuild)');
timeSynth([]); // warm the file cache, the esbuild binary and the bundle cache once
const cold = { ...process.env, [BUNDLE_CACHE_ENV]: 'off' };
const platform: number[] = [];
const platformCold: number[] = [];
const floor: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  progress(`run ${i + 1}/${RUNS}: both environments`);
  platform.push(timeSynth([]));
  progress(`run ${i + 1}/${RUNS}: both environments, bundle cache off (platform ${platform.at(-1)!.toFixed(2)} s)`);
  platformCold.push(timeSynth([], cold));
  progress(`run ${i + 1}/${RUNS}: one-bucket floor (cache off ${platformCold.at(-1)!.toFixed(2)} s)`);
  floor.push(timeSynth(['--app', 'node --import tsx bench/one-bucket-app.ts']));
}
const synthS = round(median(platform));
const synthColdS = round(median(platformCold));
const floorS = round(median(floor));

console.log(`runs: ${RUNS} each (median)`);
console.log('| synth                                   | median s | runs s |');
console.log('|-----------------------------------------|---------:|--------|');
console.log(`| both environments, cdk-nag, bundling    | ${synthS.toFixed(2).padStart(8)} | ${platform.map((s) => s.toFixed(2)).join(', ')} |`);
console.log(`| the same, bundle cache off              | ${synthColdS.toFixed(2).padStart(8)} | ${platformCold.map((s) => s.toFixed(2)).join(', ')} |`);
console.log(`| one-bucket app (floor)                  | ${floorS.toFixed(2).padStart(8)} | ${floor.map((s) => s.toFixed(2)).join(', ')} |`);
console.log(JSON.stringify({ synthS, synthColdS, floorS, synthRatio: round(synthS / floorS), synthColdRatio: round(synthColdS / floorS) }));
