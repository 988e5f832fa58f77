// A mesh kept in Cloud Storage (MESH_CONFIG=gs://BUCKET/OBJECT): the real Functions Framework
// process downloads it at start with the real @google-cloud/storage client from the project's
// emulator (STORAGE_EMULATOR_HOST) and repairs with it; a missing object is one config-error line
// and the event waits for the fix (answered for redelivery, never eaten); the CLI reads the same URL.
import { startEmulator, type Emulator } from '../emulator';
import { declaredService, demoMesh } from '../emulator/test-mesh';
import { emulatorEnv, runCli } from '../cli/cli-harness';
import { DriftActor } from '../support/drift-actor';
import { envelope } from '../support/envelopes';
import { FunctionProcess } from '../support/function-process';
import { SELF_PRINCIPAL } from '../support/identity';
import { meshDocument } from '../support/mesh-file';
import { post } from '../reliability/harness/deliver';
import { stringify } from 'yaml';

const server = declaredService();
const BUCKET = 'mesh-config-bucket';
const OBJECT = 'fleet/mesh.yaml';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ seed: demoMesh(server), operationDelayMs: 0 });
}, 60_000);
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  emulator.reset();
  emulator.storage.put(BUCKET, OBJECT, stringify(meshDocument([server])));
});

async function startFunction(meshUrl: string): Promise<FunctionProcess> {
  return FunctionProcess.start({ env: { ...emulator.env, MESH_CONFIG: meshUrl, SELF_PRINCIPAL } });
}

test('the function downloads its mesh from gs://BUCKET/OBJECT at start and repairs with it', async () => {
  const fn = await startFunction(`gs://${BUCKET}/${OBJECT}`);
  try {
    await new DriftActor(emulator.url).openIngress(server);
    const entry = emulator.audit.entries.at(-1)!;
    const answer = await post(fn.url, envelope(entry, 'pubsub-structured', 'm1'), 60_000);
    expect(answer.status).toBeLessThan(300);
    const outcome = await fn.record((r) => r.event === 'mesh-remediator.outcome');
    expect(outcome).toMatchObject({ outcome: 'repaired', serviceKey: server.key });
    expect(fn.records.filter((r) => r.event === 'mesh-remediator.config-error')).toEqual([]);
  } finally {
    await fn.stop();
  }
}, 120_000);

test('a missing object: one config-error line naming the URL, and the event is answered for redelivery', async () => {
  const missing = `gs://${BUCKET}/fleet/no-such-mesh.yaml`;
  const fn = await startFunction(missing);
  try {
    await new DriftActor(emulator.url).openIngress(server);
    const entry = emulator.audit.entries.at(-1)!;
    const answer = await post(fn.url, envelope(entry, 'pubsub-structured', 'm2'), 60_000);
    expect(answer.status).toBe(500);
    await fn.record((r) => r.event === 'mesh-remediator.config-error');
    const errors = fn.records.filter((r) => r.event === 'mesh-remediator.config-error' && r.severity === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      severity: 'ERROR',
      file: missing,
      path: '(root)',
      blocking: true,
      problem: `cannot read mesh config: no such object or bucket at ${emulator.host} (STORAGE_EMULATOR_HOST) (404)`,
    });
    // Nothing was repaired with a mesh it could not read.
    expect(fn.records.filter((r) => r.event === 'mesh-remediator.outcome')).toEqual([]);
  } finally {
    await fn.stop();
  }
}, 120_000);

test('the CLI reads the same URL with --config (validate, diff), and says when the object is missing', async () => {
  const env = emulatorEnv(emulator);
  const url = `gs://${BUCKET}/${OBJECT}`;
  const valid = await runCli(['validate', '--config', url], { env });
  expect({ code: valid.code, stderr: valid.stderr }).toEqual({ code: 0, stderr: '' });
  expect(valid.stdout).toContain(`${url}: valid, 1 service`);
  const diff = await runCli(['diff', '--config', url], { env });
  expect(diff).toEqual({ code: 0, stdout: `${server.key}: no drift\n`, stderr: '' });
  const missing = await runCli(['diff', '--config', `gs://${BUCKET}/nothing.yaml`], { env });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(
    `gs://${BUCKET}/nothing.yaml: (root): cannot read mesh config: no such object or bucket at ${emulator.host}`,
  );
}, 60_000);
