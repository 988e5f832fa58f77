// `mesh-remediator emulator`: seeded from a mesh file, prints the env lines, serves until stopped.
// Run in-process through its own entry (seeded with the product's mesh loader, as the CLI does)
// and through the CLI dispatcher.
import { loadMesh } from '../../functions/config/load';
import { main } from '../../functions/cli/main';
import type { CliIO } from '../../functions/cli/command';
import { runEmulator } from './command';

function captureIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, stdin: process.stdin };
}

test('starts seeded from deploy/mesh.example.yaml, prints env-init lines, logs audit entries, stops on signal', async () => {
  const io = captureIO();
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const exit = runEmulator(
    ['--port', '0', '--seed', 'deploy/mesh.example.yaml', '--operation-delay-ms', '0', '--log-audit', '--principal', 'eve@example.com'],
    io,
    stopped,
    loadMesh,
  );
  while (io.out.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const lines = io.out.join('').trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^export CLOUD_RUN_EMULATOR_HOST=127\.0\.0\.1:\d+$/),
    expect.stringMatching(/^export COMPUTE_EMULATOR_HOST=127\.0\.0\.1:\d+$/),
  ]);
  const host = (lines[0] as string).split('=')[1] as string;
  expect(io.err.join('')).toContain('seeded 1 declared service(s) from deploy/mesh.example.yaml');

  const service = await (await fetch(`http://${host}/v2/projects/demo-project/locations/asia-northeast1/services/server-service`)).json();
  expect(service.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
  const deleted = await fetch(
    `http://${host}/compute/v1/projects/demo-project/regions/asia-northeast1/forwardingRules/internal-lb-frontend`,
    { method: 'DELETE' },
  );
  expect((await deleted.json()).status).toBe('DONE'); // --operation-delay-ms 0: done before the call returns
  expect(io.err.join('')).toContain(
    'audit v1.compute.forwardingRules.delete (last) projects/demo-project/regions/asia-northeast1/forwardingRules/internal-lb-frontend by eve@example.com',
  );
  stop();
  expect(await exit).toBe(0);
  await expect(fetch(`http://${host}/admin/state`)).rejects.toThrow();
});

test('--faults sets fault injection from the command line', async () => {
  const io = captureIO();
  let stop: () => void = () => undefined;
  const exit = runEmulator(
    ['--port', '0', '--faults', '{"rate503": 1, "seed": 7}'],
    io,
    new Promise<void>((resolve) => (stop = resolve)),
    loadMesh,
  );
  while (io.out.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const host = (io.out.join('').split('\n')[0] as string).split('=')[1] as string;
  expect((await fetch(`http://${host}/compute/v1/projects/p/regions/r/urlMaps/m`)).status).toBe(503);
  expect((await (await fetch(`http://${host}/admin/faults`)).json()).seed).toBe(7);
  stop();
  expect(await exit).toBe(0);
});

test('bad flags are refused with a specific message through the CLI dispatcher', async () => {
  const io = captureIO();
  expect(await main(['emulator', '--port', 'eighty'], io)).toBe(1);
  expect(io.err.join('')).toContain('--port must be a whole number from 0 to 65535, got "eighty"');
  const badFaults = captureIO();
  expect(await main(['emulator', '--port', '0', '--faults', '{"rate503": 3}'], badFaults)).toBe(1);
  expect(badFaults.err.join('')).toContain('--faults: fault rate503 must be a number between 0 and 1, got 3');
  const missing = captureIO();
  expect(await main(['emulator', '--port', '0', '--seed', 'no/such/mesh.yaml'], missing)).toBe(1);
  expect(missing.err.join('')).toContain('no/such/mesh.yaml');
});
