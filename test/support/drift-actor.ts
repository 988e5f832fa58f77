// A person breaking the mesh, through the emulator's REST surface the way the console, gcloud or
// a cleanup script would: with their own bearer token (so audit entries name them), waiting for
// each compute operation, and detaching a resource before deleting it when Compute demands it
// (a referenced resource cannot be deleted). Decoys are resources outside the declaration that a
// person re-points things at; the remediator must never write to them.
import { COLLECTION, type DeclaredService, type ResourceKind, type VpcEgress } from '../../functions/config/mesh';
import { regionalUrl } from '../../functions/gcp/refs';

export const DECOY = { backendService: 'decoy-backend-svc', urlMap: 'decoy-url-map', targetProxy: 'decoy-target-proxy' } as const;

type Json = Record<string, unknown>;
/** A Cloud Run service by name: a declared service or one of its clients. */
type RunServiceAt = Pick<DeclaredService, 'project' | 'region' | 'service'>;
type V1Service = { spec: { template: { metadata: { annotations: Record<string, string> } } } };

export class DriftActor {
  constructor(
    private readonly baseUrl: string,
    readonly principal = 'alice@example.com',
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer principal:${this.principal}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${this.principal}: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as Json) : {};
  }

  /** Compute: call, then wait for the operation like gcloud does. */
  private async computeCall(s: DeclaredService, method: string, path: string, body?: unknown): Promise<void> {
    const op = await this.call(method, path, body);
    for (let i = 0; op.name && i < 100; i++) {
      const done = await this.call('POST', `/compute/v1/projects/${s.project}/regions/${s.region}/operations/${String(op.name)}/wait`);
      if (done.status === 'DONE') {
        if (done.error) throw new Error(`${method} ${path}: operation failed: ${JSON.stringify(done.error)}`);
        return;
      }
    }
  }

  private path(s: DeclaredService, kind: ResourceKind, name = s.loadBalancer.names[kind]): string {
    return `/compute/v1/projects/${s.project}/regions/${s.region}/${COLLECTION[kind]}/${name}`;
  }

  private url(s: DeclaredService, kind: ResourceKind, name: string): string {
    return regionalUrl(kind, { project: s.project, region: s.region, name });
  }

  private servicePath(s: RunServiceAt, version: 'v1' | 'v2' = 'v2'): string {
    return `/${version}/projects/${s.project}/locations/${s.region}/services/${s.service}`;
  }

  get(s: DeclaredService, kind: ResourceKind, name?: string): Promise<Json> {
    return this.call('GET', this.path(s, kind, name));
  }

  /** Someone flips ingress in the console (v2 UpdateService). */
  async openIngress(s: DeclaredService, ingress = 'INGRESS_TRAFFIC_ALL'): Promise<void> {
    const service = await this.call('GET', this.servicePath(s));
    await this.call('PATCH', `${this.servicePath(s)}?updateMask=ingress`, { ingress, etag: service.etag });
  }

  /**
   * Someone removes a client's VPC access in the console: a full v2 UpdateService whose template
   * has no vpcAccess (a new revision that can no longer reach internal IPs).
   */
  async removeVpcAccess(client: RunServiceAt): Promise<void> {
    const service = await this.call('GET', this.servicePath(client));
    const { vpcAccess: _removed, ...template } = service.template as Json;
    await this.call('PATCH', this.servicePath(client), { ...service, template });
  }

  /**
   * `gcloud run services update --vpc-egress=...`: a Cloud Run v1 ReplaceService of the whole
   * service with the template's `run.googleapis.com/vpc-access-egress` annotation changed.
   */
  async setVpcEgressV1(client: RunServiceAt, egress: VpcEgress): Promise<void> {
    const service = (await this.call('GET', this.servicePath(client, 'v1'))) as unknown as V1Service;
    service.spec.template.metadata.annotations['run.googleapis.com/vpc-access-egress'] = egress;
    await this.call('PUT', this.servicePath(client, 'v1'), service);
  }

  /** Sets `mesh-remediator/paused-until` on the Cloud Run service. */
  async annotate(s: DeclaredService, annotations: Record<string, string>): Promise<void> {
    const service = await this.call('GET', this.servicePath(s));
    const merged = { ...((service.annotations as Record<string, string>) ?? {}), ...annotations };
    await this.call('PATCH', `${this.servicePath(s)}?updateMask=annotations`, { annotations: merged, etag: service.etag });
  }

  /** Decoys (outside the declaration) to re-point things at: a backend, a URL map, a proxy. */
  async createDecoys(s: DeclaredService): Promise<void> {
    const base = `/compute/v1/projects/${s.project}/regions/${s.region}`;
    await this.computeCall(s, 'POST', `${base}/backendServices`, {
      name: DECOY.backendService,
      protocol: 'HTTP',
      loadBalancingScheme: 'INTERNAL_MANAGED',
      backends: [],
    });
    await this.computeCall(s, 'POST', `${base}/urlMaps`, {
      name: DECOY.urlMap,
      defaultService: this.url(s, 'backendService', DECOY.backendService),
    });
    await this.computeCall(s, 'POST', `${base}/targetHttpProxies`, {
      name: DECOY.targetProxy,
      urlMap: this.url(s, 'urlMap', DECOY.urlMap),
    });
  }

  async deleteResource(s: DeclaredService, kind: ResourceKind): Promise<void> {
    await this.computeCall(s, 'DELETE', this.path(s, kind));
  }

  /** NEG detached: the backend service's backends emptied (a Terraform run dropping the NEG). */
  async detachNeg(s: DeclaredService): Promise<void> {
    const backend = await this.get(s, 'backendService');
    await this.computeCall(s, 'PATCH', this.path(s, 'backendService'), { backends: [], fingerprint: backend.fingerprint });
  }

  async pointUrlMapAt(s: DeclaredService, backendName: string): Promise<void> {
    const urlMap = await this.get(s, 'urlMap');
    await this.computeCall(s, 'PATCH', this.path(s, 'urlMap'), {
      defaultService: this.url(s, 'backendService', backendName),
      fingerprint: urlMap.fingerprint,
    });
  }

  async pointProxyAt(s: DeclaredService, urlMapName: string): Promise<void> {
    await this.computeCall(s, 'POST', `${this.path(s, 'targetProxy')}/setUrlMap`, { urlMap: this.url(s, 'urlMap', urlMapName) });
  }

  async pointRuleAt(s: DeclaredService, proxyName: string): Promise<void> {
    await this.computeCall(s, 'POST', `${this.path(s, 'forwardingRule')}/setTarget`, { target: this.url(s, 'targetProxy', proxyName) });
  }

  /**
   * Deletes one chain resource the only way Compute allows: whatever references it is first
   * re-pointed at a decoy (or, for the address, its forwarding rule goes too). Needs createDecoys.
   */
  async deleteAlone(s: DeclaredService, kind: ResourceKind): Promise<void> {
    switch (kind) {
      case 'neg':
        await this.detachNeg(s);
        break;
      case 'backendService':
        await this.pointUrlMapAt(s, DECOY.backendService);
        break;
      case 'urlMap':
        await this.pointProxyAt(s, DECOY.urlMap);
        break;
      case 'targetProxy':
        await this.pointRuleAt(s, DECOY.targetProxy);
        break;
      case 'address':
        // An address in use by a forwarding rule cannot be released: the rule goes first.
        await this.deleteResource(s, 'forwardingRule');
        break;
      case 'forwardingRule':
        break;
    }
    await this.deleteResource(s, kind);
  }

  /** A cleanup script tearing the whole chain down, dependents first. */
  async deleteChain(s: DeclaredService): Promise<void> {
    for (const kind of ['forwardingRule', 'targetProxy', 'urlMap', 'backendService', 'neg', 'address'] as const) {
      await this.deleteResource(s, kind);
    }
  }

  /** Immutable drift: the forwarding rule recreated on another port (only delete + insert can do that). */
  async recreateRuleOnPort(s: DeclaredService, port: number): Promise<void> {
    const rule = await this.get(s, 'forwardingRule');
    await this.deleteResource(s, 'forwardingRule');
    const { name, IPAddress, IPProtocol, loadBalancingScheme, network, subnetwork, target } = rule;
    await this.computeCall(s, 'POST', `/compute/v1/projects/${s.project}/regions/${s.region}/forwardingRules`, {
      name,
      IPAddress,
      IPProtocol,
      loadBalancingScheme,
      network,
      subnetwork,
      target,
      portRange: String(port),
    });
  }
}
