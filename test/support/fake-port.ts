// An in-memory MeshPort with Compute's and Cloud Run's rules that matter to the reconciler
// (the SRA pattern: the logic runs against a recording stub of the wrapper). It enforces
// references (a reference to a missing resource is refused; a referenced resource cannot be
// deleted), alreadyExists on a second insert, idempotent requestIds, fingerprints and etags that
// change on every write and refuse stale writers, and records every call and every write.
// Faults and latency are injected per call with `inject`.
import {
  RESOURCE_KINDS,
  type DeclaredService,
  type DeclaredVpcAccess,
  type Mesh,
  type ResourceKind,
  DEFAULT_POLICY,
} from '../../functions/config/mesh';
import { observedVpcAccess, v2VpcAccess } from '../../functions/gcp/vpc-access';
import {
  GcpError,
  type MeshPort,
  type Mutation,
  type Observed,
  type ObservedIngress,
  type ResourceOf,
  type RegionRef,
  type ResourceRef,
  type RunService,
  type ServiceRef,
} from '../../functions/gcp/port';
import { nameOf, regionalUrl, sameRef } from '../../functions/gcp/refs';
import { desiredChain } from '../../functions/reconcile/desired';
import { declaredService } from '../emulator/test-mesh';
import type { ObservedMesh } from '../../functions/reconcile/observe';

export type PortCall = 'listServices' | 'list' | 'getService' | 'setIngress' | 'setVpcAccess' | 'get' | 'insert' | 'mutate' | 'delete';
const WRITE_CALLS: ReadonlySet<PortCall> = new Set(['setIngress', 'setVpcAccess', 'insert', 'mutate', 'delete']);

export interface CallRecord {
  call: PortCall;
  /** 'service' for the Cloud Run calls */
  kind: ResourceKind | 'service';
  name: string;
  /** 'ok' or the class of the error the call ended with */
  result?: 'ok' | GcpError['errorClass'];
}

/** Which calls a fault applies to; unset fields match anything. */
export interface CallMatch {
  call?: PortCall;
  kind?: ResourceKind | 'service';
  name?: string;
}

export interface Fault extends CallMatch {
  /** Thrown instead of performing the call (the call changes nothing). */
  error?: GcpError;
  /** Awaited before the call runs (latency, or a gate a test opens). */
  delay?: () => Promise<void>;
  /** Runs before the call: e.g. a rival writer changing state in between. */
  before?: () => void;
  /** Runs after the call succeeded: e.g. a rival undoing it at once. */
  after?: () => void;
  /** The call takes effect but the caller gets this error (a response lost on the way back). */
  lostResponse?: GcpError;
  /** How many matching calls it applies to (default 1; Infinity for all). */
  times?: number;
}

type Stored = { [K in ResourceKind]: Map<string, Observed<K>> };

