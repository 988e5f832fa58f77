// Executes a Plan (Terraform's apply). The plan's levels give the order; each step starts as soon
// as the earlier steps it depends on are done, so the steps of a level run concurrently and no
// step waits for an unrelated slow one (the Cloud Run LRO does not hold up the backend, the
// address does not hold up the NEG's chain). Each step is idempotent: inserts carry a requestId kept across retries, "already exists" is
// success, a stale fingerprint/etag is re-read and the change rebuilt and retried once, transient
// errors back off (retry.ts), and a permanent error stops only the steps that depend on it.
// It writes nothing the plan does not name.
import { randomUUID } from 'node:crypto';
import type { DeclaredService, ResourceKind } from '../config/mesh';
import { GcpError, type MeshPort } from '../gcp/port';
import { dependencyClosure, dependentClosure, refOf, serviceRefOf } from './desired';
import type { Plan, Step, StepResult, StepStatus } from './model';
import { vpcAccessHolds } from './client-egress';
import { mutationFor } from './plan';
import { retryTransient, type Attempted, type RetryOptions } from './retry';

export interface ApplyDeps {
  port: MeshPort;
  retry: RetryOptions;
  /** Monotonic-enough milliseconds for step durations. */
  clock: () => number;
  newRequestId?: () => string;
}

export interface Applied {
  results: StepResult[];
  /** Changes made: write calls Google accepted (a retried write that finally succeeds counts once). */
  writes: number;
  /** Write calls issued to the port, retries and refusals included. */
  writeAttempts: number;
}

export async function applyPlan(svc: DeclaredService, plan: Plan, deps: ApplyDeps): Promise<Applied> {
  const counter = { writes: 0, writeAttempts: 0 };
  const running = new Map<Step, Promise<StepResult>>();
  const earlier: Step[] = [];
  for (const level of plan.levels) {
    for (const step of level) {
      const prerequisites = earlier.filter((before) => needs(step, before)).map((before) => running.get(before)!);
      running.set(
        step,
        Promise.all(prerequisites).then((done) => {
          const cause = done.find((r) => r.status === 'failed' || r.status === 'not-run');
          return cause ? notRun(step, cause.step) : runStep(svc, step, deps, counter);
        }),
      );
    }
    earlier.push(...level);
  }
  const results = await Promise.all(plan.levels.flat().map((step) => running.get(step)!));
  return { results, writes: counter.writes, writeAttempts: counter.writeAttempts };
}

/**
 * Whether `step` must wait for `before` (a step of an earlier level): a create/mutate needs what
 * it points at (and its own kind's delete, when recreating); a delete needs what points at it gone.
 * Ingress is independent of the chain.
 */
function needs(step: Step, before: Step): boolean {
  if (!isChainStep(step) || !isChainStep(before)) return false;
  if (step.action === 'delete') return before.action === 'delete' && dependentClosure(step.kind).has(before.kind);
  return dependencyClosure(step.kind).has(before.kind);
}

/** Cloud Run steps (ingress, a client's VPC access) are independent of the chain and of each other. */
function isChainStep(step: Step): step is Extract<Step, { kind: ResourceKind }> {
  return step.action !== 'setIngress' && step.action !== 'setVpcAccess';
}

function notRun(step: Step, cause: Step): StepResult {
  const what = isChainStep(cause) ? `${cause.action} ${cause.kind}` : cause.action;
  return {
    step,
    status: 'not-run',
    attempts: 0,
    durationMs: 0,
    error: { class: 'not-run', message: `not run: it depends on ${what}, which did not succeed` },
  };
}

async function runStep(
  svc: DeclaredService,
  step: Step,
  deps: ApplyDeps,
  counter: { writes: number; writeAttempts: number },
): Promise<StepResult> {
  const started = deps.clock();
  const write = (op: () => Promise<unknown>) => async () => {
    counter.writeAttempts += 1;
    const result = await op();
    counter.writes += 1;
    return result;
  };
  const outcome = await execute(svc, step, deps, write);
  const result: StepResult = { step, status: outcome.status, attempts: outcome.attempts, durationMs: deps.clock() - started };
  if (outcome.error)
    result.error = {
      class: outcome.error.errorClass,
      message: outcome.error.message,
      ...(outcome.error.code !== undefined ? { code: outcome.error.code } : {}),
    };
  return result;
}

type Write = (op: () => Promise<unknown>) => () => Promise<unknown>;
interface Executed {
  status: StepStatus;
  attempts: number;
  error?: GcpError;
}

