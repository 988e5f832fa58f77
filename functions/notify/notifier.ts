// Everything a reconcile outcome tells the world: an alert line (always), a Slack message (only
// when there is something to act on; bursts coalesced into one), a report on REPORT_TOPIC (when
// set; a sweep's in-sync services are counted in its summary instead: one message each doubled
// the wall time of a fanned-out 10,000-service sweep in the fan-out bench).
// Nothing here throws: a notification that fails is logged (marked `notificationFailed`,
// which the CLI shows on stderr) and the remediation goes on.
import type { Environment } from '../config/environment';
import type { Logger, Redactor } from '../log';
import type { Outcome, OutcomeStatus } from '../reconcile/model';
import { endpointName } from '../deadline';
import { PUBSUB_HOST } from '../pubsub-client';
import { logOutcome } from './alert-log';
import { createCoalescer, type Coalescer } from './coalesce';
import { buildReport, createReportPublisher, type ReportPublisher } from './report';
import { createSlackSender, type Sleep } from './slack';
import { slackSummary } from './slack-message';

export interface NotifierOptions {
  /** Where notifications go: the Slack webhook, the report topic (and a Pub/Sub emulator). */
  environment: Pick<Environment, 'slackWebhook' | 'reportTopic' | 'pubsubEmulator'>;
  logger: Logger;
  /** Knows the webhook URL; scrubs what is sent to Slack and to the report topic. */
  redactor: Redactor;
  /** Waits before a Slack retry (429 Retry-After); injectable for tests. */
  sleep?: Sleep;
  /** Clock (ms) for the coalescing window. */
  now?: () => number;
  /** Outcomes arriving within this many ms share one Slack message (default 1000). */
  coalesceWindowMs?: number;
}

/** Where an outcome came from, as far as telling about it differs. */
export interface NotifyContext {
  /** A sweep's reconcile: an in-sync outcome is counted in the sweep's summary (and a shard's report), not reported alone. */
  sweep?: boolean;
}

export interface Notifier {
  notify(outcome: Outcome, context?: NotifyContext): Promise<void>;
  /** Sends everything pending; call before the request returns (Cloud Run throttles the CPU after). */
  flush(): Promise<void>;
  /**
   * A sweep shard's summary on REPORT_TOPIC through the outcome reports' client (one per instance,
   * not one per shard). Unlike the outcome reports it rejects when not published, so the shard is
   * redelivered; resolves undefined when REPORT_TOPIC is not set.
   */
  publishShardReport(body: object, attributes: Record<string, string>): Promise<string | undefined>;
  /** flush, then release the Pub/Sub client. */
  close(): Promise<void>;
  /** What a flush is waiting for now, each naming its endpoint (`Pub/Sub at 127.0.0.1:8085 (PUBSUB_EMULATOR_HOST) to publish 1 report`). */
  pending(): string[];
}

/**
 * Outcomes worth a person's attention in Slack. Not in-sync (nothing happened) and not paused:
 * a pause is an operator's deliberate act, and a message on every event and sweep for its whole
 * length would be the noise people mute; it still gets a WARNING alert line and a report.
 */
export const SLACK_STATUSES: ReadonlySet<OutcomeStatus> = new Set<OutcomeStatus>(['repaired', 'failed', 'drift-detected', 'breaker-open']);

export function createNotifier(options: NotifierOptions): Notifier {
  const { environment, logger, redactor } = options;
  let slackSending = 0;
  const slack = slackCoalescer(options, (sending) => (slackSending += sending ? 1 : -1));
  const publisher: ReportPublisher | undefined = environment.reportTopic
    ? createReportPublisher({ topic: environment.reportTopic, pubsubEmulator: environment.pubsubEmulator, redactor })
    : undefined;
  const publishing = new Set<Promise<void>>();

  function publishReport(outcome: Outcome): void {
    if (!publisher) return;
    const published: Promise<void> = publisher
      .publish(buildReport(outcome))
      .then(
        (messageId) => logger.log('DEBUG', 'report published', { serviceKey: outcome.serviceKey, messageId }),
        (err: unknown) =>
          logger.log('WARNING', `report not published: ${errorSummary(err)}`, { serviceKey: outcome.serviceKey, notificationFailed: true }),
      )
      .finally(() => publishing.delete(published));
    publishing.add(published);
  }

  const notifier: Notifier = {
    async notify(outcome, context = {}) {
      try {
        logOutcome(logger, outcome);
        if (slack && SLACK_STATUSES.has(outcome.status)) slack.add(outcome);
        if (!(context.sweep && outcome.status === 'in-sync')) publishReport(outcome);
      } catch (err) {
        logger.log('ERROR', `notification failed: ${errorSummary(err)}`, { serviceKey: outcome.serviceKey, notificationFailed: true });
      }
    },
    async flush() {
      await Promise.all([slack?.flush(), ...publishing]);
    },
    async publishShardReport(body, attributes) {
      return publisher?.publishJson(body, attributes);
    },
    pending() {
      const waits: string[] = [];
      if (publishing.size > 0 && environment.reportTopic) {
        const reports = publishing.size === 1 ? '1 report' : `${publishing.size} reports`;
        waits.push(
          `Pub/Sub at ${endpointName(environment.pubsubEmulator, PUBSUB_HOST)} to publish ${reports} to ${environment.reportTopic.name}`,
        );
      }
      if (slackSending > 0) waits.push('Slack to take the message (SLACK_WEBHOOK_URL)');
      return waits;
    },
    async close() {
      await notifier.flush();
      await publisher
        ?.close()
        .catch((err: unknown) =>
          logger.log('WARNING', `closing the Pub/Sub client failed: ${errorSummary(err)}`, { notificationFailed: true }),
        );
    },
  };
  return notifier;
}

function slackCoalescer(
  { environment, logger, redactor, sleep, now, coalesceWindowMs = 1000 }: NotifierOptions,
  onSending: (sending: boolean) => void,
): Coalescer<Outcome> | undefined {
  const webhook = environment.slackWebhook;
  if (!webhook) {
    logger.log('INFO', 'Slack notifications off: SLACK_WEBHOOK_URL is not set');
    return undefined;
  }
  const sender = createSlackSender({ url: webhook.url, source: webhook.source, logger, redactor, sleep });
  return createCoalescer<Outcome>({
    windowMs: coalesceWindowMs,
    now,
    deliver: async (batch) => {
      onSending(true);
      try {
        await sender.send(slackSummary(batch));
      } finally {
        onSending(false);
      }
    },
    onError: (err) => logger.log('ERROR', `Slack delivery failed: ${errorSummary(err)}`, { notificationFailed: true }),
  });
}

/** Name, code and message of an error we made or a Google client made; never the raw object. */
function errorSummary(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return `${err.name}${code !== undefined ? ` (${String(code)})` : ''}: ${err.message}`;
}
