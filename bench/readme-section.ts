// The README's Performance section, generated from the results so it always shows the latest
// table (the lead pastes bench/README-section.md into README.md).
import { formatTable, missBy, num, type Figure } from './figures';

export interface BenchResults {
  generatedAt: string;
  durationSec: number;
  machine: { node: string; cpus: number; cpuModel: string; platform: string; loadAverage: { start: number; end: number } };
  settings: { quick: boolean; runs: number; sweepServices: number };
  figures: Figure[];
  /** Later runs of some figures merged in (BENCH_ONLY with BENCH_MERGE=1). */
  partialRuns?: string[];
}

export function readmeSection(results: BenchResults): string {
  const { machine, settings } = results;
  const missed = results.figures.filter((f) => !f.met);
  const lines = [
    '## Performance',
    '',
    '```sh',
    'npm run bench                  # writes bench/results.json and this section, prints the table',
    'BENCH_QUICK=1 npm run bench    # development: 3 runs per subject, a 100-service sweep',
    'BENCH_ONLY=2,3 npm run bench   # only these benchmarks (writes nothing)',
    'BENCH_ONLY=7,8 BENCH_MERGE=1 npm run bench   # rerun these and merge them into the results',
    '```',
    '',
    'Every figure is a ratio against a baseline measured in the same run (or computed from the',
    'latencies the emulator injects), because absolute times on shared machines mean little. Times',
    `are medians of ${settings.runs} runs. Cold starts are real processes: the Functions Framework CLI loading`,
    'the built function, timed from spawn to the HTTP response of the first event.',
    `The ${settings.sweepServices.toLocaleString('en-US')}-service sweep alone takes ${Math.round((6 * settings.sweepServices) / 20)} s by design: ${(6 * settings.sweepServices).toLocaleString('en-US')} Compute reads at 20 per second.`,
    '',
    `Latest run: ${results.generatedAt}, Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ` +
      `load average ${machine.loadAverage.start.toFixed(1)} at the start and ${machine.loadAverage.end.toFixed(1)} at the end, ${Math.round(results.durationSec / 60)} min` +
      (settings.quick ? ' (quick mode)' : '') +
      '.' +
      (results.partialRuns?.length ? ` Figures rerun on their own since: ${results.partialRuns.join('; ')}.` : ''),
    '',
    formatTable(results.figures),
    '',
    'How each figure was taken:',
    '',
    ...results.figures.flatMap((f) => [`${f.id}. **${f.title}.**${f.notes.length > 0 ? ` ${f.notes.join('; ')}.` : ''}`, '']),
  ];
  if (missed.length > 0) {
    lines.push('Targets missed:', '');
    for (const f of missed) {
      const by = missBy(f.ratio, f.target);
      const failedChecks = f.checks.filter((c) => !c.met).map((c) => `${c.name} ${String(c.value)} (${c.target})`);
      lines.push(
        `- ${f.id} (${f.title}): ${by > 0 ? `${num(f.value)} ${f.unit} against ${f.target.comparison} ${num(f.target.limit * f.baseline.value)} ${f.unit} (ratio ${f.ratio.toFixed(3)}× against ${f.target.limit}×), off by ${by.toFixed(1)}%` : ''}${by > 0 && failedChecks.length ? '; ' : ''}${failedChecks.join('; ')}.${f.missedBecause ? ` Why: ${f.missedBecause}` : ''}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
