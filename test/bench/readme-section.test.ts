import { figure } from '../../bench/figures';
import { readmeSection, type BenchResults } from '../../bench/readme-section';

function results(figures: BenchResults['figures']): BenchResults {
  return {
    generatedAt: '2026-11-25T22:00:00.000Z',
    durationSec: 540,
    machine: { node: 'v22.23.3', cpus: 2, cpuModel: 'Test CPU', platform: 'linux', loadAverage: { start: 1.5, end: 2 } },
    settings: { quick: false, runs: 5, sweepServices: 1000 },
    figures,
  };
}

const met = figure({
  id: '1',
  title: 'cold',
  samples: [100],
  unit: 'ms',
  baseline: { label: 'bare', value: 100 },
  target: { comparison: '<=', limit: 1.5 },
  notes: ['a note'],
});
const slow = figure({
  id: '3',
  title: 'chain',
  samples: [3450],
  unit: 'ms',
  baseline: { label: 'minimum', value: 3000 },
  target: { comparison: '<=', limit: 1.1 },
});
const capped = figure({
  id: '6',
  title: 'sweep',
  samples: [100],
  unit: 'ms',
  baseline: { label: 'minimum', value: 100 },
  target: { comparison: '<=', limit: 1.1 },
  checks: [{ name: 'max per 1 s', value: 23, target: '<= 20', met: false }],
  explainMiss: (f) => `${f.checks.length} check failed.`,
});

describe('README performance section', () => {
  it("gives the command, the table and each figure's notes, and no miss list when all targets are met", () => {
    const text = readmeSection(results([met]));
    expect(text).toContain('npm run bench');
    expect(text).toContain('load average 1.5 at the start and 2.0 at the end, 9 min.');
    expect(text).toContain('| 1 | cold | 1.000× | <= 1.5× |');
    expect(text).toContain('1. **cold.** a note.');
    expect(text).not.toContain('Targets missed');
  });

  it('says by how much each missed target was missed: the ratio, or the failed check', () => {
    const text = readmeSection(results([met, slow, capped]));
    expect(text).toContain('- 3 (chain): 3,450 ms against <= 3,300 ms (ratio 1.150× against 1.1×), off by 4.5%');
    expect(text).toContain('- 6 (sweep): max per 1 s 23 (<= 20). Why: 1 check failed.');
    expect(text).toContain('3. **chain.**\n');
  });
});
