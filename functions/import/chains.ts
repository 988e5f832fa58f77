// Pure: an Inventory → one mesh entry per complete chain, walked up from each serverless NEG that
// points at a Cloud Run service: backend services using the NEG → URL maps defaulting to them →
// target proxies → INTERNAL_MANAGED forwarding rules → the address holding the rule's IP. A chain
// that is partial, ambiguous, foreign (not a regional internal ALB) or would not read back as
// declared is left out with the reason: never guessed.
import {
  DEFAULT_BACKEND,
  DEFAULT_POLICY,
  NAME_SUFFIX,
  RESOURCE_KINDS,
  serviceKey,
  type ResourceKind,
  type ResourceNames,
} from '../config/mesh';
import type { ServiceDocument } from '../config/mesh-document';
import { resolveMesh } from '../config/resolve';
import type { Observed } from '../gcp/port';
import { partialPath, sameRef } from '../gcp/refs';
import { diff } from '../reconcile/diff';
import { driftLine } from '../notify/describe';
import type { Inventory } from './inventory';

/** One complete chain as a mesh entry, with a note on where each value came from. */
export interface ImportedChain {
  key: string;
  document: ServiceDocument;
  /** Dotted path inside the entry (`loadBalancer.ipAddress`) → where its value came from. */
  notes: Record<string, string>;
  /** The chain it was read from, one resource per line, service first. */
  chain: string[];
}

export interface LeftOut {
  /** The NEG (or service) the walk started from. */
  what: string;
  reason: string;
}

export interface FoundChains {
  chains: ImportedChain[];
  leftOut: LeftOut[];
}

const INTERNAL_MANAGED = 'INTERNAL_MANAGED';
const ADDRESSABLE_INGRESS = new Set(['internal', 'internal-and-cloud-load-balancing']);

class LeftOutError extends Error {}

export function findChains(inventory: Inventory): FoundChains {
  const chains: Array<{ chain: ImportedChain; what: string }> = [];
  const leftOut: LeftOut[] = [];
  const { project, region } = inventory.scope;
  for (const neg of inventory.resources.neg) {
    if (neg.networkEndpointType !== 'SERVERLESS' || !neg.cloudRun?.service) continue;
    const what = `NEG ${project}/${region}/${neg.name} → Cloud Run service ${neg.cloudRun.service}`;
    try {
      chains.push({ chain: walk(inventory, neg), what });
    } catch (err) {
      if (!(err instanceof LeftOutError)) throw err;
      leftOut.push({ what, reason: err.message });
    }
  }
  // Two complete chains to one service cannot both be its declaration.
  const byKey = new Map<string, typeof chains>();
  for (const found of chains) byKey.set(found.chain.key, [...(byKey.get(found.chain.key) ?? []), found]);
  const kept: ImportedChain[] = [];
  for (const [key, same] of byKey) {
    if (same.length === 1) kept.push(same[0]!.chain);
    else
      for (const { what } of same)
        leftOut.push({ what, reason: `ambiguous: ${same.length} complete chains lead to ${key}; declare the one that serves it by hand` });
  }
  kept.sort((a, b) => a.key.localeCompare(b.key));
  leftOut.sort((a, b) => a.what.localeCompare(b.what));
  return { chains: kept, leftOut };
}

