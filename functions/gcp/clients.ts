// The Google clients, created on first use and reused. Nothing here loads a Google module until a
// client is asked for: only `import type` at the top, `require` inside functions, so an event
// that needs no client costs no Google code (README, Performance).
//
// Cold start: each client is loaded from its own module, not from the package barrel (the compute
// barrel loads ~100 clients: ~1.9 s, 280 MiB), and all share one gax instance, the REST
// `google-gax/fallback` module wrapped so that a protos.json is turned into a protobuf Root once
// per JSON object. gax's own cache keys on a hash of JSON.stringify of the compute JSON, paid
// by every client; keying on the (require-cached) object skips that. The compute JSON is a
// copy pruned to the seven services used (compute-protos.ts): the installed 12 MB one, built
// into a Root, was most of the first relevant event's cold start (~2× the time, +70 MiB). The
// client modules' own import of google-gax's main entry, which would load gRPC, gets a REST-only
// stand-in while they load (gax-import.ts).
//
// Transport: REST for both APIs. Compute is REST-only, so Run over REST too means one transport,
// one error shape (HTTP status + Google's reason, read in classify.ts) and one enum encoding to
// normalise, and no HTTP/2 channel to open on a cold instance. Run's REST client sends integer
// enums (`enum-encoding=int`) and gax decodes them back to names; adapter.ts accepts both.
import type { CallOptions, ClientOptions } from 'google-gax';
import type * as GaxFallback from 'google-gax/fallback';
import type { OAuth2Client } from 'google-auth-library';
import type { ServicesClient } from '@google-cloud/run/build/src/v2/services_client';
import type { AddressesClient } from '@google-cloud/compute/build/src/v1/addresses_client';
import type { RegionNetworkEndpointGroupsClient } from '@google-cloud/compute/build/src/v1/region_network_endpoint_groups_client';
import type { RegionBackendServicesClient } from '@google-cloud/compute/build/src/v1/region_backend_services_client';
import type { RegionUrlMapsClient } from '@google-cloud/compute/build/src/v1/region_url_maps_client';
import type { RegionTargetHttpProxiesClient } from '@google-cloud/compute/build/src/v1/region_target_http_proxies_client';
import type { ForwardingRulesClient } from '@google-cloud/compute/build/src/v1/forwarding_rules_client';
import type { RegionOperationsClient } from '@google-cloud/compute/build/src/v1/region_operations_client';
import type { Environment, HostPort } from '../config/environment';
import { computeProtosFor, installComputeProtos } from './compute-protos';
import { requireClientModule } from './gax-import';
import { shareStatusRoot } from './status-protos';

export const DEFAULT_SELF_PRINCIPAL = 'mesh-remediator@local.iam.gserviceaccount.com';

export interface ComputeClients {
  address: AddressesClient;
  neg: RegionNetworkEndpointGroupsClient;
  backendService: RegionBackendServicesClient;
  urlMap: RegionUrlMapsClient;
  targetProxy: RegionTargetHttpProxiesClient;
  forwardingRule: ForwardingRulesClient;
  operations: RegionOperationsClient;
}

/** Module file and class of each compute client under @google-cloud/compute/build/src/v1/. */
const COMPUTE_MODULES: Record<keyof ComputeClients, [file: string, className: string]> = {
  address: ['addresses_client', 'AddressesClient'],
  neg: ['region_network_endpoint_groups_client', 'RegionNetworkEndpointGroupsClient'],
  backendService: ['region_backend_services_client', 'RegionBackendServicesClient'],
  urlMap: ['region_url_maps_client', 'RegionUrlMapsClient'],
  targetProxy: ['region_target_http_proxies_client', 'RegionTargetHttpProxiesClient'],
  forwardingRule: ['forwarding_rules_client', 'ForwardingRulesClient'],
  operations: ['region_operations_client', 'RegionOperationsClient'],
};

/** The protobuf services behind the compute clients, e.g. "google.cloud.compute.v1.Addresses". */
export function computeServiceNames(): string[] {
  return Object.values(COMPUTE_MODULES).map(([, className]) => `google.cloud.compute.v1.${className.replace(/Client$/, '')}`);
}

/**
 * Per-call options: one request, no gax-level retry. Retrying is the reconciler's job (bounded,
 * with jitter); gax would otherwise retry a 503 on reads for up to 10 minutes by itself.
 */
export const CALL_OPTIONS: CallOptions = { timeout: 60_000, retry: null };
/** RegionOperations.wait holds the request up to ~2 minutes before answering. */
export const WAIT_OPTIONS: CallOptions = { timeout: 150_000, retry: null };

type ClientClass = new (options: ClientOptions, gax: typeof GaxFallback) => unknown;

export class Clients {
  private readonly created = new Map<string, unknown>();
  private readonly ready = new Map<string, Promise<unknown>>();
  private gax: typeof GaxFallback | undefined;

  constructor(
    private readonly emulators: Pick<Environment, 'cloudRunEmulator' | 'computeEmulator'>,
    private readonly selfPrincipal: string,
  ) {}

