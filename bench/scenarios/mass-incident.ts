// Mass incident: a cleanup script deletes N forwarding rules of one project within seconds; their
// audit entries (operation first and last, as the sink forwards them) are delivered at
// concurrency 80 to two function processes, round-robin, redelivered until acknowledged, as a
// push subscription would. Google's per-project quotas are enforced by the emulator, and the
// deleter's own writes count against the same project's write quota, as they would.
import { Agent } from 'node:http';
import { startEmulator, totalCalls, type LogEntry } from '../../test/emulator';
import { numberedServices, writeMesh } from '../../test/support/mesh-file';
import type { DeclaredService } from '../../functions/config/mesh';
import { binaryMode, ingressOpenedEntry, pubsubMessagePublished } from '../events';
import { figure, type Figure } from '../figures';
import { httpSend, startFunction, type FunctionProcess } from '../function-process';
import { GOOGLE_COMPUTE_QUOTAS } from '../google-quotas';
import { FUNCTION_SOURCE, SELF_PRINCIPAL } from '../paths';
import { deployedNodeOptions } from '../deployed-node-options';

const CONCURRENCY = 80;
const TIMING = { latencyMs: 50, operationDelayMs: 500 };
/** The incident starts this far into a minute (quota windows are aligned to the minute). */
const START_SECOND = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function retryFetch(send: () => Promise<Response>, attempts = 3): Promise<Response> {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(200 * i);
    }
  }
}

