// The deployable entry points. remediateDrift: a CloudEvent per audit-log entry (Eventarc Pub/Sub
// trigger, Eventarc audit-log trigger, or a raw Pub/Sub push converted by the Functions
// Framework). sweep: HTTP, called by Cloud Scheduler, reconciles every declared service.
// Only the Functions Framework and our own small modules load here; Google clients load on the
// first reconcile (principle 6: cheap when idle).
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { handleEvent } from './handle-event';
import { redact, redactError, redactJson } from './log';
import { Runtime } from './runtime';
import { sweepAll } from './sweep';

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
    const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
    const { summary } = await sweepAll(runtime, { dryRun });
    // The answer leaves the process like a log line: scrubbed of secrets the same way.
    res.status(summary.errors.length > 0 ? 500 : 200).json(redactJson(summary));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    runtime.logger.log('ERROR', `sweep failed: ${message}`);
    res.status(500).json({ error: redact(message) });
  }
});