  run(): Promise<ServicesClient> {
    return this.initialized('run', () => {
      const { ServicesClient } = requireClientModule<{ ServicesClient: ClientClass }>('@google-cloud/run/build/src/v2/services_client');
      return new ServicesClient({ ...this.options(this.emulators.cloudRunEmulator), fallback: true }, this.sharedGax()) as ServicesClient;
    });
  }

  compute<K extends keyof ComputeClients>(kind: K): Promise<ComputeClients[K]> {
    return this.initialized(kind, () => {
      const [file, className] = COMPUTE_MODULES[kind];
      // The client modules get a protos.json pruned to these services: the full one costs most
      // of the cold start (compute-protos.ts).
      installComputeProtos();
      const module = requireClientModule<Record<string, ClientClass>>(`@google-cloud/compute/build/src/v1/${file}`);
      const ClientClass = module[className];
      if (!ClientClass) throw new Error(`@google-cloud/compute has no ${className} in ${file}`);
      return new ClientClass({ ...this.options(this.emulators.computeEmulator), fallback: true }, this.sharedGax()) as ComputeClients[K];
    });
  }

  /** Loads and initializes every client now, so later calls pay no load time (the sweep). */
  async warm(): Promise<void> {
    const kinds = Object.keys(COMPUTE_MODULES) as Array<keyof ComputeClients>;
    await Promise.all([this.run(), ...kinds.map((kind) => this.compute(kind))]);
  }

  /** Which clients exist so far (for tests of laziness). */
  names(): string[] {
    return [...this.created.keys()];
  }

  async close(): Promise<void> {
    const clients = [...this.created.values()] as Array<{ close?: () => Promise<void> }>;
    this.created.clear();
    this.ready.clear();
    await Promise.all(clients.map((client) => client.close?.()));
  }

  /**
   * The client once its initialize() has resolved. Every generated method starts with
   * `this.initialize().catch(err => { throw err; })`, a floating promise: if credentials cannot
   * load, each call would leave an unhandled rejection. Awaiting initialize first turns that into
   * one rejection here, handled by the caller, and no method is ever called on a broken client.
   */
  private initialized<T>(name: string, create: () => T): Promise<T> {
    let ready = this.ready.get(name) as Promise<T> | undefined;
    if (!ready) {
      const client = this.once(name, create) as T & { initialize(): Promise<unknown> };
      ready = client.initialize().then(() => client);
      this.ready.set(name, ready);
    }
    return ready;
  }

  private once<T>(name: string, create: () => T): T {
    if (!this.created.has(name)) this.created.set(name, create());
    return this.created.get(name) as T;
  }

  /** Emulator: plain HTTP to host:port with a fixed token; otherwise Google's default auth. */
  private options(emulator: HostPort | undefined): ClientOptions {
    if (!emulator) return {};
    return { apiEndpoint: emulator.host, port: emulator.port, protocol: 'http', authClient: this.emulatorAuth() };
  }

  // The emulator reads the caller from the bearer token, so tests can tell the function's own
  // writes from a person's. An access token without expiry is never refreshed: no Google auth.
  // Requests go through Node's own fetch: gaxios would otherwise `import('node-fetch')`
  // dynamically, which Jest's CommonJS sandbox cannot do.
  private emulatorAuth(): OAuth2Client {
    return this.once('emulatorAuth', () => {
      const { OAuth2Client } = load<typeof import('google-auth-library')>('google-auth-library');
      const client = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
      client.setCredentials({ access_token: `principal:${this.selfPrincipal}` });
      return client;
    });
  }

  private sharedGax(): typeof GaxFallback {
    this.gax ??= sharedProtoGax(load<typeof GaxFallback>('google-gax/fallback'));
    return this.gax;
  }
}

/**
 * The fallback gax module with loadProtoJSON cached by object identity, and one Root for decoding
 * error responses (status-protos.ts). Clients pick
 * `gax.fallback` when `fallback` is set, so the wrapper names itself as its fallback.
 */
function sharedProtoGax(base: typeof GaxFallback): typeof GaxFallback {
  shareStatusRoot(base);
  const roots = new WeakMap<object, ReturnType<typeof base.GrpcClient.protobufFromJSON>>();
  class SharedProtoGrpcClient extends base.GrpcClient {
    override loadProtoJSON(given: Parameters<typeof base.GrpcClient.protobufFromJSON>[0], ignoreCache = false) {
      const json = computeProtosFor(given);
      if (ignoreCache) return super.loadProtoJSON(json, true);
      let root = roots.get(json);
      if (!root) {
        root = super.loadProtoJSON(json);
        roots.set(json, root);
      }
      return root;
    }
  }
  const gax = Object.create(base, { GrpcClient: { value: SharedProtoGrpcClient } }) as typeof GaxFallback & { fallback: unknown };
  Object.defineProperty(gax, 'fallback', { value: gax });
  return gax;
}

/** Loads a module when first needed (see top); the caller types it through `import type`. */
function load<T>(id: string): T {
  return require(id) as T;
}
