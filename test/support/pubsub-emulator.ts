// Starts Google's real Pub/Sub emulator (`gcloud beta emulators pubsub start`) for a test suite.
// Some machines lack it: then `startPubSubEmulator` returns null and says so on stderr, and the
// suite declares the cases that need it with `pubSubTest()` (pubsub-test.ts), which skips them visibly.
// Under jest the run shares one emulator (it takes ~10 s of CPU to start): jest's global setup
// (jest-global-setup.ts) names a directory in TEST_PUBSUB_EMULATOR_STATE, the first suite that asks
// starts the emulator and writes its host there, the others wait for that host, and the global
// teardown stops it. Suites then share its state: each creates topics and subscriptions under names
// of its own (ALREADY_EXISTS says when two collide).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface PubSubEmulator {
  /** host:port, the value for PUBSUB_EMULATOR_HOST */
  host: string;
  stop(): Promise<void>;
}

export const PUBSUB_EMULATOR_MISSING = 'Pub/Sub emulator not installed (gcloud beta emulators pubsub)';
/** The directory through which one jest run's suites share one emulator (set by jest's global setup). */
export const SHARED_STATE_ENV = 'TEST_PUBSUB_EMULATOR_STATE';
const READY_TIMEOUT_MS = 60_000;
let available: boolean | undefined;

/** Whether Google's Pub/Sub emulator can run here (asked of gcloud once per process, or once per jest run). */
export function pubSubEmulatorAvailable(): boolean {
  if (process.env.PUBSUB_EMULATOR_HOST) return true;
  const shared = process.env[SHARED_STATE_ENV];
  const answer = shared ? join(shared, 'available') : undefined;
  if (available === undefined && answer && existsSync(answer)) available = readFileSync(answer, 'utf8') === 'yes';
  if (available === undefined) {
    available =
      spawnSync('gcloud', ['beta', 'emulators', 'pubsub', 'env-init', '--help'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
    if (answer) writeFileSync(answer, available ? 'yes' : 'no');
  }
  return available;
}

/** An emulator already named by PUBSUB_EMULATOR_HOST is reused and left running; so is the jest run's shared one. */
export async function startPubSubEmulator(): Promise<PubSubEmulator | null> {
  const existing = process.env.PUBSUB_EMULATOR_HOST;
  if (existing) return { host: existing, stop: async () => undefined };
  if (!pubSubEmulatorAvailable()) {
    process.stderr.write(`${PUBSUB_EMULATOR_MISSING}: skipping its cases\n`);
    return null;
  }
  const shared = process.env[SHARED_STATE_ENV];
  if (shared) return { host: await sharedEmulatorHost(shared), stop: async () => undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'pubsub-emulator-'));
  const { host, child } = await launch(dataDir);
  return {
    host,
    stop: async () => {
      killGroup(child.pid);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Stops the shared emulator named in `stateDir` (if a suite started one) and removes its files. */
export function stopSharedPubSubEmulator(stateDir: string): void {
  const pid = join(stateDir, 'pid');
  if (existsSync(pid)) killGroup(Number(readFileSync(pid, 'utf8')));
  rmSync(stateDir, { recursive: true, force: true });
}

/** The shared emulator's host: started here by the first suite to ask (mkdir is the lock), awaited by the rest. */
async function sharedEmulatorHost(stateDir: string): Promise<string> {
  const hostFile = join(stateDir, 'host');
  const errorFile = join(stateDir, 'error');
  try {
    mkdirSync(join(stateDir, 'lock'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const deadline = Date.now() + READY_TIMEOUT_MS + 30_000;
    while (Date.now() < deadline) {
      if (existsSync(hostFile)) return readFileSync(hostFile, 'utf8');
      if (existsSync(errorFile)) throw new Error(`the run's shared Pub/Sub emulator did not start: ${readFileSync(errorFile, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the run's shared Pub/Sub emulator was not ready after ${READY_TIMEOUT_MS + 30_000} ms`);
  }
  try {
    const dataDir = join(stateDir, 'data');
    mkdirSync(dataDir);
    const { host, child } = await launch(dataDir);
    writeFileSync(join(stateDir, 'pid'), String(child.pid));
    writeFileSync(`${hostFile}.tmp`, host);
    renameSync(`${hostFile}.tmp`, hostFile);
    return host;
  } catch (err) {
    writeFileSync(errorFile, String(err));
    throw err;
  }
}

/** Starts an emulator on a free port with its data in `dataDir`, and waits until it answers. */
async function launch(dataDir: string): Promise<{ host: string; child: ChildProcess }> {
  const host = `127.0.0.1:${await freePort()}`;
  // Its own process group (detached), so stopping it stops gcloud's Java child too.
  const child = spawn('gcloud', ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, `--data-dir=${dataDir}`, '--quiet'], {
    detached: true,
    stdio: 'ignore',
  });
  try {
    await waitUntilReady(host, READY_TIMEOUT_MS);
  } catch (err) {
    killGroup(child.pid);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  child.unref();
  return { host, child };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined || !Number.isInteger(pid)) return;
  try {
    process.kill(-pid, 'SIGKILL');
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
