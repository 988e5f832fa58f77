// Randomized drift: what a person does to one declared service (open its ingress, delete part of
// its chain top-down, detach the NEG, change backend settings, re-point the URL map, proxy or
// forwarding rule at look-alike "decoy" resources), with the faults the emulator injects while the
// function repairs it. Seeded: the same seed gives the same scenarios.
import { COLLECTION, RESOURCE_KINDS, type DeclaredService, type ResourceKind } from '../../../functions/config/mesh';
import { partialPath, regionalUrl, toUrl } from '../../../functions/gcp/refs';
import type { FaultSettings } from '../../emulator';
import type { Random } from '../../emulator/random';
import type { Human } from './human';

export type DriftKind =
  | 'ingress-open'
  | 'delete-chain'
  | 'detach-neg'
  | 'backend-settings'
  | 'repoint-url-map'
  | 'repoint-proxy'
  | 'repoint-rule'
  /** immutable drift: address and forwarding rule re-created on another IP (repaired only with recreateOnImmutableDrift) */
  | 'immutable-address';

export interface Drift {
  kind: DriftKind;
  /** delete-chain: how many resources, from the forwarding rule down */
  depth?: number;
}

export interface Scenario {
  index: number;
  service: DeclaredService;
  drifts: Drift[];
  /** faults while the function repairs (30% 429/503, random latency, 10% failing operations, forced 409s) */
  faults: Partial<FaultSettings>;
}

/** The chain from its top (what nothing references) down: the order a person must delete in. */
const TOP_DOWN: ResourceKind[] = [...RESOURCE_KINDS].reverse();
const IN_PLACE: DriftKind[] = ['detach-neg', 'backend-settings', 'repoint-url-map', 'repoint-proxy', 'repoint-rule'];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** `immutable`: every scenario starts with immutable drift (for a mesh with recreateOnImmutableDrift). */
export function randomScenario(random: Random, index: number, service: DeclaredService, options: { immutable?: boolean } = {}): Scenario {
  const drifts: Drift[] = [];
  let deleted: ResourceKind[] = [];
  if (options.immutable) {
    drifts.push({ kind: 'immutable-address' });
    deleted = ['forwardingRule', 'address'];
  }
  if (random() < 0.5) drifts.push({ kind: 'ingress-open' });
  if (options.immutable) {
    for (const kind of IN_PLACE) if (random() < 0.25) drifts.push({ kind });
  } else if (random() < 0.45) {
    const depth = 1 + Math.floor(random() * TOP_DOWN.length);
    deleted = TOP_DOWN.slice(0, depth);
    drifts.push({ kind: 'delete-chain', depth });
  } else for (const kind of IN_PLACE) if (random() < 0.35) drifts.push({ kind });
  if (drifts.length === 0) drifts.push({ kind: pick(random, IN_PLACE) });
  const faults: Partial<FaultSettings> = {
    rate429: 0.15,
    rate503: 0.15,
    latencyMs: Math.floor(random() * 25),
    failOperationRate: 0.1,
    // a forced race only bites on a re-create: pick one of the deleted kinds
    race409: deleted.length > 0 && random() < 0.7 ? { [COLLECTION[pick(random, deleted)]]: 1 } : {},
  };
  return { index, service, drifts, faults };
}

export function describeScenario(s: Scenario): string {
  return `#${s.index} ${s.service.service}: ${s.drifts.map((d) => (d.depth ? `${d.kind}(${d.depth})` : d.kind)).join(' + ')}`;
}

const decoyName = (svc: DeclaredService, suffix: string): string => `decoy-${svc.service}-${suffix}`;

/** Look-alike resources outside the declaration that drift re-points things at (a person's own chain). */
export async function createDecoys(human: Human, svc: DeclaredService): Promise<void> {
  const { project, region } = svc;
  const ref = (name: string) => ({ project, region, name });
  await human.insert('backendService', project, region, {
    name: decoyName(svc, 'backend'),
    protocol: 'HTTP',
    loadBalancingScheme: 'INTERNAL_MANAGED',
    backends: [],
  });
  await human.insert('urlMap', project, region, {
    name: decoyName(svc, 'url-map'),
    defaultService: regionalUrl('backendService', ref(decoyName(svc, 'backend'))),
  });
  await human.insert('targetProxy', project, region, {
    name: decoyName(svc, 'proxy'),
    urlMap: regionalUrl('urlMap', ref(decoyName(svc, 'url-map'))),
  });
}

export async function applyDrift(human: Human, s: Scenario): Promise<void> {
  const svc = s.service;
  const { project, region } = svc;
  const names = svc.loadBalancer.names;
  const ref = (name: string) => ({ project, region, name });
  for (const drift of s.drifts) {
    switch (drift.kind) {
      case 'ingress-open':
        await human.setIngress(project, region, svc.service, 'INGRESS_TRAFFIC_ALL');
        break;
      case 'delete-chain':
        for (const kind of TOP_DOWN.slice(0, drift.depth)) await human.delete(kind, project, region, names[kind]);
        break;
      case 'detach-neg':
        await human.patch('backendService', project, region, names.backendService, { backends: [] });
        break;
      case 'backend-settings':
        await human.patch('backendService', project, region, names.backendService, {
          localityLbPolicy: 'RANDOM',
          sessionAffinity: 'CLIENT_IP',
        });
        break;
      case 'repoint-url-map':
        await human.patch('urlMap', project, region, names.urlMap, {
          defaultService: regionalUrl('backendService', ref(decoyName(svc, 'backend'))),
        });
        break;
      case 'repoint-proxy':
        await human.setUrlMap(project, region, names.targetProxy, regionalUrl('urlMap', ref(decoyName(svc, 'url-map'))));
        break;
      case 'repoint-rule':
        await human.setTarget(project, region, names.forwardingRule, regionalUrl('targetProxy', ref(decoyName(svc, 'proxy'))));
        break;
      case 'immutable-address':
        await recreateOnOtherIp(human, svc);
        break;
    }
  }
}

/** What a person does to move the load balancer to another IP: rule and address gone, both back on a new one. */
async function recreateOnOtherIp(human: Human, svc: DeclaredService): Promise<void> {
  const { project, region, loadBalancer: lb } = svc;
  const octets = lb.ipAddress.split('.');
  const ip = [...octets.slice(0, 3), String((Number(octets[3]) + 100) % 250)].join('.');
  const subnetwork = toUrl(partialPath(lb.subnetwork));
  await human.delete('forwardingRule', project, region, lb.names.forwardingRule);
  await human.delete('address', project, region, lb.names.address);
  await human.insert('address', project, region, {
    name: lb.names.address,
    addressType: 'INTERNAL',
    address: ip,
    subnetwork,
    purpose: 'SHARED_LOADBALANCER_VIP',
  });
  await human.insert('forwardingRule', project, region, {
    name: lb.names.forwardingRule,
    IPAddress: ip,
    IPProtocol: 'TCP',
    portRange: `${lb.port}-${lb.port}`,
    loadBalancingScheme: 'INTERNAL_MANAGED',
    network: toUrl(partialPath(lb.network)),
    subnetwork,
    target: regionalUrl('targetProxy', { project, region, name: lb.names.targetProxy }),
  });
}
