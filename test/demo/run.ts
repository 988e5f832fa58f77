// `npm run demo`: the whole loop on one machine. The emulator (Cloud Run v2 and v1 + Compute) is
// seeded with deploy/mesh.example.yaml, the whole private path: client-service → internal ALB →
// server-service. The function runs under the real Functions Framework; audit entries flow
// emulator → Pub/Sub emulator (where installed) → push → function; a local sink plays Slack. Six
// incidents are played, four on the load balancer half and two on the client's VPC egress; each
// shows the event, the plan, the writes, the end state read afresh and the Slack message. Exit 0
// only if every incident ended as declared: repaired and verified, or (client egress while
// policy.repairClientEgress is off) reported with nothing written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadMesh } from '../../functions/config/load';
import type { DeclaredService, Mesh, Policy } from '../../functions/config/mesh';
import { createGcpPort } from '../../functions/gcp/adapter';
import { createLogger } from '../../functions/log';
import { createReconciler } from '../../functions/reconcile/reconciler';
import type { Outcome } from '../../functions/reconcile/model';
import { describeVpcAccess, driftLine } from '../../functions/notify/describe';
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
import { clientOf, DEMO_SCENARIOS, type DemoScenario } from './scenarios';
import { parseEnvironment } from '../../functions/config/environment';

const AUDIT_TOPIC = 'projects/demo-project/topics/mesh-audit';
const REPORT_TOPIC = 'projects/demo-project/topics/mesh-reports';