function walk(inventory: Inventory, neg: Observed<'neg'>): ImportedChain {
  const { project, region } = inventory.scope;
  const r = inventory.resources;
  const origin = (kind: string, resource: { name: string; selfLink: string }) => {
    const from = inventory.origin.get(resource.selfLink);
    return `${kind} ${resource.name}${from && from !== 'listed' ? ` (${from})` : ''}`;
  };
  const one = <T extends { name: string }>(found: T[], none: string, several: (names: string) => string): T => {
    if (found.length === 0) throw new LeftOutError(none);
    if (found.length > 1)
      throw new LeftOutError(
        several(
          found
            .map((f) => f.name)
            .sort()
            .join(', '),
        ),
      );
    return found[0]!;
  };
  if (neg.cloudRun?.tag || neg.cloudRun?.urlMask)
    throw new LeftOutError(
      `the NEG routes by ${neg.cloudRun.tag ? 'revision tag' : 'URL mask'}; the mesh declares a NEG for the whole service`,
    );

  const backend = one(
    r.backendService.filter((b) => (b.backends ?? []).some((x) => sameRef(x.group, neg.selfLink))),
    'partial chain: no backend service uses the NEG',
    (n) => `ambiguous: backend services ${n} all use the NEG`,
  );
  if (backend.loadBalancingScheme !== INTERNAL_MANAGED) {
    throw new LeftOutError(
      `foreign chain: backend service ${backend.name} is ${backend.loadBalancingScheme ?? 'unset'}, not ${INTERNAL_MANAGED} (not a regional internal Application Load Balancer)`,
    );
  }
  const otherNegs = (backend.backends ?? []).filter(
    (x) => !sameRef(x.group, neg.selfLink) && r.neg.some((n) => sameRef(n.selfLink, x.group) && n.networkEndpointType === 'SERVERLESS'),
  );
  if (otherNegs.length > 0)
    throw new LeftOutError(
      `ambiguous: backend service ${backend.name} also serves the serverless NEG(s) ${otherNegs.map((x) => partialPath(x.group ?? '')).join(', ')}`,
    );

  const urlMap = one(
    r.urlMap.filter(
      (m) => sameRef(m.defaultService, backend.selfLink) || (m.pathMatchers ?? []).some((p) => sameRef(p.defaultService, backend.selfLink)),
    ),
    `partial chain: no URL map routes to backend service ${backend.name}`,
    (n) => `ambiguous: URL maps ${n} all route to backend service ${backend.name}`,
  );
  if ((urlMap.pathMatchers ?? []).length > 0 || (urlMap.hostRules ?? []).length > 0) {
    throw new LeftOutError(
      `URL map ${urlMap.name} has host rules or path matchers; the mesh declares a URL map with a default service only`,
    );
  }
  const proxy = one(
    r.targetProxy.filter((p) => sameRef(p.urlMap, urlMap.selfLink)),
    `partial chain: no target HTTP proxy uses URL map ${urlMap.name}`,
    (n) => `ambiguous: target proxies ${n} all use URL map ${urlMap.name}`,
  );
  const rule = one(
    r.forwardingRule.filter((f) => sameRef(f.target, proxy.selfLink)),
    `partial chain: no forwarding rule targets proxy ${proxy.name}`,
    (n) => `ambiguous: forwarding rules ${n} all target proxy ${proxy.name}`,
  );
  if (rule.loadBalancingScheme !== INTERNAL_MANAGED)
    throw new LeftOutError(
      `foreign chain: forwarding rule ${rule.name} is ${rule.loadBalancingScheme ?? 'unset'}, not ${INTERNAL_MANAGED}`,
    );
  const address = one(
    r.address.filter(
      (a) =>
        a.addressType === 'INTERNAL' &&
        (a.address === rule.IPAddress || sameRef(a.selfLink, rule.IPAddress)) &&
        sameRef(a.subnetwork, rule.subnetwork),
    ),
    `partial chain: no reserved internal address holds ${rule.IPAddress ?? 'the IP'} of forwarding rule ${rule.name} in its subnetwork (an ephemeral IP cannot be declared)`,
    (n) => `ambiguous: addresses ${n} all hold ${rule.IPAddress}`,
  );
  const port = singlePort(rule.portRange);
  if (port === undefined)
    throw new LeftOutError(`forwarding rule ${rule.name} serves port range ${rule.portRange ?? '(unset)'}; the mesh declares one port`);
  if (!rule.network || !rule.subnetwork) throw new LeftOutError(`forwarding rule ${rule.name} does not name its network and subnetwork`);

  const serviceName = neg.cloudRun!.service!;
  const service = inventory.services.get(serviceName);
  if (!service)
    throw new LeftOutError(
      `partial chain: Cloud Run service ${serviceName} was not found in ${project}/${region} (its ingress is unknown)`,
    );
  if (!ADDRESSABLE_INGRESS.has(service.ingress)) {
    throw new LeftOutError(
      `Cloud Run service ${serviceName} has ingress ${service.ingress}; declaring it would close it (declare it by hand if that is what you want)`,
    );
  }

  const found: Record<ResourceKind, { name: string; selfLink: string }> = {
    address,
    neg,
    backendService: backend,
    urlMap,
    targetProxy: proxy,
    forwardingRule: rule,
  };
  const naming = chooseNames(Object.fromEntries(RESOURCE_KINDS.map((k) => [k, found[k].name])) as ResourceNames);
  const backendDoc = backendSettings(backend);
  const document: ServiceDocument = {
    project,
    region,
    service: serviceName,
    ingress: service.ingress as ServiceDocument['ingress'],
    loadBalancer: {
      namePrefix: naming.prefix,
      network: partialPath(rule.network),
      subnetwork: partialPath(rule.subnetwork),
      ipAddress: address.address!,
      port,
      ...(Object.keys(backendDoc).length > 0 ? { backend: backendDoc } : {}),
      ...(Object.keys(naming.overrides).length > 0 ? { names: naming.overrides } : {}),
    },
  };
  const notes: Record<string, string> = {
    service: `cloudRun.service of ${origin('NEG', neg)}`,
    ingress: `Cloud Run service ${serviceName}${inventory.origin.has(serviceName) ? ` (${inventory.origin.get(serviceName)})` : ''}`,
    'loadBalancer.namePrefix': naming.note,
    'loadBalancer.network': origin('forwarding rule', rule),
    'loadBalancer.subnetwork': origin('forwarding rule', rule),
    'loadBalancer.ipAddress': origin('address', address),
    'loadBalancer.port': `portRange ${rule.portRange} of forwarding rule ${rule.name}`,
  };
  for (const field of Object.keys(backendDoc)) notes[`loadBalancer.backend.${field}`] = origin('backend service', backend);
  for (const kind of Object.keys(naming.overrides) as ResourceKind[])
    notes[`loadBalancer.names.${kind}`] = `does not follow ${naming.prefix}-${NAME_SUFFIX[kind]}`;

  const chain = [
    `Cloud Run service ${serviceName} (ingress ${service.ingress})`,
    origin('NEG', neg),
    origin('backend service', backend),
    origin('URL map', urlMap),
    origin('target HTTP proxy', proxy),
    origin('forwarding rule', rule),
    origin('address', address),
  ];
  const imported: ImportedChain = { key: serviceKey(project, region, serviceName), document, notes, chain };
  assertRoundTrip(imported, { address, neg, backendService: backend, urlMap, targetProxy: proxy, forwardingRule: rule }, service);
  return imported;
}