export class FakePort implements MeshPort {
  /** Every write call, in order, whether it succeeded or not. */
  readonly writes: CallRecord[] = [];
  /** Every call, reads included. */
  readonly calls: CallRecord[] = [];
  private readonly services = new Map<string, RunService>();
  private readonly stored = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, new Map()])) as Stored;
  private readonly requestIds = new Set<string>();
  private readonly faults: Fault[] = [];
  private version = 0;

  // ---- seeding and inspection (no rules, no records) --------------------------------------

  putService(
    ref: ServiceRef,
    fields: { ingress: ObservedIngress; annotations?: Record<string, string>; vpcAccess?: RunService['vpcAccess'] },
  ): void {
    const name = servicePath(ref);
    this.services.set(name, {
      name,
      ingress: fields.ingress,
      annotations: fields.annotations ?? {},
      etag: this.token('etag'),
      latestCreatedRevision: `${ref.service}-00001`,
      ...(fields.vpcAccess ? { vpcAccess: structuredClone(fields.vpcAccess) } : {}),
    });
  }

  /** Changes a service as someone else would (new etag). */
  editService(ref: ServiceRef, change: Partial<Pick<RunService, 'ingress' | 'annotations' | 'vpcAccess'>>): void {
    const current = this.services.get(servicePath(ref));
    if (!current) throw new Error(`no service ${servicePath(ref)}`);
    this.services.set(current.name, { ...current, ...change, etag: this.token('etag') });
  }

  removeService(ref: ServiceRef): void {
    this.services.delete(servicePath(ref));
  }

  service(ref: ServiceRef): RunService | undefined {
    return this.services.get(servicePath(ref));
  }

  /** Stores a resource as is (what someone else's write would leave), with a fresh fingerprint. */
  put<K extends ResourceKind>(kind: K, ref: ResourceRef, resource: ResourceOf[K]): void {
    const selfLink = regionalUrl(kind, ref);
    const stored = { ...structuredClone(resource), name: ref.name, selfLink, fingerprint: this.token('fp') } as unknown as Observed<K>;
    this.store(kind).set(selfLink, stored);
  }

  /** Edits a stored resource as someone else would (new fingerprint). */
  edit<K extends ResourceKind>(kind: K, ref: ResourceRef, change: Partial<ResourceOf[K]>): void {
    const current = this.peek(kind, ref);
    if (!current) throw new Error(`no ${kind} ${ref.name}`);
    this.put(kind, ref, { ...current, ...structuredClone(change) });
  }

  remove(kind: ResourceKind, ref: ResourceRef): void {
    this.stored[kind].delete(regionalUrl(kind, ref));
  }

  peek<K extends ResourceKind>(kind: K, ref: ResourceRef): Observed<K> | undefined {
    const found = this.store(kind).get(regionalUrl(kind, ref));
    return found && structuredClone(found);
  }

  /** Adds a fault for the next matching call(s). */
  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  // ---- MeshPort ---------------------------------------------------------------------------

  /** Recorded with name `project/region` (a list has no one resource name). */
  async listServices(scope: RegionRef): Promise<RunService[]> {
    return this.run({ call: 'listServices', kind: 'service', name: `${scope.project}/${scope.region}` }, () => {
      const prefix = `projects/${scope.project}/locations/${scope.region}/services/`;
      return [...this.services.values()].filter((s) => s.name.startsWith(prefix)).map((s) => structuredClone(s));
    });
  }

  async list<K extends ResourceKind>(kind: K, scope: RegionRef, names?: readonly string[]): Promise<Array<Observed<K>>> {
    return this.run({ call: 'list', kind, name: `${scope.project}/${scope.region}` }, () => {
      const prefix = regionalUrl(kind, { ...scope, name: '' });
      const wanted = names ? new Set(names) : undefined;
      return [...this.store(kind).values()]
        .filter((r) => r.selfLink.startsWith(prefix) && (!wanted || wanted.has(r.name)))
        .map((r) => structuredClone(r));
    });
  }

  async getService(ref: ServiceRef): Promise<RunService | null> {
    return this.run({ call: 'getService', kind: 'service', name: ref.service }, () => {
      const found = this.services.get(servicePath(ref));
      return found ? structuredClone(found) : null;
    });
  }

  async setIngress(ref: ServiceRef, ingress: 'internal' | 'internal-and-cloud-load-balancing', etag: string): Promise<RunService> {
    return this.run({ call: 'setIngress', kind: 'service', name: ref.service }, () => {
      const current = this.services.get(servicePath(ref));
      if (!current) throw new GcpError('notFound', `service ${ref.service} not found`, 5, 404);
      if (current.etag !== etag) throw new GcpError('conflict', `etag mismatch for ${ref.service}`, 10, 409, 'aborted');
      const updated = { ...current, ingress, etag: this.token('etag') };
      this.services.set(current.name, updated);
      return structuredClone(updated);
    });
  }

  /** Replaces vpcAccess only, as updateMask=template.vpcAccess does; a new revision, as Cloud Run makes. */
  async setVpcAccess(ref: ServiceRef, vpcAccess: DeclaredVpcAccess, etag: string): Promise<RunService> {
    return this.run({ call: 'setVpcAccess', kind: 'service', name: ref.service }, () => {
      const current = this.services.get(servicePath(ref));
      if (!current) throw new GcpError('notFound', `service ${ref.service} not found`, 5, 404);
      if (current.etag !== etag) throw new GcpError('conflict', `etag mismatch for ${ref.service}`, 10, 409, 'aborted');
      const observed = observedVpcAccess(v2VpcAccess(vpcAccess));
      const updated: RunService = { ...current, etag: this.token('etag'), latestCreatedRevision: `${ref.service}-${this.token('rev')}` };
      if (observed) updated.vpcAccess = observed;
      else delete updated.vpcAccess;
      this.services.set(current.name, updated);
      return structuredClone(updated);
    });
  }

  async get<K extends ResourceKind>(kind: K, ref: ResourceRef): Promise<Observed<K> | null> {
    return this.run({ call: 'get', kind, name: ref.name }, () => this.peek(kind, ref) ?? null);
  }

  async insert<K extends ResourceKind>(kind: K, ref: ResourceRef, resource: ResourceOf[K], requestId: string): Promise<void> {
    return this.run({ call: 'insert', kind, name: ref.name }, () => {
      requireRequestId(requestId);
      // Compute answers a repeated requestId with the original operation: the retry is a no-op.
      if (this.requestIds.has(requestId)) return;
      if (this.store(kind).has(regionalUrl(kind, ref))) {
        throw new GcpError('alreadyExists', `The resource '${regionalUrl(kind, ref)}' already exists`, 10, 409, 'alreadyExists');
      }
      const body = structuredClone(resource) as ResourceOf[K];
      this.resolveReferences(kind, ref, body);
      this.put(kind, ref, body);
      this.requestIds.add(requestId);
    });
  }

  async mutate(mutation: Mutation): Promise<void> {
    const { kind, ref } = mutation;
    return this.run({ call: 'mutate', kind, name: ref.name }, () => {
      const current = this.peek(kind, ref);
      if (!current) throw new GcpError('notFound', `${kind} ${ref.name} not found`, 5, 404, 'notFound');
      if ('fingerprint' in mutation && mutation.fingerprint !== current.fingerprint) {
        throw new GcpError('conflict', `fingerprint of ${kind} ${ref.name} is stale`, 9, 412, 'conditionNotMet');
      }
      const change =
        mutation.method === 'patch'
          ? mutation.fields
          : mutation.method === 'setUrlMap'
            ? { urlMap: mutation.urlMap }
            : { target: mutation.target };
      const next = { ...current, ...structuredClone(change) } as ResourceOf[typeof kind];
      this.resolveReferences(kind, ref, next);
      this.put(kind, ref, next);
    });
  }

  async delete(kind: ResourceKind, ref: ResourceRef, requestId: string): Promise<void> {
    return this.run({ call: 'delete', kind, name: ref.name }, () => {
      requireRequestId(requestId);
      const target = this.peek(kind, ref);
      if (!target) throw new GcpError('notFound', `${kind} ${ref.name} not found`, 5, 404, 'notFound');
      const user = this.referrerOf(target.selfLink, kind === 'address' ? (target as Observed<'address'>).address : undefined);
      if (user) {
        throw new GcpError(
          'permanent',
          `The ${kind} resource '${target.selfLink}' is already being used by '${user}'`,
          3,
          400,
          'resourceInUseByAnotherResource',
        );
      }
      this.remove(kind, ref);
    });
  }

  // ---- rules ------------------------------------------------------------------------------

  private async run<T>(record: CallRecord, body: () => T): Promise<T> {
    const entry = { ...record };
    this.calls.push(entry);
    if (WRITE_CALLS.has(record.call)) this.writes.push(entry);
    try {
      const fault = this.takeFault(record);
      fault?.before?.();
      if (fault?.delay) await fault.delay();
      if (fault?.error) throw fault.error;
      const value = body();
      entry.result = 'ok';
      fault?.after?.();
      if (fault?.lostResponse) throw fault.lostResponse;
      return value;
    } catch (error) {
      entry.result = error instanceof GcpError ? error.errorClass : 'permanent';
      throw error;
    }
  }

  private takeFault(record: CallRecord): Fault | undefined {
    const index = this.faults.findIndex(
      (f) => (f.call ?? record.call) === record.call && (f.kind ?? record.kind) === record.kind && (f.name ?? record.name) === record.name,
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Compute refuses references to missing resources and stores the address's literal IP. */
  private resolveReferences(kind: ResourceKind, ref: ResourceRef, body: ResourceOf[ResourceKind]): void {
    const mustExist = (target: ResourceKind, link: string | undefined) => {
      if (link !== undefined && !this.store(target).has(regionalUrl(target, { ...ref, name: nameOf(link) }))) {
        throw new GcpError('permanent', `Invalid value for field: the ${target} '${link}' was not found`, 3, 400, 'invalid');
      }
    };
    if (kind === 'backendService') for (const b of (body as ResourceOf['backendService']).backends ?? []) mustExist('neg', b.group);
    if (kind === 'urlMap') mustExist('backendService', (body as ResourceOf['urlMap']).defaultService);
    if (kind === 'targetProxy') mustExist('urlMap', (body as ResourceOf['targetProxy']).urlMap);
    if (kind === 'forwardingRule') {
      const rule = body as ResourceOf['forwardingRule'];
      mustExist('targetProxy', rule.target);
      if (rule.IPAddress?.includes('/')) {
        mustExist('address', rule.IPAddress);
        rule.IPAddress = this.peek('address', { ...ref, name: nameOf(rule.IPAddress) })?.address;
      }
    }
  }

  /** selfLink of a stored resource that references `link` (or uses the IP `ip`), if any. */
  private referrerOf(link: string, ip: string | undefined): string | undefined {
    for (const b of this.stored.backendService.values()) if ((b.backends ?? []).some((x) => sameRef(x.group, link))) return b.selfLink;
    for (const m of this.stored.urlMap.values()) if (sameRef(m.defaultService, link)) return m.selfLink;
    for (const p of this.stored.targetProxy.values()) if (sameRef(p.urlMap, link)) return p.selfLink;
    for (const r of this.stored.forwardingRule.values()) {
      if (sameRef(r.target, link) || (ip !== undefined && r.IPAddress === ip)) return r.selfLink;
    }
    return undefined;
  }

  private store<K extends ResourceKind>(kind: K): Map<string, Observed<K>> {
    return this.stored[kind] as Map<string, Observed<K>>;
  }

  private token(prefix: string): string {
    this.version += 1;
    return `${prefix}-${this.version}`;
  }
}

function servicePath(ref: ServiceRef): string {
  return `projects/${ref.project}/locations/${ref.region}/services/${ref.service}`;
}

// ---- fixtures -----------------------------------------------------------------------------

/** A declared VPC access as Cloud Run would read it back. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Compute refuses a requestId that is not a UUID (or is the zero UUID), as the emulator does. */
function requireRequestId(requestId: string): void {
  if (!UUID.test(requestId) || /^[0-]+$/.test(requestId)) {
    throw new GcpError(
      'permanent',
      `Invalid value for field 'requestId': '${requestId}'. The request ID must be a valid UUID with the exception that zero UUID is not supported (00000000-0000-0000-0000-000000000000).`,
      3,
      400,
      'invalid',
    );
  }
}

export function declaredVpcAccess(access: DeclaredVpcAccess): NonNullable<RunService['vpcAccess']> {
  return observedVpcAccess(v2VpcAccess(access))!;
}

/** The blog's example service, fully resolved as the config loader would resolve it. */
export function demoService(overrides: { service?: string; namePrefix?: string; ipAddress?: string } = {}): DeclaredService {
  return declaredService(overrides.service, overrides.namePrefix, overrides.ipAddress);
}

export function demoMesh(services: DeclaredService[] = [demoService()], policy: Partial<Mesh['policy']> = {}): Mesh {
  return { services, policy: { ...DEFAULT_POLICY, ...policy } };
}

/** Seeds the service (ingress as declared), its whole chain and its clients in the declared state. */
export function seedDeclared(port: FakePort, svc: DeclaredService): void {
  port.putService({ project: svc.project, region: svc.region, service: svc.service }, { ingress: svc.ingress });
  for (const client of svc.clients) port.putService(client, { ingress: 'internal', vpcAccess: declaredVpcAccess(client.vpcAccess) });
  const chain = desiredChain(svc);
  for (const kind of RESOURCE_KINDS) {
    const ref = { project: svc.project, region: svc.region, name: svc.loadBalancer.names[kind] };
    const body = kind === 'forwardingRule' ? { ...chain.forwardingRule, IPAddress: svc.loadBalancer.ipAddress } : chain[kind];
    port.put(kind, ref, body);
  }
}

/** A read round that saw exactly the declaration (plain data, for diff and plan tests). */
export function declaredSnapshot(svc: DeclaredService): ObservedMesh {
  const chain = desiredChain(svc);
  const observed = (kind: ResourceKind) => ({
    ...structuredClone(chain[kind]),
    selfLink: regionalUrl(kind, { project: svc.project, region: svc.region, name: svc.loadBalancer.names[kind] }),
    fingerprint: `fp-${kind}`,
  });
  const resources = Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, observed(kind)])) as unknown as ObservedMesh['resources'];
  resources.forwardingRule!.IPAddress = svc.loadBalancer.ipAddress;
  return {
    service: {
      name: `projects/${svc.project}/locations/${svc.region}/services/${svc.service}`,
      ingress: svc.ingress,
      etag: 'etag-1',
      annotations: {},
    },
    clients: svc.clients.map((client) => ({
      name: `projects/${client.project}/locations/${client.region}/services/${client.service}`,
      ingress: 'internal',
      etag: 'etag-1',
      annotations: {},
      vpcAccess: declaredVpcAccess(client.vpcAccess),
    })),
    resources,
  };
}