const say = (text = '') => process.stdout.write(text + '\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function principalOf(entry: LogEntry): string {
  return (
    (entry.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail ??
    '(no principal: a system event)'
  );
}

/** What the function did with an entry, read from its own log lines (by insertId). */
function decisionOf(entry: LogEntry, records: Array<Record<string, unknown>>): string {
  const id = (entry as { insertId?: string }).insertId;
  const method = (entry.protoPayload as { methodName?: string }).methodName ?? '';
  // An entry skipped before it was read as an audit event (an unhandled method) has no insertId in its line: its detail names the method.
  const skip =
    records.find((r) => r.insertId === id && typeof r.skipReason === 'string') ??
    records.find((r) => r.insertId === undefined && typeof r.skipReason === 'string' && String(r.message).includes(` ${method} `));
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
  let policy: Partial<Policy> = {};
  let meshPath = demoMeshFile(examplePath, policy);
  let mesh = loadMesh(meshPath);
  const svc = mesh.services[0] as DeclaredService;
  say('mesh-remediator demo');
  say(`declared mesh: ${examplePath}, the private path:`);
  for (const line of pathLines(svc, mesh)) say(`  ${line}`);
  say(`  (breaker raised to ${DEMO_BREAKER} repairs: six incidents on one service within a minute would rightly trip the default 3)`);

  const pubsub = await startPubSubEmulator();
  const sink = await startWebhookSink();
  const functionPort = await freePort();
  const relay = await Relay.start(`http://127.0.0.1:${functionPort}/${AUDIT_TOPIC}`);
  const functionEnv: Record<string, string> = { SELF_PRINCIPAL, SLACK_WEBHOOK_URL: sink.url() };
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
  const startFunction = () =>
    FunctionProcess.start({
      port: functionPort,
      env: { ...functionEnv, MESH_CONFIG: meshPath, ...emulator.env },
      onOutput: (stream, chunk) => void (stream === 'stderr' && process.stderr.write(chunk)),
    });
  let fn = await startFunction();
  say(
    `emulator (Cloud Run v2 and v1 + Compute REST) on ${emulator.host}; function (Functions Framework, remediateDrift) on 127.0.0.1:${functionPort}`,
  );
  say(
    pubsub
      ? `audit entries: emulator → Pub/Sub emulator ${pubsub.host} topic ${AUDIT_TOPIC} → push subscription → function; reports → ${REPORT_TOPIC}`
      : 'audit entries: emulator → Pub/Sub push envelopes → function (Pub/Sub emulator not installed here)',
  );
  say(`Slack: local webhook sink ${new URL(sink.url()).origin}`);

  const verifierPort = createGcpPort({
    environment: parseEnvironment(emulator.env).environment,
    selfPrincipal: 'demo-verifier@example.com',
  });
  const verifier = (declared: Mesh) => createReconciler(declared, { port: verifierPort, logger: createLogger(() => undefined) });
  let check = verifier(mesh);
  const actor = new DriftActor(emulator.url);
  relay.hold();
  await actor.createDecoys(svc);
  await settle(relay, emulator.audit.entries.length);

  const ended = { repaired: 0, reported: 0 };
  for (const [i, scenario] of DEMO_SCENARIOS.entries()) {
    say();
    say(`── ${i + 1}/${DEMO_SCENARIOS.length}  ${scenario.title}`);
    if (scenario.policy) {
      // A changed mesh is a new secret version, which Cloud Run serves from a new instance.
      policy = { ...policy, ...scenario.policy };
      meshPath = demoMeshFile(examplePath, policy);
      mesh = loadMesh(meshPath);
      check = verifier(mesh);
      await fn.stop();
      fn = await startFunction();
      say(`  mesh policy now ${JSON.stringify(scenario.policy)}: the function restarted with it`);
    }
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
    const ok = endedAsDeclared(scenario, outcomes, writes.length, verified);
    if (verified.status === 'in-sync') say('  verified by a fresh read: in sync with the declaration');
    else {
      const left = verified.plan.drift.every((d) => d.type === 'client-egress') ? 'the load balancer half in sync; as reported,' : 'STILL';
      say(`  read afresh: ${left} drifting:`);
      for (const drift of verified.plan.drift) say(`    ${driftLine(drift, svc.project)}`);
    }
    for (const message of sink.requests.slice(from.slack)) {
      const body = message.body as { text?: string };
      say(`  Slack: ${body.text ?? '(no text)'}`);
    }
    say(`  (${((performance.now() - scenarioStart) / 1000).toFixed(1)} s from the first change to the verified state)`);
    if (ok) ended[scenario.expect]++;
    else say(`  NOT AS DECLARED: expected ${scenario.expect}`);
  }

  say();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const converged = ended.repaired + ended.reported;
  say(
    `${converged}/${DEMO_SCENARIOS.length} incidents ended as declared in ${seconds} s: ` +
      `${ended.repaired} repaired and verified, ${ended.reported} reported with nothing written`,
  );
  await fn.stop();
  await verifierPort.close();
  await relay.close();
  await emulator.stop();
  await sink.close();
  await pubsub?.stop();
  return converged === DEMO_SCENARIOS.length ? 0 : 1;
}

const DEMO_BREAKER = 10;

/** The example mesh with the breaker raised for the demo and the scenarios' policy, written beside the build. */
function demoMeshFile(examplePath: string, policy: Partial<Policy>): string {
  const doc = parse(readFileSync(examplePath, 'utf8')) as { policy?: Record<string, unknown> };
  doc.policy = { ...doc.policy, ...policy, breaker: { maxRepairs: DEMO_BREAKER, windowSec: 600 } };
  return writeMesh(doc, { format: 'yaml' }).path;
}

/** client → internal load balancer → server, and what guards each half. */
function pathLines(svc: DeclaredService, mesh: Mesh): string[] {
  const client = clientOf(svc);
  const n = svc.loadBalancer.names;
  return [
    `${client.service} (${describeVpcAccess(client.vpcAccess)})`,
    `  → internal Application Load Balancer ${svc.loadBalancer.ipAddress}:${svc.loadBalancer.port}: ` +
      [n.address, n.forwardingRule, n.targetProxy, n.urlMap, n.backendService, n.neg].join(' → '),
    `  → ${svc.service} (ingress ${svc.ingress})`,
    `guarded: ${svc.service}'s ingress and the load balancer chain are repaired; ${client.service}'s VPC egress is ` +
      (mesh.policy.repairClientEgress ? 'repaired' : 'reported (policy.repairClientEgress: false)'),
  ];
}

/**
 * Repaired: the function's outcome says so and a fresh read finds no drift. Reported: it detected
 * the drift, wrote nothing, and a fresh read finds only client egress drift left.
 */
function endedAsDeclared(scenario: DemoScenario, outcomes: Array<Record<string, unknown>>, writes: number, verified: Outcome): boolean {
  if (scenario.expect === 'repaired') return outcomes.some((o) => o.outcome === 'repaired') && verified.status === 'in-sync';
  return (
    outcomes.some((o) => o.outcome === 'drift-detected') &&
    writes === 0 &&
    verified.plan.drift.length > 0 &&
    verified.plan.drift.every((d) => d.type === 'client-egress')
  );
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
