// reconcile(key): the one loop every entry point runs (event, sweep, replay, CLI), like
// controller-runtime's Reconcile(request). The key names a declared service; its state is read,
// never taken from the event. Observe → diff/plan → pause, dry-run, breaker → apply → verify by a
// second read of what the plan is about. Callers go through admission.ts, which never runs one
// key twice at once. The first read may be a snapshot (the sweep's lists, or a batch of
// concurrent events): a snapshot only detects; when it shows drift, the resources the plan
// touches are re-read individually and the plan is made again from those fresh reads, and
// verification re-reads them again. No write is
// ever decided by a snapshot: a fresh read is a GET, or a filtered list sent after the reconcile
// asked for it (fresh-reads.ts), never one that was already on its way.
import type { DeclaredService, Mesh, ResourceKind } from '../config/mesh';
import type { AuditEvent } from '../events/audit-event';
import type { MeshPort } from '../gcp/port';
import type { Logger } from '../log';
import { applyPlan, type Applied } from './apply';
import { Breaker } from './breaker';
import { diff } from './diff';
import type { Drift, Outcome, OutcomeStatus, Plan } from './model';
import { BatchedReads, type FirstRead } from './batched-reads';
import { FreshReads, withFreshReads } from './fresh-reads';
import { NO_PARTS, observe, ObserveError, reread, type ObservedMesh, type ReadParts } from './observe';
import { pauseState, PAUSE_ANNOTATION } from './pause';
import { hasSteps, planRepair } from './plan';
import { DEFAULT_RETRY, type RetryOptions } from './retry';
import { observedIn, seesClients, type RegionSnapshot } from './snapshot';

export interface ReconcileOptions {
  /** The audit event that asked for this reconcile (only a hint; logged and reported). */
  trigger?: AuditEvent;
  /** Plan and report only. Any source asking for dry-run wins: this, or policy.dryRun (DRY_RUN). */
  dryRun?: boolean;
  /** Observe from this snapshot of the service's project-region (the sweep's shard lists). */
  snapshot?: RegionSnapshot;
}

export interface Reconciler {
  /** Rejects only for a key that is not declared; every other problem is in the Outcome. */
  reconcile(key: string, options?: ReconcileOptions): Promise<Outcome>;
  /** Keys of every declared service, in declaration order. */
  keys(): string[];
  /** Whether a reconcile with these options only plans (the option or the policy asks for it). */
  isDryRun(options?: ReconcileOptions): boolean;
}

export interface ReconcilerDeps {
  port: MeshPort;
  logger: Logger;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Overrides of the transient-retry policy (attempts, base and cap delays). */
  retry?: Partial<Pick<RetryOptions, 'maxAttempts' | 'baseMs' | 'capMs'>>;
  /** requestId source for inserts/deletes (crypto.randomUUID by default). */
  newRequestId?: () => string;
  /**
   * > 0: reconciles of one project-region starting within this many ms share one list-based read
   * when that costs fewer calls (reconcile/batched-reads.ts). 0 or unset: each reads with GETs.
   */
  batchWindowMs?: number;
}

