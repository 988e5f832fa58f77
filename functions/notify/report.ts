// The report topic: one schema-versioned JSON report per reconcile outcome (docs/report-schema.md),
// published with @google-cloud/pubsub to REPORT_TOPIC, with attributes subscribers filter on.
// The client (pubsub-client.ts) is made on the first publish only, so an irrelevant event never pays
// for it (cheap when idle). Every publish has a deadline: an unreachable Pub/Sub costs seconds, not
// the library's minute-long retry budget, and the failure names the endpoint and its variable.
import type { Environment } from '../config/environment';
import type { Drift, Outcome, OutcomeStatus, Step, StepStatus } from '../reconcile/model';
import type { Redactor } from '../log';
import { topicPublisher } from '../pubsub-client';
import { chainOf, type ChainLink } from '../reconcile/chain';
import { stepSubject, type Subject } from './describe';

/** 2: `writes` counts changes made (1 counted attempts); `writeAttempts`, `chain` and `pausedUntil` added. */
export const REPORT_SCHEMA_VERSION = 2;

export interface ReportStep {
  action: Step['action'];
  kind: Subject['kind'];
  name: string;
}

export interface ReportStepResult extends ReportStep {
  status: StepStatus;
  attempts: number;
  durationMs: number;
  error: { class: string; message: string; code: number | null } | null;
}

export interface OutcomeReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  serviceKey: string;
  project: string;
  region: string;
  service: string;
  outcome: OutcomeStatus;
  dryRun: boolean;
  trigger: { insertId: string; methodName: string; principal: string | null; timestamp: string | null } | null;
  drift: Drift[];
  /** The plan's steps in order, with the dependency level each belongs to (what dry-run would do). */
  plannedSteps: Array<ReportStep & { level: number }>;
  /** What apply did (empty for dry-run, in-sync, paused and breaker-open). */
  steps: ReportStepResult[];
  unrepaired: Array<{ drift: Drift; reason: string }>;
  remainingDrift: Drift[];
  /** Changes made (write calls Google accepted). */
  writes: number;
  /** Write calls made, retries and refusals included. */
  writeAttempts: number;
  /** Each link of the chain, in traffic order, with its state as the first read found it. */
  chain: ChainLink[];
  /** The pause annotation's time when the service is paused. */
  pausedUntil: string | null;
  startedAt: string;
  durationMs: number;
  reason: string | null;
}

export function buildReport(outcome: Outcome): OutcomeReport {
  const { plan, trigger } = outcome;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    serviceKey: outcome.serviceKey,
    project: plan.project,
    region: plan.region,
    service: plan.service,
    outcome: outcome.status,
    dryRun: outcome.dryRun,
    trigger: trigger
      ? {
          insertId: trigger.insertId,
          methodName: trigger.methodName,
          principal: trigger.principal ?? null,
          timestamp: trigger.timestamp ?? null,
        }
      : null,
    drift: plan.drift,
    plannedSteps: plan.levels.flatMap((steps, level) => steps.map((step) => ({ level, action: step.action, ...stepSubject(step) }))),
    steps: outcome.steps.map((result) => ({
      action: result.step.action,
      ...stepSubject(result.step),
      status: result.status,
      attempts: result.attempts,
      durationMs: result.durationMs,
      error: result.error ? { class: result.error.class, message: result.error.message, code: result.error.code ?? null } : null,
    })),
    unrepaired: plan.unrepaired,
    remainingDrift: outcome.remainingDrift,
    writes: outcome.writes,
    writeAttempts: outcome.writeAttempts,
    chain: chainOf(outcome),
    pausedUntil: outcome.pausedUntil ?? null,
    startedAt: outcome.startedAt,
    durationMs: outcome.durationMs,
    reason: outcome.reason ?? null,
  };
}

/** Message attributes, all strings as Pub/Sub requires; subscription filters use these names. */
export function reportAttributes(report: OutcomeReport): Record<string, string> {
  return {
    service: report.serviceKey,
    outcome: report.outcome,
    dryRun: String(report.dryRun),
    schemaVersion: String(report.schemaVersion),
  };
}

export interface ReportPublisher {
  /** Resolves with the Pub/Sub message id. */
  publish(report: OutcomeReport): Promise<string>;
  /** Another message on the same topic and client (a sweep shard's summary), as JSON, scrubbed alike. */
  publishJson(body: object, attributes: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** How long one report may take to publish before it is given up (and logged). */
export const PUBLISH_DEADLINE_MS = 10_000;

export interface ReportPublisherOptions {
  topic: NonNullable<Environment['reportTopic']>;
  pubsubEmulator?: Environment['pubsubEmulator'];
  redactor: Redactor;
  deadlineMs?: number;
}

/** One client for the life of the publisher, created at the first publish. */
export function createReportPublisher(options: ReportPublisherOptions): ReportPublisher {
  const { topic, pubsubEmulator, redactor, deadlineMs = PUBLISH_DEADLINE_MS } = options;
  const publisher = topicPublisher(topic, pubsubEmulator, deadlineMs);
  // A reason or error message could quote anything, the webhook URL included.
  const publishJson = (body: object, attributes: Record<string, string>) =>
    publisher.publish(Buffer.from(redactor.text(JSON.stringify(body))), attributes);
  return {
    publish: (report) => publishJson(report, reportAttributes(report)),
    publishJson,
    close: () => publisher.close(),
  };
}
