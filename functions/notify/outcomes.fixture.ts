// Hand-built Outcomes, one per status, as plain data: what the notification tests render.
import { deriveNames } from '../config/names';
import type { AuditEvent } from '../events/audit-event';
import type { Drift, Outcome, OutcomeStatus, Plan, Step, StepResult } from '../reconcile/model';

export const TRIGGER: AuditEvent = {
  insertId: 'abc123-insert',
  methodName: 'google.cloud.run.v1.Services.ReplaceService',
  api: 'run',
  verb: 'ReplaceService',
  target: { kind: 'runService', project: 'demo-project', region: 'asia-northeast1', service: 'server-service' },
  principal: 'alice@example.com',
  timestamp: '2026-11-25T10:00:00.123Z',
  requestedIngress: 'all',
};

const INGRESS_DRIFT: Drift = { type: 'ingress', wanted: 'internal', found: 'all' };
const RULE_DRIFT: Drift = { type: 'missing', kind: 'forwardingRule', name: 'internal-lb-frontend' };
const TIMEOUT_DRIFT: Drift = {
  type: 'mutable',
  kind: 'backendService',
  name: 'internal-lb-backend-svc',
  field: 'timeoutSec',
  wanted: 30,
  found: 5,
};

const SET_INGRESS: Step = { action: 'setIngress', service: 'server-service', ingress: 'internal', etag: '"e1"' };
const CREATE_RULE: Step = {
  action: 'create',
  kind: 'forwardingRule',
  name: 'internal-lb-frontend',
  resource: { name: 'internal-lb-frontend', IPAddress: '10.0.0.100', portRange: '80', loadBalancingScheme: 'INTERNAL_MANAGED' },
};
const PATCH_TIMEOUT: Step = {
  action: 'mutate',
  kind: 'backendService',
  name: 'internal-lb-backend-svc',
  mutation: {
    kind: 'backendService',
    method: 'patch',
    ref: { project: 'demo-project', region: 'asia-northeast1', name: 'internal-lb-backend-svc' },
    fingerprint: 'fp1',
    fields: { timeoutSec: 30 },
  },
};

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    serviceKey: 'demo-project/asia-northeast1/server-service',
    project: 'demo-project',
    region: 'asia-northeast1',
    service: 'server-service',
    names: deriveNames('internal-lb'),
    dryRun: false,
    drift: [INGRESS_DRIFT, RULE_DRIFT, TIMEOUT_DRIFT],
    levels: [[SET_INGRESS, PATCH_TIMEOUT], [CREATE_RULE]],
    unrepaired: [],
    ...overrides,
  };
}

function done(step: Step, durationMs: number): StepResult {
  return { step, status: 'done', attempts: 1, durationMs };
}

/** An outcome of the given status for `service`, shaped as the reconciler would produce it. */
export function outcome(status: OutcomeStatus, service = 'server-service', overrides: Partial<Outcome> = {}): Outcome {
  const key = `demo-project/asia-northeast1/${service}`;
  const base: Outcome = {
    serviceKey: key,
    status,
    dryRun: false,
    trigger: TRIGGER,
    plan: plan({ serviceKey: key, service }),
    steps: [],
    remainingDrift: [],
    writes: 0,
    writeAttempts: 0,
    startedAt: '2026-11-25T10:00:01.000Z',
    durationMs: 4200,
  };
  switch (status) {
    case 'in-sync':
      return { ...base, plan: plan({ serviceKey: key, service, drift: [], levels: [] }), ...overrides };
    case 'repaired':
      return {
        ...base,
        steps: [done(SET_INGRESS, 1800), done(PATCH_TIMEOUT, 900), done(CREATE_RULE, 12_400)],
        writes: 3,
        writeAttempts: 3,
        ...overrides,
      };
    case 'failed':
      return {
        ...base,
        steps: [
          done(SET_INGRESS, 1500),
          done(PATCH_TIMEOUT, 700),
          {
            step: CREATE_RULE,
            status: 'failed',
            attempts: 3,
            durationMs: 9000,
            error: { class: 'permission-denied', message: 'compute.forwardingRules.create denied', code: 403 },
          },
        ],
        remainingDrift: [RULE_DRIFT],
        writes: 2,
        writeAttempts: 5,
        reason: 'step create forwardingRule internal-lb-frontend failed: permission denied',
        ...overrides,
      };
    case 'drift-detected':
      return { ...base, dryRun: true, plan: plan({ serviceKey: key, service, dryRun: true }), ...overrides };
    case 'paused':
      return { ...base, reason: 'paused until 2026-11-26T00:00:00Z by annotation mesh-remediator/paused-until', ...overrides };
    case 'breaker-open':
      return { ...base, reason: '4 repairs in 600 s (max 3): breaker open', ...overrides };
  }
}
