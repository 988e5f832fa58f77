// The values the reconciler produces: Drift (what differs), Plan (what to do, in dependency
// levels), Outcome (what happened, verified by a re-read). Plain data: printed, logged,
// published and asserted on as they are.
import type { DeclaredIngress, DeclaredVpcAccess, ResourceKind } from '../config/mesh';
import type { Mutation, ObservedIngress, ResourceOf } from '../gcp/port';
import type { AuditEvent } from '../events/audit-event';

export type Drift =
  /** The Cloud Run service itself is absent: nothing this tool may create; reported. */
  | { type: 'service-missing'; service: string }
  | { type: 'ingress'; wanted: DeclaredIngress; found: ObservedIngress }
  | { type: 'missing'; kind: ResourceKind; name: string }
  | { type: 'mutable'; kind: ResourceKind; name: string; field: string; wanted: unknown; found: unknown }
  | { type: 'immutable'; kind: ResourceKind; name: string; field: string; wanted: unknown; found: unknown }
  /** A declared client's Cloud Run service is absent: reported, never created. */
  | { type: 'client-missing'; client: string; service: string }
  /** A declared client's template.vpcAccess differs (found null: it has none). */
  | { type: 'client-egress'; client: string; service: string; wanted: DeclaredVpcAccess; found: DeclaredVpcAccess | null };

/** A mutation as planned: the adapter call minus nothing (fingerprints are the ones observed). */
export type Step =
  | { action: 'setIngress'; service: string; ingress: DeclaredIngress; etag: string }
  /** Restores a client's template.vpcAccess (a new revision of the client); `client` is its key. */
  | { action: 'setVpcAccess'; client: string; service: string; vpcAccess: DeclaredVpcAccess; etag: string }
  | { action: 'create'; kind: ResourceKind; name: string; resource: ResourceOf[ResourceKind] }
  | { action: 'mutate'; kind: ResourceKind; name: string; mutation: Mutation }
  | { action: 'delete'; kind: ResourceKind; name: string };

export interface Plan {
  serviceKey: string;
  project: string;
  region: string;
  service: string;
  /** The declared name of each chain resource (the links of the chain, whatever their state). */
  names: Record<ResourceKind, string>;
  dryRun: boolean;
  drift: Drift[];
  /** Steps grouped in levels; steps of one level are independent and run in parallel. */
  levels: Step[][];
  /** Drift the plan deliberately does not repair, with the reason (e.g. immutable drift without recreate). */
  unrepaired: { drift: Drift; reason: string }[];
}

export type StepStatus = 'done' | 'already-exists' | 'failed' | 'not-run';

export interface StepResult {
  step: Step;
  status: StepStatus;
  attempts: number;
  durationMs: number;
  error?: { class: string; message: string; code?: number };
}

export type OutcomeStatus =
  /** no drift found */
  | 'in-sync'
  /** drift found, repaired, and a re-read shows no drift */
  | 'repaired'
  /**
   * Drift remains by choice, not by failure: dry-run (nothing written), or the only drift left is
   * what the plan deliberately did not repair (`plan.unrepaired`: immutable drift without
   * policy.recreateOnImmutableDrift, a missing Cloud Run service). Any repairable drift in the
   * same plan was repaired and verified. `reason` says which.
   */
  | 'drift-detected'
  /** repair attempted but a step failed or the re-read still shows drift it meant to repair; or a read failed */
  | 'failed'
  /** paused by annotation */
  | 'paused'
  /** breaker tripped: too many repairs in the window */
  | 'breaker-open';

export interface Outcome {
  serviceKey: string;
  status: OutcomeStatus;
  dryRun: boolean;
  /** The event that caused this reconcile, when there was one (absent for sweep/CLI). */
  trigger?: AuditEvent;
  plan: Plan;
  steps: StepResult[];
  /** Drift found by the re-read after apply (empty when repaired). */
  remainingDrift: Drift[];
  /** Changes made: write calls Google accepted. */
  writes: number;
  /** Write calls made, retries and refusals included. */
  writeAttempts: number;
  startedAt: string;
  durationMs: number;
  /** Human-readable reason for paused / breaker-open / failed / drift-detected. */
  reason?: string;
  /** status 'paused': the time in the service's `mesh-remediator/paused-until` annotation. */
  pausedUntil?: string;
  /** A read (first round or verification) that failed for good; status is then 'failed'. */
  readError?: { class: string; message: string; code?: number };
}
