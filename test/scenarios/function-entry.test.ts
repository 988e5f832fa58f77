// The drift scenarios (scenarios.ts) through the deployed shape: the function's HTTP entry (Functions Framework
// test server) fed with the audit entries the breaking really produced, in every delivery shape
// (Pub/Sub and audit-log CloudEvents, binary and structured, raw push). Then the function's own
// audit entries are fed back (the loop must write nothing) and the sweep entry confirms the state.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_POLICY, type Policy } from '../../functions/config/mesh';
import { startEmulator, type Emulator, type LogEntry } from '../emulator';
import { declaredService } from '../emulator/test-mesh';
import { ENVELOPE_MODES, envelope } from '../support/envelopes';
import { DriftActor } from '../support/drift-actor';
import { SELF_PRINCIPAL } from '../support/identity';
import { writeMesh } from '../support/mesh-file';
import { SCENARIOS, type Scenario } from './scenarios';

const service = declaredService();

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: { services: [service], policy: DEFAULT_POLICY }, operationDelayMs: 5 });
}, 60_000);
afterAll(() => emulator.stop());

interface FunctionUnderTest {
  events: Server;
  sweep: Server;
  close(): void;
}

/** Loads functions/index.ts afresh (its runtime reads the env once) with a mesh file for `policy`. */
function loadFunction(policy: Partial<Policy>): FunctionUnderTest {
  // The breaker would rightly stop a service repaired this often; these tests are about repair.
  const meshFile = writeMesh([service], { policy: { ...DEFAULT_POLICY, breaker: { maxRepairs: 1000, windowSec: 600 }, ...policy } });
  Object.assign(process.env, emulator.env, { MESH_CONFIG: meshFile.path, SELF_PRINCIPAL, DRY_RUN: '' });
  delete process.env.SLACK_WEBHOOK_URL;
  let loaded: FunctionUnderTest | undefined;
  jest.isolateModules(() => {
    require('../../functions/index');
    const { getTestServer } = require('@google-cloud/functions-framework/testing');
    const events: Server = getTestServer('remediateDrift').listen(0, '127.0.0.1');
    const sweep: Server = getTestServer('sweep').listen(0, '127.0.0.1');
    loaded = { events, sweep, close: () => (events.close(), sweep.close()) };
  });
  return loaded as FunctionUnderTest;
}

const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

let delivered = 0;
async function deliver(fn: FunctionUnderTest, entry: LogEntry): Promise<number> {
  const mode = ENVELOPE_MODES[delivered % ENVELOPE_MODES.length] as (typeof ENVELOPE_MODES)[number];
  const d = envelope(entry, mode, `msg-${++delivered}`);
  const res = await fetch(url(fn.events) + d.path, { method: 'POST', headers: d.headers, body: new Uint8Array(d.body) });
  await res.arrayBuffer();
  return res.status;
}

/** Outcome lines the function logged on stdout while `work` ran. */
async function outcomesDuring(work: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.event === 'mesh-remediator.outcome');
}

const principal = (e: LogEntry) =>
  (e.protoPayload as { authenticationInfo?: { principalEmail?: string } }).authenticationInfo?.principalEmail;
/** Lets the operations still running finish and write their `last` entries. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

const groups = new Map<string, Scenario[]>();
for (const s of SCENARIOS) {
  const key = JSON.stringify(s.policy ?? {});
  groups.set(key, [...(groups.get(key) ?? []), s]);
}

describe.each([...groups.entries()])('policy %s', (policyJson, scenarios) => {
  let fn: FunctionUnderTest;
  beforeAll(() => {
    fn = loadFunction(JSON.parse(policyJson) as Partial<Policy>);
  });
  afterAll(() => fn.close());

  test.each(scenarios)(
    '$name',
    async (scenario) => {
      emulator.reset();
      const actor = new DriftActor(emulator.url);
      await actor.createDecoys(service);
      const start = emulator.audit.entries.length;
      await scenario.breakIt(actor, service);
      await settle();
      const caused = emulator.audit.entries.slice(start);
      expect(caused.length).toBeGreaterThan(0);

      const selfStart = emulator.audit.entries.length;
      const outcomes = await outcomesDuring(async () => {
        for (const entry of caused) expect(await deliver(fn, entry)).toBe(204);
      });
      expect(outcomes.map((o) => o.outcome)).toContain(scenario.status);

      // Loop: the function's own writes come back as audit entries; they must cause nothing.
      await settle();
      const own = emulator.audit.entries.slice(selfStart);
      expect(own.every((e) => principal(e) === SELF_PRINCIPAL)).toBe(true);
      if (scenario.status === 'repaired') expect(own.length).toBeGreaterThan(0);
      const writes = emulator.writes();
      const echoes = await outcomesDuring(async () => {
        for (const entry of own) expect(await deliver(fn, entry)).toBe(204);
      });
      expect(echoes).toEqual([]);
      expect(emulator.writes()).toBe(writes);

      // The sweep entry reconciles again: nothing left to write, and the state is what was declared.
      let summary: { byStatus: Record<string, number> } | undefined;
      await outcomesDuring(async () => {
        const res = await fetch(url(fn.sweep));
        summary = (await res.json()) as typeof summary;
      });
      expect(emulator.writes()).toBe(writes);
      if (scenario.converges) expect(summary?.byStatus).toEqual({ 'in-sync': 1 });
      else expect(summary?.byStatus['in-sync']).toBeUndefined();
    },
    60_000,
  );
});
