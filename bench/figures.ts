// A benchmark figure is a ratio against a baseline measured in the same run: these machines are
// noisy, so absolute times mean little, but two things measured side by side on the same machine
// in the same minute compare fairly. Each sample set is reduced to its median.

export type Comparison = '<=' | '>=';

export interface Target {
  comparison: Comparison;
  limit: number;
}

export interface Figure {
  id: string;
  title: string;
  /** What was measured (median), in `unit`. */
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run (or computed from the injected latencies). */
  baseline: { label: string; value: number };
  /** value / baseline.value */
  ratio: number;
  target: Target;
  met: boolean;
  /** Further measured facts that carry their own pass/fail (peak RSS, module cache, cap, writes). */
  checks: Check[];
  /** Raw samples, so a reader can see the spread behind the median. */
  samples: number[];
  baselineSamples?: number[];
  notes: string[];
  /** Why the target was missed, from what the scenario measured (only when missed). */
  missedBecause?: string;
}

export interface Check {
  name: string;
  value: number | string | boolean;
  target: string;
  met: boolean;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function meets(value: number, target: Target): boolean {
  return target.comparison === '<=' ? value <= target.limit : value >= target.limit;
}

export function ratio(value: number, baseline: number): number {
  if (!(baseline > 0)) throw new Error(`baseline must be positive, got ${baseline}`);
  return value / baseline;
}

export interface FigureInput {
  id: string;
  title: string;
  samples: number[];
  unit: string;
  baseline: { label: string; samples?: number[]; value?: number };
  target: Target;
  checks?: Check[];
  notes?: string[];
  /** Explains a miss from the measured figure; consulted only when the figure misses. */
  explainMiss?: (f: Figure) => string;
}

/** Reduces samples to medians, computes the ratio and whether the target and every check are met. */
export function figure(input: FigureInput): Figure {
  const value = median(input.samples);
  const baselineValue = input.baseline.value ?? median(input.baseline.samples ?? []);
  const r = ratio(value, baselineValue);
  const checks = input.checks ?? [];
  const f: Figure = {
    id: input.id,
    title: input.title,
    value,
    unit: input.unit,
    baseline: { label: input.baseline.label, value: baselineValue },
    ratio: r,
    target: input.target,
    met: meets(r, input.target) && checks.every((c) => c.met),
    checks,
    samples: input.samples,
    ...(input.baseline.samples ? { baselineSamples: input.baseline.samples } : {}),
    notes: input.notes ?? [],
  };
  if (!f.met && input.explainMiss) f.missedBecause = input.explainMiss(f);
  return f;
}

/** How far a ratio misses its target, as a percentage of the limit (0 when met). */
export function missBy(r: number, target: Target): number {
  if (meets(r, target)) return 0;
  return (Math.abs(r - target.limit) / target.limit) * 100;
}

/** A number as the table prints it: thousands separated, a few significant decimals. */
export function num(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  return abs >= 100 ? Math.round(n).toLocaleString('en-US') : abs >= 1 ? n.toFixed(2) : n.toFixed(3);
}

function checkText(c: Check): string {
  const v = typeof c.value === 'number' ? num(c.value) : String(c.value);
  return `${c.name} ${v} (${c.target}) ${c.met ? 'ok' : 'MISSED'}`;
}

/** A Markdown table: one row per figure, the ratio first because it is the figure that counts. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = ['| # | benchmark | ratio | target | measured | baseline | checks | met |', '|---|---|---|---|---|---|---|---|'];
  for (const f of figures) {
    rows.push(
      [
        '',
        f.id,
        f.title,
        `${f.ratio.toFixed(3)}×`,
        `${f.target.comparison} ${f.target.limit}×`,
        `${num(f.value)} ${f.unit}`,
        `${num(f.baseline.value)} ${f.unit} (${f.baseline.label})`,
        f.checks.map(checkText).join('; ') || '-',
        f.met
          ? 'yes'
          : `**no** (${missBy(f.ratio, f.target) > 0 ? `ratio off by ${missBy(f.ratio, f.target).toFixed(1)}%` : 'a check missed'})`,
        '',
      ]
        .join(' | ')
        .trim(),
    );
  }
  return rows.join('\n');
}