async function execute(svc: DeclaredService, step: Step, deps: ApplyDeps, write: Write): Promise<Executed> {
  const outside = outsideDeclaration(svc, step);
  if (outside) return { status: 'failed', attempts: 0, error: new GcpError('permanent', `refused: ${outside}`) };
  const { port, retry } = deps;
  const serviceRef = serviceRefOf(svc);
  switch (step.action) {
    case 'setIngress':
      return withConflictRetry(
        retry,
        write(() => port.setIngress(serviceRef, step.ingress, step.etag)),
        async () => {
          const fresh = await port.getService(serviceRef);
          if (!fresh) throw new GcpError('notFound', `Cloud Run service ${svc.service} disappeared`, 5, 404);
          return fresh.ingress === step.ingress ? null : write(() => port.setIngress(serviceRef, step.ingress, fresh.etag));
        },
      );
    case 'setVpcAccess': {
      const client = svc.clients.find((c) => c.key === step.client)!;
      return withConflictRetry(
        retry,
        write(() => port.setVpcAccess(client, step.vpcAccess, step.etag)),
        async () => {
          const fresh = await port.getService(client);
          if (!fresh) throw new GcpError('notFound', `client Cloud Run service ${client.key} disappeared`, 5, 404);
          return vpcAccessHolds(step.vpcAccess, fresh.vpcAccess)
            ? null
            : write(() => port.setVpcAccess(client, step.vpcAccess, fresh.etag));
        },
      );
    }
    case 'create': {
      // One requestId for every retry of this step: Compute answers a repeat with the first result.
      const requestId = (deps.newRequestId ?? randomUUID)();
      const result = await retryTransient(
        write(() => port.insert(step.kind, refOf(svc, step.kind), step.resource, requestId)),
        retry,
      );
      // Someone (a twin instance, a human) created it first: success; the verification read checks it.
      if (!result.ok && result.error.errorClass === 'alreadyExists') return { status: 'already-exists', attempts: result.attempts };
      return settle(result);
    }
    case 'mutate': {
      const result = await withConflictRetry(
        retry,
        write(() => port.mutate(step.mutation)),
        async () => {
          const fresh = await port.get(step.kind, refOf(svc, step.kind));
          if (!fresh) throw vanished(step.kind, step.name);
          const mutation = mutationFor(svc, step.kind, fresh);
          return mutation ? write(() => port.mutate(mutation)) : null;
        },
      );
      // Deleted under our feet: that is drift for the next round (its delete event triggers one).
      return result.error?.errorClass === 'notFound' ? { ...result, error: vanished(step.kind, step.name) } : result;
    }
    case 'delete': {
      const requestId = (deps.newRequestId ?? randomUUID)();
      const result = await retryTransient(
        write(() => port.delete(step.kind, refOf(svc, step.kind), requestId)),
        retry,
      );
      // Already gone is what we wanted.
      if (!result.ok && result.error.errorClass === 'notFound') return { status: 'done', attempts: result.attempts };
      return settle(result);
    }
  }
}

/**
 * Runs `first`; on a stale fingerprint/etag, re-reads through `refresh` (which rebuilds the write
 * from the fresh state, or says null when the fresh state needs nothing) and tries once more.
 */
async function withConflictRetry(
  retry: RetryOptions,
  first: () => Promise<unknown>,
  refresh: () => Promise<(() => Promise<unknown>) | null>,
): Promise<Executed> {
  const result = await retryTransient(first, retry);
  if (result.ok || result.error.errorClass !== 'conflict') return settle(result);
  const rebuilt = await retryTransient(refresh, retry);
  if (!rebuilt.ok) return settle({ ...rebuilt, attempts: result.attempts });
  if (rebuilt.value === null) return { status: 'done', attempts: result.attempts };
  const second = await retryTransient(rebuilt.value, retry);
  return settle({ ...second, attempts: result.attempts + second.attempts });
}

function settle(result: Attempted<unknown>): Executed {
  return result.ok ? { status: 'done', attempts: result.attempts } : { status: 'failed', attempts: result.attempts, error: result.error };
}

function vanished(kind: ResourceKind, name: string): GcpError {
  return new GcpError('notFound', `${kind} ${name} is gone (reported as drift: the next reconcile recreates it)`, 5, 404);
}

/** Why a step would write outside the declared service (a plan built elsewhere, e.g. edited JSON). */
function outsideDeclaration(svc: DeclaredService, step: Step): string | undefined {
  if (step.action === 'setIngress') return step.service === svc.service ? undefined : `service ${step.service} is not ${svc.key}`;
  if (step.action === 'setVpcAccess') {
    const client = svc.clients.find((c) => c.key === step.client);
    if (!client || client.service !== step.service) return `client ${step.client} is not a declared client of ${svc.key}`;
    return JSON.stringify(step.vpcAccess) === JSON.stringify(client.vpcAccess)
      ? undefined
      : `vpcAccess for ${step.client} is not the declared one`;
  }
  const declared = refOf(svc, step.kind);
  const target = step.action === 'mutate' ? step.mutation.ref : { ...declared, name: step.name };
  const same = target.project === declared.project && target.region === declared.region && target.name === declared.name;
  if (!same || (step.action === 'mutate' && step.mutation.kind !== step.kind)) {
    return `${step.kind} ${target.project}/${target.region}/${target.name} is not the declared ${step.kind} of ${svc.key}`;
  }
  return undefined;
}
