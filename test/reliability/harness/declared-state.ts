// The judge of convergence, independent of the code under test: reads the emulator over REST and
// checks each declared service against mesh.yaml field by field (its own comparisons, not the
// reconciler's diff), so a reconciler that agreed with itself about a wrong state still fails.
import { COLLECTION, type DeclaredService, type Mesh } from '../../../functions/config/mesh';
import { partialPath } from '../../../functions/gcp/refs';
import type { Emulator } from '../../emulator';
import { Human } from './human';

type Json = Record<string, unknown>;

const V2_INGRESS: Record<DeclaredService['ingress'], string> = {
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

/** Declared resource paths (compute `projects/P/regions/R/coll/name`, run `projects/P/locations/R/services/S`). */
export function declaredResourceNames(mesh: Mesh): Set<string> {
  const names = new Set<string>();
  for (const s of mesh.services) {
    names.add(`projects/${s.project}/locations/${s.region}/services/${s.service}`);
    for (const [kind, name] of Object.entries(s.loadBalancer.names)) {
      names.add(`projects/${s.project}/regions/${s.region}/${COLLECTION[kind as keyof typeof COLLECTION]}/${name}`);
    }
  }
  return names;
}

const refersTo = (ref: unknown, collection: string, name: string): boolean =>
  typeof ref === 'string' && partialPath(ref).endsWith(`/${collection}/${name}`);

/** What differs from the declaration, one line per problem (empty = converged). */
export async function declaredStateProblems(emulator: Emulator, svc: DeclaredService): Promise<string[]> {
  const reader = new Human(emulator, 'auditor@example.com');
  const { project, region } = svc;
  const lb = svc.loadBalancer;
  const n = lb.names;
  const problems: string[] = [];
  const expect = (ok: boolean, what: string, found: unknown): void => {
    if (!ok) problems.push(`${svc.key}: ${what} (found ${JSON.stringify(found)})`);
  };
  const read = async (what: string, get: () => Promise<Json>): Promise<Json | undefined> => {
    try {
      return await get();
    } catch (err) {
      problems.push(`${svc.key}: ${what} unreadable or missing: ${(err as Error).message.slice(0, 160)}`);
      return undefined;
    }
  };

  const service = await read('Cloud Run service', () => reader.getService(project, region, svc.service));
  if (service) expect(service.ingress === V2_INGRESS[svc.ingress], `ingress must be ${V2_INGRESS[svc.ingress]}`, service.ingress);

  const address = await read('address', () => reader.get('address', project, region, n.address));
  if (address) {
    expect(address.address === lb.ipAddress, `address must be ${lb.ipAddress}`, address.address);
    expect(address.addressType === 'INTERNAL', 'address must be INTERNAL', address.addressType);
  }
  const neg = await read('NEG', () => reader.get('neg', project, region, n.neg));
  if (neg) expect((neg.cloudRun as Json | undefined)?.service === svc.service, `NEG must point at ${svc.service}`, neg.cloudRun);

  const backend = await read('backend service', () => reader.get('backendService', project, region, n.backendService));
  if (backend) {
    const groups = ((backend.backends as Json[] | undefined) ?? []).map((b) => b.group);
    expect(
      groups.some((g) => refersTo(g, COLLECTION.neg, n.neg)),
      `backend must contain NEG ${n.neg}`,
      groups,
    );
    expect(
      backend.timeoutSec === 30,
      'backend timeoutSec must be 30, the value Google fixes for serverless NEG backends',
      backend.timeoutSec,
    );
    expect(
      backend.localityLbPolicy === lb.backend.localityLbPolicy,
      `backend localityLbPolicy must be ${lb.backend.localityLbPolicy}`,
      backend.localityLbPolicy,
    );
    expect(
      backend.sessionAffinity === lb.backend.sessionAffinity,
      `backend sessionAffinity must be ${lb.backend.sessionAffinity}`,
      backend.sessionAffinity,
    );
    expect(backend.loadBalancingScheme === 'INTERNAL_MANAGED', 'backend scheme must be INTERNAL_MANAGED', backend.loadBalancingScheme);
  }
  const urlMap = await read('URL map', () => reader.get('urlMap', project, region, n.urlMap));
  if (urlMap)
    expect(
      refersTo(urlMap.defaultService, COLLECTION.backendService, n.backendService),
      `URL map must default to ${n.backendService}`,
      urlMap.defaultService,
    );
  const proxy = await read('target proxy', () => reader.get('targetProxy', project, region, n.targetProxy));
  if (proxy) expect(refersTo(proxy.urlMap, COLLECTION.urlMap, n.urlMap), `proxy must use URL map ${n.urlMap}`, proxy.urlMap);
  const rule = await read('forwarding rule', () => reader.get('forwardingRule', project, region, n.forwardingRule));
  if (rule) {
    expect(refersTo(rule.target, COLLECTION.targetProxy, n.targetProxy), `forwarding rule must target ${n.targetProxy}`, rule.target);
    expect(rule.IPAddress === lb.ipAddress, `forwarding rule IP must be ${lb.ipAddress}`, rule.IPAddress);
    expect(rule.loadBalancingScheme === 'INTERNAL_MANAGED', 'forwarding rule scheme must be INTERNAL_MANAGED', rule.loadBalancingScheme);
  }
  return problems;
}

export async function meshProblems(emulator: Emulator, mesh: Mesh): Promise<string[]> {
  return (await Promise.all(mesh.services.map((s) => declaredStateProblems(emulator, s)))).flat();
}
