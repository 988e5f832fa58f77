// Everything a function instance keeps between invocations, built lazily in the order it is
// needed: deciding that an event is irrelevant needs none of it; routing needs the mesh; only a
// reconcile loads the Google clients (through the adapter, on its first call).
import { readEnv, type RuntimeEnv } from './env';
import { createLogger, registerSecret, type Logger } from './log';
import { discoverSelfPrincipal } from './self-principal';
import { OperationDedupe } from './events/operation-dedupe';
import { SkipCounters } from './events/skip-counters';
import { limitPort, quotaPort } from './limited-port';
import { ProjectQuotas } from './project-quotas';
import { createRateLimiter } from './rate-limit';
import { VerifiedReads } from './verified-reads';
import type { Mesh } from './config/mesh';
import type { MeshIndex } from './config/mesh-index';
import type { IntakeContext } from './events/intake';
import type { GcpPort } from './gcp/adapter';
import type { MeshPort, RegionRef } from './gcp/port';
import type { RegionSnapshot } from './reconcile/snapshot';
import type { Outcome } from './reconcile/model';
import type { ReconcileOptions, Reconciler } from './reconcile/reconciler';
import type { Notifier } from './notify/notifier';

export interface RuntimeOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Tests may bring their own port. */
  port?: MeshPort;
  /** Cap calls per API at SWEEP_RATE_PER_API per second, when set (the sweep's optional guard). */
  rateLimited?: boolean;
}

export class Runtime {
  readonly env: RuntimeEnv;
  readonly logger: Logger;
  /** When each service was last read and found (or made) as declared: burst dedupe. */
  readonly verifiedReads = new VerifiedReads();
  private readonly notified = new WeakSet<Outcome>();
  private meshValue?: Mesh;
  private indexValue?: MeshIndex;
  private portValue?: MeshPort;
  private gcpPortValue?: GcpPort;
  private reconcilerValue?: Reconciler;
  private notifierValue?: Notifier;
  private intakeValue?: Promise<IntakeContext>;

  constructor(private readonly options: RuntimeOptions = {}) {
    const env = options.env ?? process.env;
    registerSecret(env.SLACK_WEBHOOK_URL);
    this.env = readEnv(env);
    this.logger = options.logger ?? createLogger();
    this.portValue = options.port;
  }

  get rawEnv(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  get mesh(): Mesh {
    if (!this.meshValue) {
      const { loadMesh } = require('./config/load') as typeof import('./config/load');
      this.meshValue = loadMesh(this.env.meshConfigPath);
    }
    return this.meshValue;
  }

  get index(): MeshIndex {
    if (!this.indexValue) {
      const { indexMesh } = require('./config/mesh-index') as typeof import('./config/mesh-index');
      this.indexValue = indexMesh(this.mesh);
    }
    return this.indexValue;
  }

  get port(): MeshPort {
    // Every call of the function's own port counts against its project's quotas.
    this.portValue ??= this.limited(quotaPort(this.gcpPort(), new ProjectQuotas(this.env.apiQuotas, { windowMs: this.env.quotaWindowMs })));
    return this.portValue;
  }

  /** Loads the Google clients ahead of a rate-limited burst of calls (a test's own port has none). */
  async warm(): Promise<void> {
    if (!this.options.port) await this.gcpPort().warm();
  }

  private gcpPort(): GcpPort {
    if (!this.gcpPortValue) {
      const { createGcpPort } = require('./gcp/adapter') as typeof import('./gcp/adapter');
      this.gcpPortValue = createGcpPort({ env: this.rawEnv, selfPrincipal: this.env.selfPrincipal });
    }
    return this.gcpPortValue;
  }

  private limited(port: MeshPort): MeshPort {
    const perSecond = this.env.sweepRatePerApi;
    if (!this.options.rateLimited || perSecond === undefined) return port;
    return limitPort(port, { run: createRateLimiter(perSecond), compute: createRateLimiter(perSecond) });
  }

  get reconciler(): Reconciler {
    if (!this.reconcilerValue) {
      const { createReconciler } = require('./reconcile/reconciler') as typeof import('./reconcile/reconciler');
      const mesh = this.env.dryRun ? { ...this.mesh, policy: { ...this.mesh.policy, dryRun: true } } : this.mesh;
      this.reconcilerValue = createReconciler(mesh, { port: this.port, logger: this.logger, batchWindowMs: this.env.readBatchWindowMs });
    }
    return this.reconcilerValue;
  }

  get notifier(): Notifier {
    if (!this.notifierValue) {
      const { createNotifier } = require('./notify/notifier') as typeof import('./notify/notifier');
      this.notifierValue = createNotifier({ env: this.rawEnv, logger: this.logger });
    }
    return this.notifierValue;
  }

  /**
   * Reconciles one declared service and deals with the outcome the same way for every caller
   * (event, sweep, CLI): its verified read is remembered (burst dedupe) and people are told once.
   * Single-flight hands the same Outcome to every event that joined its run; notifying per event
   * would repeat the Slack message, the report and the alert line that log-based metrics count.
   */
  async reconcile(key: string, options: ReconcileOptions = {}): Promise<Outcome> {
    const outcome = await this.reconciler.reconcile(key, options);
    this.verifiedReads.record(outcome);
    if (!this.notified.has(outcome)) {
      this.notified.add(outcome);
      await this.notifier.notify(outcome);
    }
    return outcome;
  }

  /** A snapshot of one project-region (every kind listed once), for a sweep shard. */
  async snapshot(scope: RegionRef): Promise<RegionSnapshot> {
    const { takeSnapshot } = require('./reconcile/snapshot') as typeof import('./reconcile/snapshot');
    const { DEFAULT_RETRY } = require('./reconcile/retry') as typeof import('./reconcile/retry');
    return takeSnapshot(this.port, scope, DEFAULT_RETRY);
  }

  /** The routing context, built on the first event (the self principal is looked up then, once). */
  intakeContext(): Promise<IntakeContext> {
    this.intakeValue ??= (async () => {
      const selfPrincipal = await discoverSelfPrincipal(this.env.selfPrincipal, { emulated: this.env.emulated, env: this.rawEnv });
      // Getters: an event that is irrelevant by its method never loads or parses mesh.yaml.
      const index = () => this.index;
      const ignorePrincipals = () => this.mesh.policy.ignorePrincipals;
      return {
        get index() {
          return index();
        },
        selfPrincipal,
        get ignorePrincipals() {
          return ignorePrincipals();
        },
        dedupe: new OperationDedupe(),
        counters: new SkipCounters(),
      };
    })();
    return this.intakeValue;
  }
}
