// `mesh-remediator emulator --port P --seed mesh.yaml [--audit-push URL] [--audit-topic T]
//  [--operation-delay-ms N] [--latency-ms N] [--principal EMAIL] [--faults JSON] [--log-audit]`
// Starts the emulator with the declared mesh created healthy and prints the environment lines
// to use it, as `gcloud beta emulators pubsub env-init` does; runs until SIGINT/SIGTERM.
// The product's CLI dispatches here and hands over how to read a mesh file (`loadSeed`), so the
// emulator needs none of the product's code. Bad flags throw an Error with the specific message.
import { parseArgs } from 'node:util';
import { startEmulator, type FaultSettings, type SeedMesh } from './index';

/** Where the command writes: the CLI's io, or a test's capture. */
export interface EmulatorIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Reads a mesh file into the services to seed (the CLI passes its own mesh loader). */
export type SeedLoader = (path: string) => SeedMesh;

const OPTIONS = {
  port: { type: 'string', default: '8090' },
  host: { type: 'string', default: '127.0.0.1' },
  seed: { type: 'string' },
  config: { type: 'string' },
  'audit-push': { type: 'string' },
  'audit-topic': { type: 'string' },
  'operation-delay-ms': { type: 'string' },
  'latency-ms': { type: 'string' },
  principal: { type: 'string' },
  /** any FaultSettings as JSON, e.g. '{"rate503":0.1,"seed":7}' (POST /admin/faults changes them later) */
  faults: { type: 'string' },
  'log-audit': { type: 'boolean', default: false },
} as const;

export const emulatorCommand = (argv: string[], io: EmulatorIO, loadSeed: SeedLoader): Promise<number> =>
  runEmulator(argv, io, untilSignalled(), loadSeed);

/** The command with its stop condition injected, so tests can run it in-process. */
export async function runEmulator(argv: string[], io: EmulatorIO, stopped: Promise<unknown>, loadSeed: SeedLoader): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const seedFile = values.seed ?? values.config;
  const mesh = seedFile ? loadSeed(seedFile) : undefined;
  const faults = values.faults === undefined ? undefined : faultSettings(values.faults);
  const emulator = await startEmulator({
    port: integer('--port', values.port, 65535),
    host: values.host,
    ...(values['operation-delay-ms'] !== undefined
      ? { operationDelayMs: integer('--operation-delay-ms', values['operation-delay-ms']) }
      : {}),
    ...(values['latency-ms'] !== undefined ? { latencyMs: integer('--latency-ms', values['latency-ms']) } : {}),
    ...(values.principal ? { defaultPrincipal: values.principal } : {}),
    ...(values['audit-push'] ? { auditPushUrl: values['audit-push'] } : {}),
    ...(values['audit-topic'] ? { auditTopic: values['audit-topic'] } : {}),
    ...(mesh ? { seed: mesh } : {}),
  });
  if (faults) {
    try {
      emulator.faults.set(faults);
    } catch (err) {
      await emulator.stop();
      throw new Error(`--faults: ${(err as Error).message}`);
    }
  }
  if (values['log-audit']) {
    emulator.audit.on((e) => {
      const phase = e.operation?.first ? ' (first)' : e.operation?.last ? ' (last)' : '';
      const status = e.protoPayload.status ? ` FAILED ${e.protoPayload.status.code}: ${e.protoPayload.status.message}` : '';
      io.stderr(
        `audit ${e.protoPayload.methodName}${phase} ${e.protoPayload.resourceName} by ${e.protoPayload.authenticationInfo?.principalEmail ?? 'Google (system event)'}${status}\n`,
      );
    });
  }
  io.stdout(`export CLOUD_RUN_EMULATOR_HOST=${emulator.host}\nexport COMPUTE_EMULATOR_HOST=${emulator.host}\n`);
  io.stderr(
    [
      `emulator listening on ${emulator.url} (Cloud Run v2 at /v2/, Compute at /compute/v1/ and /compute/beta/)`,
      mesh ? `seeded ${mesh.services.length} declared service(s) from ${seedFile}` : 'no mesh seeded (--seed mesh.yaml)',
      values['audit-push'] ? `audit entries pushed to ${values['audit-push']}` : '',
      values['audit-topic']
        ? `audit entries published to ${values['audit-topic']} via ${io.env.PUBSUB_EMULATOR_HOST ?? process.env.PUBSUB_EMULATOR_HOST}`
        : '',
      `admin: GET|POST ${emulator.url}/admin/faults, GET /admin/audit, GET /admin/state, POST /admin/reset`,
      'stop with Ctrl-C',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
  await stopped;
  await emulator.stop();
  io.stderr('emulator stopped\n');
  return 0;
}

function integer(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) throw new Error(`${flag} must be a whole number from 0 to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function faultSettings(text: string): Partial<FaultSettings> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`--faults must be a JSON object such as '{"rate503":0.1,"seed":7}', got ${JSON.stringify(text)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`--faults must be a JSON object, got ${JSON.stringify(text)}`);
  return parsed as Partial<FaultSettings>;
}

function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
