// The deployable entry points. remediateDrift: a CloudEvent per audit-log entry (Eventarc Pub/Sub
// trigger, Eventarc audit-log trigger, or a raw Pub/Sub push converted by the Functions
// Framework). sweep: HTTP, called by Cloud Scheduler, reconciles every declared service, or with
// SWEEP_TOPIC set publishes one message per (project, region) shard, which Pub/Sub pushes back
// to this same entry, one shard per request, on whichever instances it reaches.
// Only the Functions Framework and our own small modules load here; Google clients load on the
// first reconcile (principle 6: cheap when idle).
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { handleEvent } from './handle-event';
import { redact, redactError, redactJson } from './log';
import { Runtime } from './runtime';
import { sweepAll } from './sweep';
import { isPubsubPushBody } from './events/pubsub-message';
import { fanOut, handleShardEvent } from './sweep-fanout';

let eventRuntime: Runtime | undefined;
let sweepRuntime: Runtime | undefined;

functions.cloudEvent('remediateDrift', async (event: CloudEvent<unknown>) => {
  const runtime = (eventRuntime ??= new Runtime());
  try {
    await handleEvent(event, runtime);
  } catch (err) {
    // Thrown = 500 = redelivery; say so, with the reason, before the framework logs the stack
    // (and answers with the message) past our logger, hence redactError.
    runtime.logger.log('ERROR', `event will be retried: ${err instanceof Error ? err.message : String(err)}`, {
      retry: true,
      eventId: event.id,
    });
    throw redactError(err);
  }
});

functions.http('sweep', async (req, res) => {
  const runtime = (sweepRuntime ??= new Runtime({ rateLimited: true }));
  try {
    if (isPubsubPushBody(req.body)) {
      // A shard of a fanned-out sweep: 2xx acknowledges, a thrown failure answers 500 (redelivery).
      const report = await handleShardEvent(req.body, runtime);
      res.status(200).json(redactJson(report ?? { skipped: 'not a sweep shard' }));
      return;
    }
    const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
    const topic = runtime.rawEnv.SWEEP_TOPIC;
    if (topic) {
      res.status(200).json(await fanOut(runtime, topic, { dryRun }));
      return;
    }
    const { summary } = await sweepAll(runtime, { dryRun });
    // The answer leaves the process like a log line: scrubbed of secrets the same way.
    res.status(summary.errors.length > 0 ? 500 : 200).json(redactJson(summary));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    runtime.logger.log('ERROR', `sweep failed: ${message}`);
    res.status(500).json({ error: redact(message) });
  }
});

