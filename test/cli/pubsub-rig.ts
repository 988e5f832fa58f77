// The CLI suites that need Google's Pub/Sub emulator beside the project's emulator: both started
// once per suite (the Pub/Sub one only where it is installed; its tests skip visibly otherwise),
// a Pub/Sub client on it, and everything stopped afterwards.
import { PubSub } from '@google-cloud/pubsub';
import type { DeclaredService } from '../../functions/config/mesh';
import { startEmulator, type Emulator } from '../emulator';
import { demoMesh } from '../emulator/test-mesh';
import { pubSubEmulatorAvailable, startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator';
import { removeTempDirs } from './cli-harness';

export interface CliPubSubRig {
  readonly emulator: Emulator;
  /** The client on the Pub/Sub emulator (only inside a pubSubTest). */
  pubsub(): PubSub;
  /** PUBSUB_EMULATOR_HOST's value (only inside a pubSubTest). */
  pubsubHost(): string;
}

/** Registers beforeAll/afterAll; `service` is seeded as declared. */
export function cliPubSubRig(service: DeclaredService): CliPubSubRig {
  let emulator: Emulator | undefined;
  let pubsubEmulator: PubSubEmulator | null = null;
  let pubsub: PubSub | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: demoMesh(service), operationDelayMs: 0 });
    if (pubSubEmulatorAvailable()) {
      pubsubEmulator = await startPubSubEmulator();
      pubsub = new PubSub({ projectId: 'demo-project', apiEndpoint: pubsubEmulator?.host, emulatorMode: true });
    }
  }, 120_000);
  afterAll(async () => {
    removeTempDirs();
    await pubsub?.close();
    await pubsubEmulator?.stop();
    await emulator?.stop();
  });
  return {
    get emulator() {
      return emulator as Emulator;
    },
    pubsub: () => pubsub as PubSub,
    pubsubHost: () => (pubsubEmulator as PubSubEmulator).host,
  };
}
