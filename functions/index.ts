// The deployable entry points. remediateDrift: a CloudEvent per audit-log entry (Eventarc Pub/Sub
// trigger, Eventarc audit-log trigger, or a raw Pub/Sub push converted by the Functions
// Framework). sweep: HTTP, called by Cloud Scheduler, reconciles every declared service, or with
// SWEEP_TOPIC set publishes one message per (project, region) shard, which Pub/Sub pushes back
// to this same entry, one shard per request, on whichever instances it reaches.
// The environment and the mesh are read and checked here, at cold start (composition-root.ts;
// a gs:// MESH_CONFIG is downloaded first, and events wait for it): a problem is logged then,
// once, and the function keeps serving what it can judge without them.
// Google clients load on the first call that needs them (cheap when idle).
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { compose, composeFunction, loadConfig, readConfig, usable, type Deps, type LoadedConfig } from './composition-root';
import { parseEnvironment } from './config/environment';
import { isMeshObjectUrl } from './config/mesh-object';
import { isPubsubPushBody } from './events/pubsub-message';
import { handleEvent } from './handle-event';
import { drainOnSigterm, NO_SHUTDOWN, type Shutdown } from './shutdown';
import { outsideRequestDomain } from './outside-request-domain';
import { sweepAll } from './sweep';
import { fanOut, handleShardEvent } from './sweep-fanout';

// Signals belong to the process the Functions Framework serves from (its `functions-framework`
// CLI, as Cloud Run starts it), not to a test runner that loads this module in-process.
const servedByFramework = /functions-framework/.test(process.argv[1] ?? '');
// Read once: a large mesh costs memory and time to parse, and both entries judge the same one.
// A mesh file is read now, as the module loads; a gs:// object once downloaded (events wait).
function start(config: LoadedConfig) {
  const deps = composeFunction(process.env, {}, config);
  const shutdown: Shutdown = servedByFramework ? drainOnSigterm(deps) : NO_SHUTDOWN;
  return { config, deps, shutdown };
}
const started = isMeshObjectUrl(parseEnvironment(process.env).environment.meshConfigPath)
  ? readConfig(process.env).then(start)
  : Promise.resolve(start(loadConfig(process.env)));
let sweepDeps: Deps | undefined;

/** Thrown to make the Functions Framework answer 500 (Pub/Sub redelivers); one line, no stack. */
class Redeliver extends Error {
  override readonly name = 'Redeliver';

  constructor(message: string) {
    super(message);
    // The framework prints `stack` per failed event: the reason was logged already, structured.
    this.stack = `${this.name}: ${message}`;
  }
}

functions.cloudEvent('remediateDrift', async (event: CloudEvent<unknown>) => {
  const { deps, shutdown } = await started;
  const { delivery } = await shutdown.track(handleEvent(event, deps, Date.now, shutdown));
  if (delivery.action === 'redeliver')
    throw deps.redactor.error(new Redeliver(`${delivery.reason}; Pub/Sub will redeliver event ${event.id}`));
});

functions.http('sweep', async (req, res) => {
  const { config, shutdown } = await started;
  // Its own port (rate-limited, for quota) and breaker; the same environment and mesh.
  sweepDeps ??= compose(config, { rateLimited: true });
  const sweep = usable(sweepDeps);
  const { redactor, logger } = sweepDeps;
  try {
    if (!sweep) {
      // Cloud Scheduler's retry, or Pub/Sub's for a shard, brings it back once the configuration is fixed.
      res.status(503).json(
        redactor.json({
          error: 'configuration unusable',
          problems: sweepDeps.configuration.usable ? [] : sweepDeps.configuration.problems,
        }),
      );
      return;
    }
    if (isPubsubPushBody(req.body)) {
      // A shard of a fanned-out sweep: 2xx acknowledges, a thrown failure answers 500 (redelivery).
      const body = req.body;
      const report = await shutdown.track(outsideRequestDomain(() => handleShardEvent(body, sweep)));
      res.status(200).json(redactor.json(report ?? { skipped: 'not a sweep shard' }));
      return;
    }
    const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
    const topic = sweep.environment.sweepTopic;
    if (topic) {
      res.status(200).json(await fanOut(sweep, topic, { dryRun }));
      return;
    }
    const { summary } = await shutdown.track(outsideRequestDomain(() => sweepAll(sweep, { dryRun })));
    // The answer leaves the process like a log line: scrubbed of secrets the same way.
    res.status(summary.errors.length > 0 ? 500 : 200).json(redactor.json(summary));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.log('ERROR', `sweep failed: ${message}`);
    res.status(500).json({ error: redactor.text(message) });
  }
});
