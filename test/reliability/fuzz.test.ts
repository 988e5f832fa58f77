// Generated envelopes through the function's HTTP entry, a real Functions
// Framework process. Never a crash or unhandled rejection; everything that reaches the handler is
// acknowledged (it is malformed, irrelevant, or names a declared service that is in sync); nothing
// causes a write. RELIABILITY_SCALE=full runs 100,000 envelopes, CI 5,000.
//
// Cases are drawn from fast-check in seeded chunks (so 100,000 never sit in memory at once, and
// RELIABILITY_SEED replays them) and delivered CONCURRENCY at a time, as Pub/Sub pushes do.
import fc from 'fast-check';
import { mapConcurrent } from '../../functions/concurrency';
import { acknowledged, post, type HttpAnswer } from './harness/deliver';
import { FUZZ_CLASSES, fuzzCases, type FuzzCase, type FuzzClass } from './harness/fuzz-cases';
import { allLogged } from './harness/log-barrier';
import type { FunctionProcess } from '../support/function-process';
import { SELF_PRINCIPAL } from '../support/identity';
import { startRig, type Rig } from './harness/rig';
import { announce, readScale } from './harness/scale';

const scale = readScale();
const CHUNK = 250;
const CONCURRENCY = 8;
let rig: Rig;
let fn: FunctionProcess;

beforeAll(async () => {
  announce('fuzz', scale, `${scale.fuzzRuns} envelopes`);
  rig = await startRig({ services: 2, seed: scale.seed, emulator: { operationDelayMs: 0 } });
  fn = await rig.start('fuzz');
}, 120_000);

afterAll(() => rig?.stop());

/** Why this answer is wrong for this case's class, or undefined when it is right. */
function wrongAnswer(c: FuzzCase, a: HttpAnswer): string | undefined {
  if (a.status === 0) return `no answer (instance died?): ${a.body}`;
  if (a.functionStatus === 'crash') return `the function crashed: ${a.body.slice(0, 300)}`;
  if (acknowledged(a.status)) return undefined;
  if (c.cls === 'transport-invalid' && a.functionStatus !== 'error') return undefined; // refused by the framework, handler never ran
  return `expected 2xx (acknowledged), got ${a.status}${a.functionStatus ? ` (${a.functionStatus})` : ''}: ${a.body.slice(0, 300)}`;
}

type Tally = Record<FuzzClass, { sent: number; acknowledged: number; statuses: Record<number, number> }>;

test(
  'every generated envelope is acknowledged or refused by its class; no crash, no unhandled rejection, no write',
  async () => {
    const tally = Object.fromEntries(FUZZ_CLASSES.map((c) => [c, { sent: 0, acknowledged: 0, statuses: {} }])) as Tally;
    const failures: string[] = [];
    const arbitrary = fuzzCases(rig.meshFile.mesh, SELF_PRINCIPAL);
    const started = Date.now();
    for (let chunk = 0; chunk * CHUNK < scale.fuzzRuns && failures.length === 0; chunk++) {
      const seed = scale.seed + chunk;
      const cases = fc.sample(arbitrary, { numRuns: Math.min(CHUNK, scale.fuzzRuns - chunk * CHUNK), seed });
      await mapConcurrent(
        cases.map((c, i) => ({ c, i })),
        CONCURRENCY,
        async ({ c, i }) => {
          const answer = await post(fn.url, c.delivery);
          const t = tally[c.cls];
          t.sent += 1;
          t.statuses[answer.status] = (t.statuses[answer.status] ?? 0) + 1;
          if (acknowledged(answer.status)) t.acknowledged += 1;
          const wrong =
            wrongAnswer(c, answer) ??
            (rig.emulator.writes() > 0 ? `caused a write: ${JSON.stringify(rig.emulator.mutations[0])}` : undefined);
          if (wrong) failures.push(`chunk seed ${seed} case ${i}: ${fc.stringify(c)}\n  → ${wrong}`);
        },
      );
    }

    await allLogged(fn, rig.transcript);
    const reconciles = rig.transcript
      .records('fuzz:')
      .filter((r) => r.event === 'mesh-remediator.outcome' && r.outcome === 'in-sync').length;
    const figures = {
      runs: scale.fuzzRuns,
      seconds: Math.round((Date.now() - started) / 1000),
      reconciles,
      writes: rig.emulator.writes(),
      probe: rig.probeReports('fuzz:').length,
      tally,
    };
    process.stderr.write(`[reliability] fuzz figures ${JSON.stringify(figures)}\n`);

    expect(failures.slice(0, 10)).toEqual([]);
    expect(fn.exit).toBeUndefined(); // the instance is still up
    expect(rig.probeReports('fuzz:')).toEqual([]);
    expect(rig.emulator.writes()).toBe(0);
    // The generator really exercised the reconcile path and every class.
    expect(reconciles).toBeGreaterThan(0);
    if (scale.fuzzRuns >= 1000) for (const cls of FUZZ_CLASSES) expect(tally[cls].sent).toBeGreaterThan(0);
    expect(rig.leaks()).toEqual([]);
  },
  60 * 60_000,
);

test('the crash probe counts: a process that leaves a rejection unhandled is reported', async () => {
  await rig.start('probe-self-test', 'remediateDrift', { RELIABILITY_PROBE_SELF_TEST: '1' });
  // The probe's line is written at preload; the port can accept before it has come through the pipe.
  await rig.transcript.waitFor('probe-self-test:', (r) => typeof r.reliabilityProbe === 'string');
  const reports = rig.probeReports('probe-self-test:');
  expect(reports).toEqual([expect.objectContaining({ reliabilityProbe: 'unhandledRejection', reason: 'Error: crash-probe self-test' })]);
}, 120_000);
