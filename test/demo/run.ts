// `npm run demo`: the whole loop on one machine. The emulator (Cloud Run v2 + Compute) is seeded
// with deploy/mesh.example.yaml; the function runs under the real Functions Framework; audit
// entries flow emulator → Pub/Sub emulator (where installed) → push → function; a local sink
// plays Slack. Four incidents are played; each shows the event, the plan, the writes, the
// verified end state and the Slack message. Exit 0 only if every incident converged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadMesh } from '../../functions/config/load';
import type { DeclaredService } from '../../functions/config/mesh';
import { createGcpPort } from '../../functions/gcp/adapter';
import { createLogger } from '../../functions/log';
import { createReconciler } from '../../functions/reconcile/reconciler';
import { startEmulator, type LogEntry } from '../emulator';
import { DriftActor } from '../support/drift-actor';
import { freePort } from '../support/free-port';
import { ROOT } from '../support/function-code';
import { FunctionProcess } from '../support/function-process';
import { SELF_PRINCIPAL } from '../support/identity';
import { writeMesh } from '../support/mesh-file';
import { startPubSubEmulator } from '../support/pubsub-emulator';
import { startWebhookSink } from '../support/webhook-sink';
import { Relay } from './relay';
import { DEMO_SCENARIOS } from './scenarios';
import { parseEnvironment } from '../../functions/config/environment';

const AUDIT_TOPIC = 'projects/demo-project/topics/mesh-audit';
const REPORT_TOPIC = 'projects/demo-project/topics/mesh-reports';

