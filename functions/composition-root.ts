// The composition root: the one place that reads the environment and the mesh, and builds the
// plain dependencies every entry point (event, sweep, CLI) uses, once per instance. Everything
// below it gets what it needs as arguments; nothing below it reads process.env.
// Google clients still load on the first call that needs them (gcp/clients.ts), not here.
import {
  ConfigAlarm,
  configProblems,
  describeProblem,
  ENVIRONMENT_FILE,
  logConfigProblems,
  type ConfigProblemLine,
} from './config/config-error';
import { parseEnvironment, type Environment } from './config/environment';
import { loadMesh, readMesh } from './config/load';
import { isMeshObjectUrl } from './config/mesh-object';
import type { Mesh } from './config/mesh';
import { MeshConfigError } from './config/mesh-config-error';
import { indexMesh, type MeshIndex } from './config/mesh-index';
import type { IntakeContext } from './events/intake';
import { SkipCounters } from './events/skip-counters';
import { createGcpPort, type GcpPort } from './gcp/adapter';
import type { InFlightCall } from './gcp/in-flight';
import type { MeshPort, RegionRef } from './gcp/port';
import { allOf, type RequestGate } from './gcp/request-gate';
import { quotaGate, rateGate } from './request-limits';
import { ProjectQuotas } from './project-quotas';
import { createLogger, slackRedactor, type LineWriter, type Logger, type Redactor } from './log';
import { createNotifier, type Notifier, type NotifyContext } from './notify/notifier';
import { Admission } from './admission';
import type { Outcome } from './reconcile/model';
import { createReconciler, type ReconcileOptions, type Reconciler } from './reconcile/reconciler';
import { DEFAULT_RETRY } from './reconcile/retry';
import { takeSnapshot, type RegionSnapshot } from './reconcile/snapshot';
import { createRateLimiter } from './rate-limit';
import { discoverSelfPrincipal } from './self-principal';

/** What the edge read: the typed environment, the mesh (when usable) and every problem found. */
export interface LoadedConfig {
  environment: Environment;
  mesh?: Mesh;
  /** Why the mesh could not be loaded (its problems are in `problems` too). */
  meshError?: MeshConfigError;
  problems: ConfigProblemLine[];
}

/** The declared mesh and what is built from it; absent while the configuration is unusable. */
export interface Usable {
  mesh: Mesh;
  index: MeshIndex;
  reconciler: Reconciler;
}

export type Configuration = ({ usable: true } & Usable) | { usable: false; problems: ConfigProblemLine[] };

export interface Deps {
  environment: Environment;
  logger: Logger;
  redactor: Redactor;
  configuration: Configuration;
  admission: Admission;
  notifier: Notifier;
  counters: SkipCounters;
  /** Says, at most once a minute, that events wait for a configuration fix. */
  alarm: ConfigAlarm;
  /** Reconciles one declared service through admission, and tells people once per run. */
  reconcile(key: string, options?: ReconcileOptions, context?: NotifyContext): Promise<Outcome>;
  /** The routing context; its mesh-backed fields throw ConfigurationUnusable while unusable. */
  intakeContext(): Promise<IntakeContext>;
  /** A snapshot of one project-region (every kind listed once), for a sweep shard. */
  snapshot(scope: RegionRef): Promise<RegionSnapshot>;
  /** Loads the Google clients ahead of a rate-limited burst (a test's own port has none). */
  warm(): Promise<void>;
  /** The Google calls sent and not yet answered, oldest first (none with a test's own port). */
  googleCalls(): InFlightCall[];
  /** Flushes notifications and releases clients. */
  close(): Promise<void>;
}

/** Dependencies with a usable configuration: what the sweep and the CLI commands work with. */
export type UsableDeps = Deps & Usable;
/** A CLI command's dependencies: a configuration that is not usable stops the command instead. */
export type CliDeps = UsableDeps;

/** `deps` with its mesh at hand, or undefined while the configuration is unusable. */
export function usable(deps: Deps): UsableDeps | undefined {
  if (!deps.configuration.usable) return undefined;
  const { mesh, index, reconciler } = deps.configuration;
  return { ...deps, mesh, index, reconciler };
}

export class ConfigurationUnusable extends Error {
  override readonly name = 'ConfigurationUnusable';

  constructor(readonly problems: ConfigProblemLine[]) {
    super(problems.map(describeProblem).join('\n'));
  }
}

type ConfigOverrides = Partial<Pick<Environment, 'meshConfigPath' | 'dryRun'>>;

/** Reads and checks the environment and the mesh file it names; never throws for their content. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): LoadedConfig {
  return withMesh(env, overrides, (environment) => loadMesh(environment.meshConfigPath));
}

/**
 * loadConfig for the function's start and the CLI: MESH_CONFIG may also name a Cloud Storage
 * object (gs://BUCKET/OBJECT), downloaded first. Never rejects for the configuration's content.
 */
export async function readConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Promise<LoadedConfig> {
  const { environment } = parseEnvironment(env);
  const location = overrides.meshConfigPath ?? environment.meshConfigPath;
  if (!isMeshObjectUrl(location)) return loadConfig(env, overrides);
  const mesh = await readMesh(location, environment.storageEmulator).catch((err: unknown) => {
    if (err instanceof MeshConfigError) return err;
    throw err;
  });
  return withMesh(env, overrides, () => {
    if (mesh instanceof MeshConfigError) throw mesh;
    return mesh;
  });
}

