// Target 6: a sweep of every declared service (in sync) at 50 ms per call with a cap of 20
// requests per second per API: at most 1.1× the quota-bound minimum, the cap never exceeded.
// Through the real `sweep` HTTP entry of a function process, as Cloud Scheduler calls it.
//
// "API" is what the emulator counts and what Google's quotas count: Cloud Run Admin is one API,
// Compute is one API (all six resource kinds share its read quota). An in-sync reconcile reads 1
// service and 6 Compute resources, so Compute bounds the sweep: 6N reads at 20/s.
import { loadMesh } from '../../functions/config/load';
import { DEFAULT_WINDOW_MS } from '../../functions/rate-limit';
import { startEmulator, type Emulator } from '../../test/emulator';
import { figure, type Figure } from '../figures';
import { startFunction } from '../function-process';
import { writeMesh } from '../mesh-file';
import { quotaMinimumMs } from '../minimums';
import { FUNCTION_SOURCE, SELF_PRINCIPAL } from '../paths';

const LATENCY_MS = 50;
const CAP_PER_API = 20;

/** Polls the emulator's rate accounting to tell when (how many requests in) the cap was first exceeded. */
function watchCap(emulator: Emulator, t0: number): { first?: { atMs: number; calls: number; max: number }; stop: () => void } {
  const watch: ReturnType<typeof watchCap> = {
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    const r = emulator.rates();
    const max = Math.max(r.compute.maxPerSecond, r.run.maxPerSecond);
    if (!watch.first && max > CAP_PER_API) watch.first = { atMs: performance.now() - t0, calls: r.compute.total + r.run.total, max };
  }, 100);
  return watch;
}

export async function sweep(services: number): Promise<Figure> {
  const meshPath = writeMesh(services);
  const emulator = await startEmulator({ seed: loadMesh(meshPath), latencyMs: LATENCY_MS });
  const fn = await startFunction({
    source: FUNCTION_SOURCE,
    target: 'sweep',
    signatureType: 'http',
    // Today's per-resource sweep: no snapshots, no batched reads, the per-second cap.
    env: {
      MESH_CONFIG: meshPath,
      SELF_PRINCIPAL,
      SWEEP_RATE_PER_API: String(CAP_PER_API),
      SWEEP_SNAPSHOTS: 'false',
      READ_BATCH_WINDOW_MS: '0',
      ...emulator.env,
    },
  });
  try {
    // Wait until the process accepts connections: the framework answers /favicon.ico itself,
    // without calling the sweep.
    const ready = await fn.firstResponse({ method: 'GET', path: '/favicon.ico' });
    if (ready.response.status >= 500) throw new Error(`sweep function not ready: ${ready.response.status}`);
    const t0 = performance.now();
    const overCap = watchCap(emulator, t0);
    const res = await fn.send({ method: 'GET', path: '/' }).finally(overCap.stop);
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`sweep answered ${res.status}: ${res.body.slice(0, 500)}`);
    const summary = JSON.parse(res.body) as { services: number; byStatus: Record<string, number> };
    if (summary.byStatus['in-sync'] !== services) throw new Error(`sweep summary ${res.body.slice(0, 300)}: expected ${services} in-sync`);

    const rates = emulator.rates();
    const minimum = Math.max(
      quotaMinimumMs(rates.compute.total, CAP_PER_API, LATENCY_MS),
      quotaMinimumMs(rates.run.total, CAP_PER_API, LATENCY_MS),
    );
    const maxSeen = Math.max(rates.compute.maxPerSecond, rates.run.maxPerSecond);
    return figure({
      id: '6',
      title: `sweep of ${services.toLocaleString('en-US')} declared services, ${LATENCY_MS} ms/call, cap ${CAP_PER_API} req/s per API`,
      samples: [ms],
      unit: 'ms',
      baseline: { label: 'quota-bound minimum', value: minimum },
      target: { comparison: '<=', limit: 1.1 },
      checks: [
        {
          name: 'max requests in any 1 s window',
          value: `compute ${rates.compute.maxPerSecond}, run ${rates.run.maxPerSecond}`,
          target: `<= ${CAP_PER_API} each`,
          met: maxSeen <= CAP_PER_API,
        },
        {
          name: 'reads',
          value: `compute ${rates.compute.total}, run ${rates.run.total}`,
          target: `${6 * services}, ${services}`,
          met: rates.compute.total === 6 * services && rates.run.total === services,
        },
      ],
      notes: [
        `"API" as the emulator and Google's quotas count it: Compute is one API for all six resource kinds, Cloud Run Admin another; ${services} in-sync reconciles = ${6 * services} Compute reads + ${services} Cloud Run reads`,
        `quota-bound minimum = floor((calls − 1) / cap) s + one latency for the busier API = ${(minimum / 1000).toFixed(2)} s; measured from the sweep request to its response (the cold load of mesh and clients included)`,
        `the limiter counts each request in its ${DEFAULT_WINDOW_MS.toLocaleString('en-US')} ms window from its grant until a window after its answer (it arrives somewhere in between), so no jitter between grant and arrival can put one more in a window: one latency (${LATENCY_MS} ms) per window, ${((LATENCY_MS / DEFAULT_WINDOW_MS) * 100).toFixed(1)}% of the minimum, by design`,
        overCap.first
          ? `the cap was first exceeded ${(overCap.first.atMs / 1000).toFixed(2)} s into the sweep, after ${overCap.first.calls} requests (max in a window then ${overCap.first.max})`
          : `no 1 s window ever held more than ${CAP_PER_API} requests of one API`,
      ],
      explainMiss: (f) => {
        const slow =
          f.ratio > 1.1
            ? `${Math.round(f.value - minimum)} ms over the minimum: the cold load of mesh and clients before the first read, plus the limiter's one latency per window (${((LATENCY_MS / DEFAULT_WINDOW_MS) * 100).toFixed(1)}%) and whatever the machine adds to each answer. `
            : '';
        const first = overCap.first;
        const cap = !first
          ? ''
          : first.calls <= 3 * CAP_PER_API
            ? `The cap was exceeded at the start (after ${first.calls} requests): requests granted before a blocking client load left together with the next window's (the sweep warms the clients first to prevent exactly this).`
            : `The cap was exceeded mid-sweep (after ${first.calls} requests), which the limiter's accounting (a request counts until a window after its answer) rules out for requests it granted: look for calls made without it.`;
        return slow + cap;
      },
    });
  } finally {
    await fn.stop();
    await emulator.stop();
  }
}