export function createReconciler(mesh: Mesh, deps: ReconcilerDeps): Reconciler {
  const now = deps.now ?? (() => new Date());
  const retry: RetryOptions = {
    ...DEFAULT_RETRY,
    ...deps.retry,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  };
  const byKey = new Map(mesh.services.map((svc) => [svc.key, svc]));
  const breaker = new Breaker(mesh.policy.breaker, now);
  const batch = deps.batchWindowMs && deps.batchWindowMs > 0 ? new BatchedReads(deps.port, retry, deps.batchWindowMs) : undefined;
  /** Fresh reads (confirm, verify): with batching on, concurrent ones of a kind share a list sent after they asked. */
  const fresh = batch ? withFreshReads(deps.port, new FreshReads(deps.port)) : deps.port;

  const isDryRun = (options: ReconcileOptions) => options.dryRun === true || mesh.policy.dryRun;

  async function once(svc: DeclaredService, options: ReconcileOptions): Promise<Outcome> {
    // What a reconcile saw is as old as its first read: a snapshot taken earlier dates it back
    // (the burst dedupe trusts startedAt as "read after").
    const started = options.snapshot ? new Date(Math.min(now().getTime(), options.snapshot.takenAt)) : now();
    const dryRun = isDryRun(options);
    const logger = deps.logger.with({ serviceKey: svc.key, ...(options.trigger ? { insertId: options.trigger.insertId } : {}) });
    const finish = (status: OutcomeStatus, plan: Plan, extra: Partial<Outcome> = {}): Outcome => {
      const outcome: Outcome = {
        serviceKey: svc.key,
        status,
        dryRun,
        ...(options.trigger ? { trigger: options.trigger } : {}),
        plan,
        steps: [],
        remainingDrift: status === 'in-sync' || status === 'repaired' ? [] : plan.drift,
        writes: 0,
        writeAttempts: 0,
        startedAt: started.toISOString(),
        durationMs: now().getTime() - started.getTime(),
        ...extra,
      };
      // No log line here: the notifier writes the one line per outcome (notify/alert-log.ts).
      return outcome;
    };

    const read = await firstRead(svc, options);
    if ('error' in read) return finish('failed', emptyPlan(svc, dryRun), { readError: read.error, reason: read.error.message });
    let observed = read.observed;
    let plan = planRepair(svc, observed, mesh.policy, dryRun);
    /** What was read afresh after a snapshot showed drift (verification re-reads the same). */
    let confirmed: ReadParts | undefined;
    if (!read.fresh && plan.drift.length > 0) {
      const decided = await confirm(svc, observed, plan, dryRun);
      if ('error' in decided) return finish('failed', plan, { readError: decided.error, reason: decided.error.message });
      ({ observed, plan, parts: confirmed } = decided);
    }

    const pause = pauseState(observed.service?.annotations, now());
    if (pause.paused)
      return finish('paused', plan, { pausedUntil: pause.until, reason: `paused until ${pause.until} by annotation ${PAUSE_ANNOTATION}` });
    if (pause.ignored) {
      const { value, why } = pause.ignored;
      logger.log(
        why === 'malformed' ? 'WARNING' : 'INFO',
        `ignoring ${why} ${PAUSE_ANNOTATION} annotation ${JSON.stringify(value)}: not paused`,
      );
    }

    if (plan.drift.length === 0) return finish('in-sync', plan);
    if (dryRun) return finish('drift-detected', plan, { reason: 'dry-run: nothing written' });
    if (!hasSteps(plan)) return finish('drift-detected', plan, { reason: unrepairedReason(plan) });
    if (breaker.isOpen(svc.key)) {
      const { maxRepairs, windowSec } = mesh.policy.breaker;
      // Logged once, at ALERT severity, by finish (a log-based alert policy keys on it).
      const repairs = breaker.recent(svc.key).length;
      return finish('breaker-open', plan, {
        reason: `breaker open: ${repairs} repairs within ${windowSec}s (limit ${maxRepairs}); not repairing: something keeps undoing the declared state`,
      });
    }

    const applied = await applyPlan(svc, plan, {
      port: deps.port,
      retry,
      clock: () => now().getTime(),
      ...(deps.newRequestId ? { newRequestId: deps.newRequestId } : {}),
    });
    if (applied.writeAttempts > 0) breaker.record(svc.key);

    // Verification re-reads what the plan is about (its drift and steps; after a snapshot, what
    // was confirmed), not the parts found in sync: those were read after this reconcile began, and
    // a change to them since is an event of its own (and its own reconcile).
    const verify = await attempt(() => reread(fresh, svc, observed, confirmed ?? partsOf(plan), retry));
    const base = { steps: applied.results, writes: applied.writes, writeAttempts: applied.writeAttempts };
    if ('error' in verify)
      return finish('failed', plan, {
        ...base,
        remainingDrift: plan.drift,
        readError: verify.error,
        reason: `verification read failed: ${verify.error.message}`,
      });
    const remaining = diff(svc, verify);
    const { status, reason } = verdict(plan, applied, remaining);
    return finish(status, plan, { ...base, remainingDrift: remaining, ...(reason ? { reason } : {}) });
  }

  /** The first read: the given snapshot, a batched read, or this reconcile's own GETs. */
  function firstRead(svc: DeclaredService, options: ReconcileOptions): Promise<FirstRead | ReadFailure> {
    const { snapshot } = options;
    if (snapshot) {
      return attempt(async () => {
        const seen = observedIn(snapshot, svc);
        // Clients in other locations are not in the shard's lists: read them afresh.
        const observed = seesClients(snapshot, svc) ? seen : await reread(fresh, svc, seen, { ...NO_PARTS, clients: true }, retry);
        return { observed, fresh: false };
      });
    }
    if (batch) return attempt(() => batch.read(svc));
    return attempt(async () => ({ observed: await observe(deps.port, svc, retry), fresh: true }));
  }

  /**
   * A snapshot showed drift: re-read afresh every part the drift or the plan's steps touch (a GET
   * each, or a share of a filtered list sent after this asked: fresh-reads.ts), and plan again
   * from those; repeated if the new plan touches more (at most 7 parts).
   */
  async function confirm(
    svc: DeclaredService,
    snapshot: ObservedMesh,
    first: Plan,
    dryRun: boolean,
  ): Promise<{ observed: ObservedMesh; plan: Plan; parts: ReadParts } | ReadFailure> {
    let parts: ReadParts = NO_PARTS;
    let observed = snapshot;
    let plan = first;
    for (;;) {
      const wanted = partsOf(plan);
      const extra: ReadParts = {
        service: wanted.service && !parts.service,
        clients: wanted.clients && !parts.clients,
        kinds: wanted.kinds.filter((k) => !parts.kinds.includes(k)),
      };
      if (!extra.service && !extra.clients && extra.kinds.length === 0) return { observed, plan, parts };
      const read = await attempt(() => reread(fresh, svc, observed, extra, retry));
      if ('error' in read) return read;
      observed = read;
      parts = { service: parts.service || extra.service, clients: parts.clients || extra.clients, kinds: [...parts.kinds, ...extra.kinds] };
      plan = planRepair(svc, observed, mesh.policy, dryRun);
    }
  }

  async function attempt<T>(read: () => Promise<T>): Promise<T | ReadFailure> {
    try {
      return await read();
    } catch (thrown) {
      if (!(thrown instanceof ObserveError)) throw thrown;
      const { errorClass, code } = thrown.cause;
      return { error: { class: errorClass, message: thrown.message, ...(code !== undefined ? { code } : {}) } };
    }
  }

  return {
    async reconcile(key, options = {}) {
      const svc = byKey.get(key);
      if (!svc)
        throw new Error(
          `unknown service key ${JSON.stringify(key)}: not in the declared mesh (declared: ${[...byKey.keys()].join(', ') || 'none'})`,
        );
      return once(svc, options);
    },
    keys: () => [...byKey.keys()],
    isDryRun: (options = {}) => isDryRun(options),
  };
}

