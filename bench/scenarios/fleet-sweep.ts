// Fleet sweep: 10,000 declared services in 20 projects × 2 regions, 50 ms per call, Google's
// per-project Compute quotas enforced by the emulator. Through the real `sweep` HTTP entry of a
// function process. Figures: API calls against the list minimum (7 = 6 kinds + Cloud Run per
// shard when a shard fits one page), wall time against the slowest shard's quota-bound minimum,
// the function's peak RSS; beside it, the per-resource sweep on a 1,000-service subset.
import { startEmulator, totalCalls, type Emulator } from '../../test/emulator';
import { placedService, writeMesh, type ServiceDeclaration } from '../../test/support/mesh-file';
import { figure, type Figure } from '../figures';
import { startFunction } from '../function-process';
import { GOOGLE_COMPUTE_QUOTAS } from '../google-quotas';
import { FUNCTION_SOURCE, SELF_PRINCIPAL } from '../paths';
import { deployedNodeOptions } from '../deployed-node-options';

const LATENCY_MS = 50;
const PAGE = 500;
const KINDS = 6;

function fleet(projects: number, regions: readonly string[], perShard: number): ServiceDeclaration[] {
  return Array.from({ length: projects }, (_, p) => `fleet-${String(p).padStart(2, '0')}`).flatMap((project) =>
    regions.flatMap((region) => Array.from({ length: perShard }, (_, i) => placedService(i, project, region))),
  );
}

interface SweepRun {
  wallMs: number;
  calls: number;
  refused: number;
  maxRssMiB: number;
  /** the function process's CPU time (user + system) from the sweep request to its response */
  cpuMs: number;
  byStatus: Record<string, number>;
}

async function runSweep(services: ServiceDeclaration[], env: Record<string, string>): Promise<SweepRun> {
  const file = writeMesh(services);
  const emulator: Emulator = await startEmulator({ seed: file.mesh, latencyMs: LATENCY_MS });
  emulator.quotas.set(GOOGLE_COMPUTE_QUOTAS);
  const fn = await startFunction({
    source: FUNCTION_SOURCE,
    target: 'sweep',
    signatureType: 'http',
    env: { MESH_CONFIG: file.path, SELF_PRINCIPAL, NODE_OPTIONS: deployedNodeOptions(), ...emulator.env, ...env },
  });
  try {
    const ready = await fn.firstResponse({ method: 'GET', path: '/favicon.ico' });
    if (ready.response.status >= 500) throw new Error(`sweep function not ready: ${ready.response.status}`);
    const cpuBefore = (await fn.report()).cpuMs;
    const t0 = performance.now();
    const res = await fn.send({ method: 'GET', path: '/' });
    const wallMs = performance.now() - t0;
    if (res.status !== 200) throw new Error(`sweep answered ${res.status}: ${res.body.slice(0, 500)}`);
    const summary = JSON.parse(res.body) as { services: number; byStatus: Record<string, number> };
    if (summary.byStatus['in-sync'] !== services.length)
      throw new Error(`sweep summary ${res.body.slice(0, 300)}: expected ${services.length} in-sync`);
    const counts = emulator.requests();
    const report = await fn.report();
    return {
      wallMs,
      calls: totalCalls(counts),
      refused: totalCalls(counts, { refused: true }),
      maxRssMiB: report.maxRssKiB / 1024,
      cpuMs: report.cpuMs - cpuBefore,
      byStatus: summary.byStatus,
    };
  } finally {
    await fn.stop();
    await emulator.stop();
    file.remove();
  }
}