export async function massIncident(count: number): Promise<Figure> {
  const file = writeMesh(numberedServices(count));
  const mesh = file.mesh;
  const emulator = await startEmulator({ seed: mesh, ...TIMING });
  emulator.quotas.set(GOOGLE_COMPUTE_QUOTAS);
  const env = { MESH_CONFIG: file.path, SELF_PRINCIPAL, NODE_OPTIONS: deployedNodeOptions(), ...emulator.env };
  const fns: FunctionProcess[] = await Promise.all(
    [0, 1].map(() => startFunction({ source: FUNCTION_SOURCE, target: 'remediateDrift', signatureType: 'cloudevent', env })),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    // Running instances: each has served a relevant event already (Google clients loaded, one
    // in-sync reconcile), as instances busy with a mesh are; a cold start is figure 2's subject.
    for (const [i, fn] of fns.entries()) {
      const warmUp = ingressOpenedEntry(mesh.services[0] as DeclaredService, i, new Date().toISOString());
      const warm = await fn.firstResponse(binaryMode(pubsubMessagePublished(warmUp, String(9e15 + i))));
      if (warm.response.status >= 300) throw new Error(`warm-up answered ${warm.response.status}`);
    }
    const declaredRules = new Set(
      mesh.services.map((s) => `projects/${s.project}/regions/${s.region}/forwardingRules/${s.loadBalancer.names.forwardingRule}`),
    );
    // Start at a known point of the minute so the quota-bound minimum is the same every run.
    const intoMinute = Date.now() % 60_000;
    await sleep((START_SECOND * 1000 - intoMinute + 60_000) % 60_000);
    const callsBefore = emulator.requests();

    // Deliver every audit entry the deleter causes, as the sink would, while it happens.
    // Event-driven, not polled: 80 idle delivery loops polling every 20 ms cost the emulator's
    // event loop (this process) enough CPU to stretch every call it answers.
    const queue: LogEntry[] = [];
    let deletesFinished = 0;
    let wake: () => void = () => undefined;
    let woken = new Promise<void>((resolve) => (wake = resolve));
    const nudge = () => {
      wake();
      woken = new Promise<void>((resolve) => (wake = resolve));
    };
    const stopListening = emulator.audit.on((entry) => {
      if (entry.protoPayload?.authenticationInfo?.principalEmail === SELF_PRINCIPAL) return;
      queue.push(entry);
      if (entry.operation?.last && entry.protoPayload?.methodName?.endsWith('forwardingRules.delete')) deletesFinished += 1;
      nudge();
    });
    const t0 = Date.now();
    let deletesDone = false;
    const deleter = (async () => {
      const names = [...declaredRules];
      let next = 0;
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          while (next < names.length) {
            const path = names[next++] as string;
            // A script retries a connection that failed (the emulator shares a loaded machine).
            const res = await retryFetch(() =>
              fetch(`${emulator.url}/compute/v1/${path}`, {
                method: 'DELETE',
                headers: { authorization: 'Bearer principal:cleanup-script@example.com' },
              }),
            );
            if (!res.ok) throw new Error(`delete ${path}: ${res.status} ${await res.text()}`);
          }
        }),
      );
      deletesDone = true;
      nudge();
    })();
    const deletedBy = Date.now();
    let delivered = 0;
    let attempts = 0;
    let sequence = 0;
    const statuses = new Map<number, number>();
    const deliver = async (): Promise<void> => {
      for (;;) {
        const entry = queue.shift();
        if (!entry) {
          // Every operation's last entry has arrived once every delete's operation is done.
          if (deletesDone && deletesFinished >= count) return;
          await woken;
          continue;
        }
        const request = binaryMode(pubsubMessagePublished(entry as unknown as Record<string, unknown>, String(1e15 + sequence)));
        const fn = fns[sequence++ % fns.length] as FunctionProcess;
        for (let failedConnections = 0; ;) {
          attempts += 1;
          // A push whose connection fails (a kept-alive socket the server closed as it was reused)
          // is redelivered by Pub/Sub like any failed push; a process that stopped answering is not.
          const res = await httpSend(fn.port, request, agent).catch((err: unknown) => {
            if (++failedConnections >= 5)
              throw new Error(`function process keeps failing connections (${String(err)}): ${fn.stderr.join('\n').slice(-2000)}`);
            return { status: 0 };
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 200 && res.status < 300) break;
          await sleep(1000); // Pub/Sub's minimum push backoff is longer; 1 s keeps the bench short
        }
        delivered += 1;
      }
    };
    await Promise.all([deleter, ...Array.from({ length: CONCURRENCY }, deliver)]);
    await emulator.audit.flush();
    const wallMs = Date.now() - t0;
    stopListening();

    const state = emulator.state() as { compute: Record<string, unknown> };
    const present = [...declaredRules].filter((path) => path in state.compute).length;
    const ours = emulator.mutations.filter((m) => m.principal === SELF_PRINCIPAL);
    const outside = ours.filter((m) => !(m.methodName.endsWith('forwardingRules.insert') && declaredRules.has(m.resourceName)));
    const after = emulator.requests();
    const diff = (method?: RegExp, refused?: boolean) =>
      totalCalls(after, { ...(method ? { method } : {}), ...(refused ? { refused } : {}) }) -
      totalCalls(callsBefore, { ...(method ? { method } : {}), ...(refused ? { refused } : {}) });
    const deletes = diff(/forwardingRules\.delete$/);
    const functionCalls = diff() - deletes;
    const reads = diff(/\.(get|list)$|GetService$|ListServices$/);
    const gets = diff(/\.get$|GetService$/);
    // Addresses are read only by first reads here (the repair touches forwarding rules alone).
    const sharedFirstReads = diff(/addresses\.list$/);
    const loneFirstReads = diff(/addresses\.get$/);
    const refused = diff(undefined, true);
    const oneGetPerResource = count * 7 * 2;

    // Quota-bound minimum for the writes: the deleter's writes use the first window's quota,
    // the function's inserts get what is left, then the next windows'; the last insert still
    // takes a call and its operation.
    const limit = GOOGLE_COMPUTE_QUOTAS.compute.write ?? Infinity;
    const windowMs = GOOGLE_COMPUTE_QUOTAS.windowMs;
    const firstWindowEnd = (Math.floor(t0 / windowMs) + 1) * windowMs;
    const leftInFirst = Math.max(0, limit - deletes);
    const spill = Math.max(0, count - leftInFirst);
    const quotaWaitMs = spill === 0 ? 0 : firstWindowEnd - t0 + Math.floor((spill - 1) / limit) * windowMs;
    const chainMs = TIMING.operationDelayMs + 4 * TIMING.latencyMs + TIMING.operationDelayMs + TIMING.latencyMs;
    const minimumMs = quotaWaitMs + TIMING.latencyMs + TIMING.operationDelayMs + TIMING.latencyMs;
    const baselineMs = Math.max(minimumMs, chainMs);
    const statusText = JSON.stringify(Object.fromEntries(statuses));

    return figure({
      id: '8',
      title: `mass incident: ${count.toLocaleString('en-US')} forwarding rules deleted, audit entries at concurrency ${CONCURRENCY} to two function processes`,
      samples: [wallMs],
      unit: 'ms',
      baseline: { label: 'quota-bound minimum for its writes', value: baselineMs },
      target: { comparison: '<=', limit: 1.2 },
      checks: [
        { name: 'rules recreated', value: present, target: `${count}`, met: present === count },
        {
          name: 'reads',
          value: reads,
          target: `<= ${0.2 * oneGetPerResource} (0.2 × one GET per resource: ${count} × 7 × 2)`,
          met: reads <= 0.2 * oneGetPerResource,
        },
        { name: 'refused calls (403/429)', value: `${refused} of ${functionCalls}`, target: '<= 5%', met: refused <= 0.05 * functionCalls },
        { name: 'writes outside the declaration', value: outside.length, target: '0', met: outside.length === 0 },
        { name: 'writes by the function', value: ours.length, target: `${count} inserts`, met: ours.length === count },
      ],
      notes: [
        `the deleter (another principal) deleted ${deletes} rules in ${((deletedBy - t0) / 1000).toFixed(1)} s starting ${START_SECOND} s into a minute; its writes count against the same project's write quota (1,500/min), leaving ${leftInFirst} for the repair in that window`,
        `quota-bound minimum = wait for the window that has quota for the last insert (${quotaWaitMs} ms) + the insert call and its operation (${TIMING.latencyMs} + ${TIMING.operationDelayMs} + ${TIMING.latencyMs} ms) = ${minimumMs} ms; latency chain of one repair = ${chainMs} ms; baseline = the larger`,
        `deliveries: ${delivered} entries (operation first and last of each delete), ${attempts} attempts, HTTP statuses ${statusText} (0: the connection failed, redelivered); emulator ${TIMING.latencyMs} ms per call, ${TIMING.operationDelayMs} ms per operation`,
        `calls by the function: ${functionCalls} (reads ${reads}: ${reads - gets} lists, ${gets} GETs; the first reads are batched filtered lists, one batch of a region on its way at a time while the reconciles asking meanwhile wait for the next (${sharedFirstReads} batches, ${loneFirstReads} reconciles that read alone with GETs), the fresh reads that confirm a rule to recreate and verify it are filtered lists shared by the reconciles asking at once, each sent after all of them asked, or a GET when one asks alone)`,
      ],
      explainMiss: (f) =>
        `measured ${Math.round(f.value)} ms against ${Math.round(baselineMs)} ms: the remaining ${spill} inserts wait for the window that has quota (${quotaWaitMs} ms in), then take ${Math.round(f.value - quotaWaitMs)} ms more: each is a whole reconcile at concurrency ${CONCURRENCY} over two processes (its first read, a shared fresh read of the rule, the insert and its operation, a shared verifying read), each step waiting for CPU when the machine is loaded, and the calls refused in the first window back off before they are sent again`,
    });
  } finally {
    agent.destroy();
    await Promise.all(fns.map((fn) => fn.stop()));
    await emulator.stop();
    file.remove();
  }
}