function withMesh(env: NodeJS.ProcessEnv, overrides: ConfigOverrides, mesh: (environment: Environment) => Mesh): LoadedConfig {
  const parsed = parseEnvironment(env);
  const environment = { ...parsed.environment, ...overrides };
  const problems = parsed.problems.filter((p) => !(p.variable === 'DRY_RUN' && overrides.dryRun !== undefined));
  try {
    return { environment, mesh: mesh(environment), problems: configProblems(problems, undefined) };
  } catch (err) {
    if (!(err instanceof MeshConfigError)) throw err;
    return { environment, meshError: err, problems: configProblems(problems, err) };
  }
}

export interface ComposeOptions {
  /** Where log lines go (stdout by default); they are redacted on the way. */
  write?: LineWriter;
  /** Tests may bring their own port. */
  port?: MeshPort;
  /** Cap requests per API at SWEEP_RATE_PER_API per second, when set (the sweep's optional guard). */
  rateLimited?: boolean;
}

export function compose(config: LoadedConfig, options: ComposeOptions = {}): Deps {
  const { environment } = config;
  const redactor = slackRedactor(environment.slackWebhook?.url);
  const logger = createLogger(options.write, redactor);
  const gcpPort: GcpPort | undefined = options.port
    ? undefined
    : createGcpPort({
        environment,
        ...(environment.selfPrincipal ? { selfPrincipal: environment.selfPrincipal } : {}),
        gate: requestGate(environment, options.rateLimited),
      });
  const port: MeshPort = options.port ?? (gcpPort as GcpPort);
  const configuration = configure(config, port, logger);
  const admission = new Admission();
  const notifier = createNotifier({ environment, logger, redactor });
  const counters = new SkipCounters();
  const alarm = new ConfigAlarm(logger, configuration.usable ? [] : configuration.problems);
  const told = new WeakSet<Outcome>();
  let selfPrincipal: Promise<string | undefined> | undefined;

  const unusable = () => new ConfigurationUnusable(configuration.usable ? [] : configuration.problems);

  return {
    environment,
    logger,
    redactor,
    configuration,
    admission,
    notifier,
    counters,
    alarm,
    async reconcile(key, reconcileOptions = {}, context = {}) {
      if (!configuration.usable) throw unusable();
      const { reconciler } = configuration;
      const outcome = await admission.run(key, reconciler.isDryRun(reconcileOptions), () => reconciler.reconcile(key, reconcileOptions));
      // Single-flight hands one Outcome to every caller that joined its run: telling people per
      // caller would repeat the Slack message, the report and the alert line metrics count.
      if (!told.has(outcome)) {
        told.add(outcome);
        await notifier.notify(outcome, context);
      }
      return outcome;
    },
    async intakeContext() {
      selfPrincipal ??= discoverSelfPrincipal(environment);
      const principal = await selfPrincipal;
      return {
        get index(): MeshIndex {
          if (!configuration.usable) throw unusable();
          return configuration.index;
        },
        ...(principal ? { selfPrincipal: principal } : {}),
        get ignorePrincipals(): readonly string[] {
          if (!configuration.usable) throw unusable();
          return configuration.mesh.policy.ignorePrincipals;
        },
        counters,
      };
    },
    snapshot(scope) {
      return takeSnapshot(port, scope, DEFAULT_RETRY);
    },
    async warm() {
      await gcpPort?.warm();
    },
    googleCalls: () => gcpPort?.inFlight() ?? [],
    async close() {
      await notifier.close();
      await gcpPort?.close();
    },
  };
}

/**
 * The function's dependencies at cold start: every configuration problem logged once, now.
 * `config`: one already loaded (the sweep entry composes its own port over the same mesh).
 */
export function composeFunction(env: NodeJS.ProcessEnv, options: ComposeOptions = {}, config = loadConfig(env)): Deps {
  const deps = compose(config, options);
  logConfigProblems(deps.logger, config.problems);
  return deps;
}

/** A CLI command's dependencies; an unusable configuration is the command's error. */
export function composeCli(config: LoadedConfig, options: ComposeOptions = {}): CliDeps {
  const blocking = config.problems.filter((p) => p.blocking && p.file === ENVIRONMENT_FILE);
  if (blocking.length > 0) throw new ConfigurationUnusable(blocking);
  // The mesh file's own error, as `validate` reports it (every problem, by path).
  if (config.meshError) throw config.meshError;
  const ready = usable(compose(config, options));
  if (!ready) throw new ConfigurationUnusable(config.problems);
  return ready;
}

function configure(config: LoadedConfig, port: MeshPort, logger: Logger): Configuration {
  const blocking = config.problems.filter((p) => p.blocking);
  if (!config.mesh || blocking.length > 0) return { usable: false, problems: blocking };
  // DRY_RUN forces plan-only whatever mesh.yaml says.
  const mesh = config.environment.dryRun ? { ...config.mesh, policy: { ...config.mesh.policy, dryRun: true } } : config.mesh;
  const reconciler = createReconciler(mesh, { port, logger, batchWindowMs: config.environment.readBatchWindowMs });
  return { usable: true, mesh, index: indexMesh(mesh), reconciler };
}

/**
 * What each request of the function's own port waits for: its project's quota (a test's port
 * counts against none), and in the sweep SWEEP_RATE_PER_API when set. The quota comes first, so
 * a request waiting for its project's next minute holds no place under the per-second cap that
 * other projects' requests could use.
 */
function requestGate(environment: Environment, rateLimited: boolean | undefined): RequestGate {
  const quotas = quotaGate(new ProjectQuotas(environment.apiQuotas, { windowMs: environment.quotaWindowMs }));
  const perSecond = environment.sweepRatePerApi;
  if (!rateLimited || perSecond === undefined) return quotas;
  return allOf([quotas, rateGate({ run: createRateLimiter(perSecond), compute: createRateLimiter(perSecond) })]);
}
