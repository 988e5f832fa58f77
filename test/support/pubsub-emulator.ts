// Starts Google's real Pub/Sub emulator (`gcloud beta emulators pubsub start`) for a test suite.
// Some machines lack it: then `startPubSubEmulator` returns null and says so on stderr, and the
// suite declares the cases that need it with `pubSubTest()` (pubsub-test.ts), which skips them visibly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface PubSubEmulator {
  /** host:port, the value for PUBSUB_EMULATOR_HOST */
  host: string;
  stop(): Promise<void>;
}

export const PUBSUB_EMULATOR_MISSING = 'Pub/Sub emulator not installed (gcloud beta emulators pubsub)';
let available: boolean | undefined;

/** Whether Google's Pub/Sub emulator can run here (asked of gcloud once per process). */
export function pubSubEmulatorAvailable(): boolean {
  if (process.env.PUBSUB_EMULATOR_HOST) return true;
  available ??=
    spawnSync('gcloud', ['beta', 'emulators', 'pubsub', 'env-init', '--help'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  return available;
}

/** An emulator already named by PUBSUB_EMULATOR_HOST is reused and left running. */
export async function startPubSubEmulator(): Promise<PubSubEmulator | null> {
  const existing = process.env.PUBSUB_EMULATOR_HOST;
  if (existing) return { host: existing, stop: async () => undefined };
  if (!pubSubEmulatorAvailable()) {
    process.stderr.write(`${PUBSUB_EMULATOR_MISSING}: skipping its cases\n`);
    return null;
  }
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'pubsub-emulator-'));
  const child = spawn('gcloud', ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, `--data-dir=${dataDir}`, '--quiet'], {
    detached: true,
    stdio: 'ignore',
  });
  const stop = async (): Promise<void> => {
    killGroup(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(host, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, stop };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitUntilReady(host: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://${host}/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Pub/Sub emulator on ${host} not ready after ${timeoutMs} ms`);
}