type ReadFailure = { error: NonNullable<Outcome['readError']> };

/** The parts of the mesh a plan's drift and steps are about. */
function partsOf(plan: Plan): ReadParts {
  const kinds = new Set<ResourceKind>();
  let service = false;
  let clients = false;
  for (const d of plan.drift) {
    if (d.type === 'ingress' || d.type === 'service-missing') service = true;
    else if (d.type === 'client-missing' || d.type === 'client-egress') clients = true;
    else kinds.add(d.kind);
  }
  for (const step of plan.levels.flat()) {
    if (step.action === 'setIngress') service = true;
    else if (step.action === 'setVpcAccess') clients = true;
    else kinds.add(step.kind);
  }
  return { service, clients, kinds: [...kinds] };
}

/** Status and reason after apply and the verification read. */
function verdict(plan: Plan, applied: Applied, remaining: Drift[]): { status: OutcomeStatus; reason?: string } {
  if (remaining.length === 0) return { status: 'repaired' };
  const failed = applied.results.filter((r) => r.status === 'failed' || r.status === 'not-run');
  const deliberate = new Set(plan.unrepaired.map((u) => JSON.stringify(u.drift)));
  if (failed.length === 0 && remaining.every((d) => deliberate.has(JSON.stringify(d)))) {
    return { status: 'drift-detected', reason: `repaired what policy allows; ${unrepairedReason(plan)}` };
  }
  const why =
    failed.length > 0
      ? failed.map((r) => `${r.step.action} ${'kind' in r.step ? r.step.kind : r.step.service}: ${r.error?.message ?? r.status}`)
      : ['the re-read still shows drift'];
  return { status: 'failed', reason: why.join('; ') };
}

function unrepairedReason(plan: Plan): string {
  return `drift left unrepaired: ${plan.unrepaired
    .map((u) => u.reason)
    .filter(unique)
    .join('; ')}`;
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}

function emptyPlan(svc: DeclaredService, dryRun: boolean): Plan {
  const names = { ...svc.loadBalancer.names };
  return {
    serviceKey: svc.key,
    project: svc.project,
    region: svc.region,
    service: svc.service,
    names,
    dryRun,
    drift: [],
    levels: [],
    unrepaired: [],
  };
}