export async function fleetSweep(options: { projects?: number; perShard?: number; subset?: number } = {}): Promise<Figure[]> {
  const projects = options.projects ?? 20;
  const regions = ['asia-northeast1', 'europe-west1'];
  const perShard = options.perShard ?? 250;
  const services = fleet(projects, regions, perShard);
  const shards = projects * regions.length;
  const pages = Math.max(1, Math.ceil(perShard / PAGE));
  const listMinimum = shards * (KINDS * pages + pages);
  // A shard's pages of one kind follow each other (page tokens), kinds in parallel; per project,
  // 2 regions × 7 lists stay far under 1,500 lists per minute, so no window has to be waited for.
  const perProjectLists = regions.length * (KINDS + 1) * pages;
  const windowsWaited = Math.floor((perProjectLists - 1) / (GOOGLE_COMPUTE_QUOTAS.compute.list ?? Infinity));
  const shardMinimumMs = windowsWaited * GOOGLE_COMPUTE_QUOTAS.windowMs + pages * LATENCY_MS;

  const snap = await runSweep(services, {});
  const subsetSize = Math.min(options.subset ?? 1000, services.length);
  // The subset keeps every shard: every 10th service of each shard.
  const step = Math.max(1, Math.round(services.length / subsetSize));
  const subset = services.filter((_, i) => i % step === 0).slice(0, subsetSize);
  const perResource = await runSweep(subset, { SWEEP_SNAPSHOTS: 'false', READ_BATCH_WINDOW_MS: '0' });
  const perResourceCallsPerService = perResource.calls / subset.length;
  const snapshotCallsPerService = snap.calls / services.length;

  const title = `fleet sweep: ${services.length.toLocaleString('en-US')} services, ${projects} projects × ${regions.length} regions, ${LATENCY_MS} ms/call, Google's per-project quotas`;
  const common = [
    `${shards} shards of ${perShard} services; emulator quotas: Compute read, list, write, operation read 1,500/min per project in fixed minute windows (docs/google-behaviour.md)`,
    `beside it, today's per-resource sweep (SWEEP_SNAPSHOTS=false, READ_BATCH_WINDOW_MS=0) on a ${subset.length.toLocaleString('en-US')}-service subset: ${perResource.calls.toLocaleString('en-US')} calls (${perResourceCallsPerService.toFixed(2)} per service) in ${Math.round(perResource.wallMs).toLocaleString('en-US')} ms; the snapshot sweep makes ${snapshotCallsPerService.toFixed(3)} calls per service: ${(perResourceCallsPerService / snapshotCallsPerService).toFixed(0)}× fewer`,
  ];
  return [
    figure({
      id: '7',
      title: `${title}: API calls`,
      samples: [snap.calls],
      unit: 'calls',
      baseline: { label: 'list minimum (Σ shards of pages per kind + Cloud Run lists)', value: listMinimum },
      target: { comparison: '<=', limit: 1.1 },
      checks: [
        {
          name: 'peak RSS MiB',
          value: Math.round(snap.maxRssMiB * 10) / 10,
          target: '<= 256 (the function memory tier)',
          met: snap.maxRssMiB <= 256,
        },
        { name: 'refused calls (403/429)', value: snap.refused, target: '0', met: snap.refused === 0 },
      ],
      notes: common,
    }),
    figure({
      id: '7b',
      title: `${title}: wall time`,
      samples: [snap.wallMs],
      unit: 'ms',
      baseline: { label: "slowest shard's quota-bound minimum", value: shardMinimumMs },
      target: { comparison: '<=', limit: 1.2 },
      notes: [
        `quota-bound minimum of a shard = windows waited (floor((lists per project − 1) / 1,500) = ${windowsWaited}) × 60 s + pages in sequence (${pages}) × ${LATENCY_MS} ms = ${shardMinimumMs} ms: the quotas never bind at this size, so the minimum is one list round trip`,
        `measured from the sweep request to its response, in one function process (NODE_OPTIONS ${deployedNodeOptions()}, as deployed): the emulator building and the client decoding ${(services.length * 7).toLocaleString('en-US')} resources, and ${services.length.toLocaleString('en-US')} diffs, on a shared 2-core machine`,
        `the function process's own CPU time during the sweep: ${Math.round(snap.cpuMs).toLocaleString('en-US')} ms (${((snap.cpuMs / snap.wallMs) * 100).toFixed(0)}% of the wall time: its JavaScript thread and V8's garbage-collector helper threads); its lists, Compute's and Cloud Run's, ask for only the fields the diff reads (partial responses, docs/google-behaviour.md), so the client decodes about half of each Compute resource's fields and 6 of a Cloud Run service's 23 top-level fields (of its template, only the VPC access)`,
        `the sweep's work runs outside the Functions Framework's per-request domain (functions/outside-request-domain.ts): inside it, Node's domain hook marked every promise the clients create, ~1 s of this CPU (5,858 → 4,868 ms, back to back at load 13)`,
        `where the rest goes (BENCH_CPU_PROF=DIR, one profile of this sweep, 2026-11-30): gax's decoding of the list bodies (text, JSON, protobuf message, plain object) ~20%, garbage collection ~24%, HTTP ~13%, diffs and plans ~5%, the 10,000 outcome lines ~6%; the floor in one process is what no client or scheduling removes, the diffs, plans and outcome lines and parsing the JSON, ~1 s: ~17× the target on its own`,
      ],
      explainMiss: () =>
        `the minimum counts only what quotas and latency force (${shardMinimumMs} ms); the sweep is CPU-bound instead: its process alone spent ${Math.round(snap.cpuMs).toLocaleString('en-US')} ms of CPU (decoding ${(services.length * 7).toLocaleString('en-US')} resources through the REST clients, ${services.length.toLocaleString('en-US')} diffs and outcome lines; the diffs, outcome lines and JSON parsing alone, ~1 s, are a floor no client or scheduling of calls removes), while the emulator serialising the lists shares the same 2 cores. Per service, wall time is ${(perResource.wallMs / subset.length / (snap.wallMs / services.length)).toFixed(1)}× lower than the per-resource sweep's; fanned out (figure 9), each shard is one instance's work.`,
    }),
  ];
}
