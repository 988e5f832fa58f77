// `npm run bench`: every benchmark (README, Performance), each a ratio against a baseline measured in the
// same run; writes bench/results.json and bench/README-section.md and prints the table.
//   BENCH_QUICK=1            development mode: fewer runs, a 100-service sweep
//   BENCH_RUNS=N             cold starts per subject (default 5, quick 3)
//   BENCH_SWEEP_SERVICES=N   services in the sweep (default 1000, quick 100)
//   BENCH_ONLY=1,3           run only these benchmarks (results.json is then not written)
//   BENCH_MERGE=1            with BENCH_ONLY: replace those figures in bench/results.json (the
//                            others keep their earlier run, named in the section) and regenerate it
//   7, 8, 9 and 9b are the fleet benches (10,000-service sweep, mass incident, Pub/Sub fan-out of
//   1,000 and 10,000 services); quick mode shrinks them
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatTable, type Figure } from './figures';
import { ROOT } from './paths';
import { readmeSection } from './readme-section';
import { burst } from './scenarios/burst';
import { chainRebuild } from './scenarios/chain-rebuild';
import { coldIrrelevant } from './scenarios/cold-irrelevant';
import { coldRelevant } from './scenarios/cold-relevant';
import { decodeRoute } from './scenarios/decode-route';
import { sweep } from './scenarios/sweep';
import { fleetSweep } from './scenarios/fleet-sweep';
import { massIncident } from './scenarios/mass-incident';
import { fanOut } from './scenarios/fan-out';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<void> {
  if (!process.version.startsWith('v22.'))
    throw new Error(`the bench needs Node 22 (the project's), got ${process.version}: run it through npm run bench`);
  const quick = process.env.BENCH_QUICK === '1';
  const runs = positiveInt('BENCH_RUNS', quick ? 3 : 5);
  const sweepServices = positiveInt('BENCH_SWEEP_SERVICES', quick ? 100 : 1000);
  const only = new Set(
    (process.env.BENCH_ONLY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

  const benches: Array<[string, () => Promise<Figure | Figure[]>]> = [
    ['1', () => coldIrrelevant(runs)],
    ['2', () => coldRelevant(runs)],
    ['3', () => chainRebuild(runs)],
    ['4', () => burst()],
    ['5', () => decodeRoute(runs)],
    ['6', () => sweep(sweepServices)],
    ['7', () => fleetSweep(quick ? { projects: 4, perShard: 50, subset: 100 } : {})],
    ['8', () => massIncident(quick ? 100 : 1000)],
    ['9', () => fanOut(quick ? { projects: 20, perShard: 2 } : {})],
    ['9b', () => fanOut(quick ? { id: '9b', projects: 20, perShard: 20 } : { id: '9b', perShard: 250 })],
  ];
  const started = Date.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const figures: Figure[] = [];
  for (const [id, bench] of benches) {
    if (only.size > 0 && !only.has(id)) continue;
    const t0 = Date.now();
    process.stderr.write(`bench ${id} ...`);
    const produced = [await bench()].flat();
    figures.push(...produced);
    for (const f of produced) process.stderr.write(` ${f.id}: ${f.ratio.toFixed(3)}× (${f.met ? 'met' : 'MISSED'})`);
    process.stderr.write(` in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const table = formatTable(figures);
  console.log(table);
  for (const f of figures) {
    for (const note of f.notes) console.log(`  [${f.id}] ${note}`);
    if (f.missedBecause) console.log(`  [${f.id}] MISSED, why: ${f.missedBecause}`);
  }

  const results = {
    generatedAt: new Date().toISOString(),
    durationSec: Math.round((Date.now() - started) / 1000),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      platform: process.platform,
      // Other work on the machine skews cold starts most; the ratios absorb part of it.
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    },
    settings: { quick, runs, sweepServices },
    figures,
  };
  if (only.size > 0 && process.env.BENCH_MERGE === '1') {
    const path = join(ROOT, 'bench', 'results.json');
    const earlier = JSON.parse(readFileSync(path, 'utf8')) as typeof results & { partialRuns?: string[] };
    const ran = new Set(figures.map((f) => f.id));
    const merged = {
      ...earlier,
      figures: [...earlier.figures.filter((f) => !ran.has(f.id)), ...figures].sort((a, b) =>
        a.id.localeCompare(b.id, 'en', { numeric: true }),
      ),
      partialRuns: [
        ...(earlier.partialRuns ?? []),
        `${results.generatedAt}: figures ${[...ran].join(', ')} (load average ${results.machine.loadAverage.start.toFixed(1)} at the start, ${results.machine.loadAverage.end.toFixed(1)} at the end, ${results.durationSec} s)`,
      ],
    };
    writeFileSync(path, JSON.stringify(merged, null, 2) + '\n');
    writeFileSync(join(ROOT, 'bench', 'README-section.md'), readmeSection(merged));
    console.log(`merged figures ${[...ran].join(', ')} into bench/results.json and bench/README-section.md`);
    return;
  }
  if (only.size > 0) {
    console.log('(BENCH_ONLY set: bench/results.json and bench/README-section.md left as they were)');
    return;
  }
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(ROOT, 'bench', 'README-section.md'), readmeSection(results));
  console.log(`wrote bench/results.json and bench/README-section.md (${results.durationSec} s)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