const say = (text = '') => process.stdout.write(text + '\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function principalOf(entry: LogEntry): string {
  return (entry.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail ?? '?';
}

/** What the function did with an entry, read from its own log lines (by insertId). */
function decisionOf(entry: LogEntry, records: Array<Record<string, unknown>>): string {
  const id = (entry as { insertId?: string }).insertId;
  const skip = records.find((r) => r.insertId === id && typeof r.skipReason === 'string');
  if (skip) return `skipped: ${String(skip.skipReason)}`;
  if (records.some((r) => r.insertId === id && typeof r.message === 'string' && r.message.includes(' touches '))) return 'reconciled';
  return 'not delivered';
}

function describeEntry(entry: LogEntry, records: Array<Record<string, unknown>>): string {
  const p = entry.protoPayload as { methodName?: string; resourceName?: string };
  const op = (entry as { operation?: { first?: boolean; last?: boolean } }).operation;
  const phase = op?.first ? ' (operation first)' : op?.last ? ' (operation last)' : '';
  return `${principalOf(entry)}  ${p.methodName}${phase}  ${p.resourceName}  → ${decisionOf(entry, records)}`;
}

async function main(): Promise<number> {
  const started = performance.now();
  // Nothing here may look for Google's metadata server: only loopback is reachable.
  process.env.METADATA_SERVER_DETECTION = 'none';
  const examplePath = join(ROOT, 'deploy', 'mesh.example.yaml');
  const meshPath = demoMeshFile(examplePath);
  const mesh = loadMesh(meshPath);
  const svc = mesh.services[0] as DeclaredService;
  say('mesh-remediator demo');
  say(`declared mesh: ${examplePath}`);
  say(`  ${svc.key}: ingress ${svc.ingress}, load balancer ${Object.values(svc.loadBalancer.names).join(', ')}`);
  say(`  (breaker raised to ${DEMO_BREAKER} repairs: four incidents on one service within a minute would rightly trip the default 3)`);

  const pubsub = await startPubSubEmulator();
  const sink = await startWebhookSink();
  const functionPort = await freePort();
  const relay = await Relay.start(`http://127.0.0.1:${functionPort}/${AUDIT_TOPIC}`);
  const functionEnv: Record<string, string> = { MESH_CONFIG: meshPath, SELF_PRINCIPAL, SLACK_WEBHOOK_URL: sink.url() };
  if (pubsub) {
    process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
    const { PubSub } = await import('@google-cloud/pubsub');
    const client = new PubSub({ projectId: 'demo-project' });
    const [topic] = await client.createTopic(AUDIT_TOPIC.split('/')[3] as string);
    await topic.createSubscription('mesh-remediator-trigger', { pushConfig: { pushEndpoint: relay.url } });
    await client.createTopic(REPORT_TOPIC.split('/')[3] as string);
    await client.close();
    Object.assign(functionEnv, { PUBSUB_EMULATOR_HOST: pubsub.host, REPORT_TOPIC });
  }
  const emulator = await startEmulator({
    seed: mesh,
    operationDelayMs: 200,
    ...(pubsub ? { auditTopic: AUDIT_TOPIC } : { auditPushUrl: relay.url }),
  });
  const fn = await FunctionProcess.start({
    port: functionPort,
    env: { ...functionEnv, ...emulator.env },
    onOutput: (stream, chunk) => void (stream === 'stderr' && process.stderr.write(chunk)),
  });
  say(
    `emulator (Cloud Run v2 + Compute REST) on ${emulator.host}; function (Functions Framework, remediateDrift) on 127.0.0.1:${functionPort}`,
  );
  say(
    pubsub
      ? `audit entries: emulator → Pub/Sub emulator ${pubsub.host} topic ${AUDIT_TOPIC} → push subscription → function; reports → ${REPORT_TOPIC}`
      : 'audit entries: emulator → Pub/Sub push envelopes → function (Pub/Sub emulator not installed here)',
  );
  say(`Slack: local webhook sink ${new URL(sink.url()).origin}`);

  const check = createReconciler(mesh, {
    port: createGcpPort({ environment: parseEnvironment(emulator.env).environment, selfPrincipal: 'demo-verifier@example.com' }),
    logger: createLogger(() => undefined),
  });
  const actor = new DriftActor(emulator.url);
  relay.hold();
  await actor.createDecoys(svc);
  await settle(relay, emulator.audit.entries.length);

  let converged = 0;
  for (const [i, scenario] of DEMO_SCENARIOS.entries()) {
    say();
    say(`── ${i + 1}/${DEMO_SCENARIOS.length}  ${scenario.title}`);
    const scenarioStart = performance.now();
    const from = {
      audit: emulator.audit.entries.length,
      writes: emulator.mutations.length,
      logs: fn.records.length,
      slack: sink.requests.length,
    };
    relay.hold();
    await scenario.breakIt(actor, svc);
    await sleep(250); // operations finishing write their `last` entries
    await settle(relay, emulator.audit.entries.length);
    const caused = emulator.audit.entries.slice(from.audit);
    const records = fn.records.slice(from.logs);
    say('  events (and what the function did with each):');
    for (const entry of caused) say(`    ${describeEntry(entry, records)}`);

    const plans = records.filter((r) => r.event === 'mesh-remediator.outcome' && Array.isArray(r.plan));
    say('  plan:');
    for (const plan of plans) for (const line of plan.plan as string[]) say(`    ${line}`);
    const writes = emulator.mutations.slice(from.writes).filter((m) => m.principal === SELF_PRINCIPAL);
    say(`  writes by ${SELF_PRINCIPAL}:`);
    for (const w of writes) say(`    ${w.methodName}  ${w.resourceName}`);
    const outcomes = records.filter((r) => r.event === 'mesh-remediator.outcome' && r.outcome !== 'in-sync');
    for (const o of outcomes) say(`  outcome: ${String(o.message)}`);

    const verified = await check.reconcile(svc.key, { dryRun: true });
    const ok = outcomes.some((o) => o.outcome === 'repaired') && verified.status === 'in-sync';
    say(
      `  verified by a fresh read: ${verified.status === 'in-sync' ? 'in sync with the declaration' : `STILL DRIFTING: ${verified.plan.drift.length} drift`}`,
    );
    for (const message of sink.requests.slice(from.slack)) {
      const body = message.body as { text?: string };
      say(`  Slack: ${body.text ?? '(no text)'}`);
    }
    say(`  (${((performance.now() - scenarioStart) / 1000).toFixed(1)} s from the first change to the verified state)`);
    if (ok) converged++;
  }

  say();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`${converged}/${DEMO_SCENARIOS.length} incidents repaired and verified in ${seconds} s`);
  await fn.stop();
  await relay.close();
  await emulator.stop();
  await sink.close();
  await pubsub?.stop();
  return converged === DEMO_SCENARIOS.length ? 0 : 1;
}

const DEMO_BREAKER = 10;

/** The example mesh with the breaker raised for the demo, written beside the build. */
function demoMeshFile(examplePath: string): string {
  const doc = parse(readFileSync(examplePath, 'utf8')) as { policy?: Record<string, unknown> };
  doc.policy = { ...doc.policy, breaker: { maxRepairs: DEMO_BREAKER, windowSec: 600 } };
  return writeMesh(doc, { format: 'yaml' }).path;
}

/** Waits until every audit entry so far reached the relay, then lets the function handle them all. */
async function settle(relay: Relay, expected: number): Promise<void> {
  for (let i = 0; i < 200 && relay.received < expected; i++) await sleep(25);
  await relay.release();
  // The function's own writes come back as audit entries too: let them through and settle.
  for (let quiet = 0; quiet < 4;) {
    const before = relay.received;
    await sleep(100);
    await relay.release();
    quiet = relay.received === before ? quiet + 1 : 0;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
