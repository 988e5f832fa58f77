// The local Google Cloud surface mesh-remediator is tested against: Cloud Run Admin v2 services
// and Compute v1/beta regional load-balancer resources over their real REST wire format, with
// audit-log emission and fault injection. See README.md beside this file.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditLog, type AuditListener, type LogEntry } from './audit';
import { ComputeApi } from './compute';
import type { Core, MutationRecord } from './core';
import { FaultControl, NO_FAULTS } from './faults';
import { seededRandom } from './random';
import { QuotaControl } from './quotas';
import { RequestCounts, type RequestCountSnapshot } from './request-counts';
import { RequestRates, type Api, type RateSnapshot } from './request-rates';
import { RunApi } from './run';
import { RunV1Api } from './run-v1';
import { StorageApi } from './storage';
import { seedMesh, type SeedMesh } from './seed';
import { requestHandler, type Surfaces } from './server';

export type { LogEntry } from './audit';
export type { SeedMesh, SeedService } from './seed';
export type { FaultSettings, Rejection, RejectionKind } from './faults';
export type { MutationRecord } from './core';
export type { RateSnapshot } from './request-rates';
export type { QuotaSettings } from './quotas';
export type { MethodCount, RequestCountSnapshot } from './request-counts';
export { totalCalls } from './request-counts';
export { FaultControl } from './faults';

export interface EmulatorOptions {
  /** 0 (default): an ephemeral port */
  port?: number;
  host?: string;
  /** how long operations run before DONE (default 20 ms; 0 = done before the call returns) */
  operationDelayMs?: number;
  /** added to every API call */
  latencyMs?: number;
  /** principal of callers whose token is not `principal:<email>` (default alice@example.com) */
  defaultPrincipal?: string;
  /** POST every audit entry as a Pub/Sub push envelope to this URL */
  auditPushUrl?: string;
  /** publish every audit entry to projects/P/topics/T on the emulator at PUBSUB_EMULATOR_HOST */
  auditTopic?: string;
  /** declared mesh to create healthy at start */
  seed?: SeedMesh;
  /** random source for ids and faults (default: seeded with 1, reproducible) */
  random?: () => number;
}

export interface Emulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT */
  host: string;
  port: number;
  /** STORAGE_EMULATOR_HOST in the Storage client's form, http://host:port */
  env: { CLOUD_RUN_EMULATOR_HOST: string; COMPUTE_EMULATOR_HOST: string; STORAGE_EMULATOR_HOST: string };
  /** Cloud Storage objects (a gs:// MESH_CONFIG); cleared by reset() */
  storage: { put(bucket: string, object: string, contents: string | Buffer): void };
  seed(mesh: SeedMesh): void;
  faults: FaultControl;
  audit: { entries: LogEntry[]; on(listener: AuditListener): () => void; flush(): Promise<void>; deliveryErrors: string[] };
  /** successful (accepted) mutating calls so far */
  writes(): number;
  mutations: MutationRecord[];
  /** per-API request totals and the highest count seen in any 1 s window */
  rates(): Record<Api, RateSnapshot>;
  /** requests per project, API and method, with quota refusals (GET /admin/requests) */
  requests(): RequestCountSnapshot;
  /** per-project per-minute rate quotas (off until set; POST /admin/quotas) */
  quotas: QuotaControl;
  /** everything stored, for assertions (GET /admin/state) */
  state(): Record<string, unknown>;
  /** back to the seeded state: resources, audit, counters and faults */
  reset(): void;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const random = options.random ?? seededRandom(1);
  const faults = new FaultControl(
    { ...NO_FAULTS, operationDelayMs: options.operationDelayMs ?? NO_FAULTS.operationDelayMs, latencyMs: options.latencyMs ?? 0 },
    random,
  );
  const audit = new AuditLog({ pushUrl: options.auditPushUrl, topic: options.auditTopic }, () => faults.random());
  const core: Core = { faults, audit, random: () => faults.random(), mutations: [], timers: new Set() };
  const compute = new ComputeApi(core);
  const run = new RunApi(core);
  const storage = new StorageApi();
  const rates = new RequestRates();
  const counts = new RequestCounts();
  const quotas = new QuotaControl();
  const defaultPrincipal = options.defaultPrincipal ?? 'alice@example.com';
  const seeded: SeedMesh[] = [];

  const surfaces: Surfaces = {
    core,
    compute,
    run,
    runV1: new RunV1Api(core, run),
    storage,
    rates,
    counts,
    quotas,
    defaultPrincipal,
    seed(mesh) {
      if (!mesh || !Array.isArray(mesh.services)) throw new Error('seed needs a mesh with a services array');
      seedMesh(mesh, compute, run, defaultPrincipal);
      seeded.push(mesh);
    },
    reset() {
      compute.releaseWaiters();
      run.releaseWaiters();
      for (const timer of core.timers) clearTimeout(timer);
      core.timers.clear();
      compute.reset();
      run.reset();
      storage.reset();
      audit.clear();
      core.mutations.length = 0;
      rates.reset();
      counts.reset();
      quotas.reset();
      faults.reset();
      for (const mesh of seeded) seedMesh(mesh, compute, run, defaultPrincipal);
    },
    state() {
      return {
        compute: compute.snapshot(),
        run: run.snapshot(),
        writes: core.mutations.length,
        mutations: core.mutations,
        rates: rates.snapshot(),
        faults: faults.settings,
      };
    },
  };
  if (options.seed) surfaces.seed(options.seed);

  const server = createServer(requestHandler(surfaces));
  const bindHost = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = `${bindHost}:${port}`;

  return {
    url: `http://${host}`,
    host,
    port,
    env: { CLOUD_RUN_EMULATOR_HOST: host, COMPUTE_EMULATOR_HOST: host, STORAGE_EMULATOR_HOST: `http://${host}` },
    storage: { put: (bucket, object, contents) => storage.put(bucket, object, contents) },
    seed: (mesh) => surfaces.seed(mesh),
    faults,
    audit: {
      entries: audit.entries,
      on: (listener) => audit.on(listener),
      flush: () => audit.flush(),
      deliveryErrors: audit.deliveryErrors,
    },
    writes: () => core.mutations.length,
    mutations: core.mutations,
    rates: () => rates.snapshot(),
    requests: () => counts.snapshot(),
    quotas,
    state: () => surfaces.state(),
    reset: () => surfaces.reset(),
    async stop() {
      for (const timer of core.timers) clearTimeout(timer);
      core.timers.clear();
      compute.releaseWaiters();
      run.releaseWaiters();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await audit.close();
    },
  };
}