/** The entry must read back as declared from the very resources it came from, or it is not imported. */
function assertRoundTrip(
  imported: ImportedChain,
  resources: { [K in ResourceKind]: Observed<K> },
  service: NonNullable<ReturnType<Inventory['services']['get']>>,
): void {
  const { mesh, problems } = resolveMesh({ services: [imported.document], policy: DEFAULT_POLICY });
  if (problems.length > 0)
    throw new LeftOutError(`the entry would not be valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const drift = diff(mesh.services[0]!, { service, clients: [], resources });
  if (drift.length > 0)
    throw new LeftOutError(`declaring it as found would still show drift: ${drift.map((d) => driftLine(d)).join('; ')}`);
}

/** "80-80" or "80" → 80; a real range → undefined. */
function singlePort(portRange: string | undefined): number | undefined {
  if (!portRange) return undefined;
  const [low, high = low] = portRange.split('-');
  const port = Number(low);
  return low === high && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

/** Backend settings that differ from the mesh's defaults (the others need not be written). */
function backendSettings(backend: Observed<'backendService'>): Record<string, number | string> {
  const found = {
    timeoutSec: backend.timeoutSec,
    logSampleRate: backend.logConfig?.enable ? (backend.logConfig.sampleRate ?? 1) : undefined,
    localityLbPolicy: backend.localityLbPolicy,
    sessionAffinity: backend.sessionAffinity,
  };
  const out: Record<string, number | string> = {};
  for (const [field, value] of Object.entries(found)) {
    if (value !== undefined && value !== DEFAULT_BACKEND[field as keyof typeof DEFAULT_BACKEND]) out[field] = value;
  }
  return out;
}

/**
 * The prefix most names follow (`<prefix>-ip`, `-neg`, ...), ties to the shortest then the first
 * alphabetically; the names that do not follow it become overrides. With no name following any
 * prefix, the NEG's name serves as the prefix and every name is an override.
 */
export function chooseNames(found: ResourceNames): { prefix: string; overrides: Partial<ResourceNames>; note: string } {
  const candidates = new Map<string, number>();
  for (const kind of RESOURCE_KINDS) {
    const suffix = `-${NAME_SUFFIX[kind]}`;
    const name = found[kind];
    if (name.endsWith(suffix) && name.length > suffix.length) {
      const prefix = name.slice(0, -suffix.length);
      if (/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(prefix)) candidates.set(prefix, (candidates.get(prefix) ?? 0) + 1);
    }
  }
  const ranked = [...candidates].sort(([a, n], [b, m]) => m - n || a.length - b.length || a.localeCompare(b));
  const prefix = ranked[0]?.[0];
  const chosen = prefix ?? found.neg;
  const overrides: Partial<ResourceNames> = {};
  for (const kind of RESOURCE_KINDS) if (found[kind] !== `${chosen}-${NAME_SUFFIX[kind]}`) overrides[kind] = found[kind];
  const following = RESOURCE_KINDS.length - Object.keys(overrides).length;
  const note = prefix
    ? `${following} of ${RESOURCE_KINDS.length} names follow <prefix>-…`
    : 'no name follows <prefix>-…: every name is set under names';
  return { prefix: chosen, overrides, note };
}
