// Inventories from `terraform show -json` output, state or plan, in the JSON output format HashiCorp
// documents (https://developer.hashicorp.com/terraform/internals/json-format): a state's resources
// are under `values.root_module` (and `child_modules`), a plan's under `planned_values`. A plan
// leaves values unknown until apply (ids, self links, references to resources not yet created);
// those are resolved through the plan's `configuration` expressions (`references`) to the resource
// they name, and a project or region the resource does not set comes from the provider block
// (constant or `var.` reference to the plan's `variables`), else from --project.
import { COLLECTION, type ResourceKind } from '../config/mesh';
import type { Observed, RunService } from '../gcp/port';
import { observedIngress } from '../gcp/ingress';
import { COMPUTE_URL_BASE } from '../gcp/refs';
import { emptyInventory, type Inventory } from './inventory';

type Json = Record<string, unknown>;

/** One resource of a values representation, with its module's configuration when the document has it. */
interface TfResource {
  address: string;
  type: string;
  values: Json;
  expressions: Json;
  /** Module prefix of the address ("" at the root, "module.lb." inside a module). */
  module: string;
}

/** The Terraform types import reads, and the chain kind (or Cloud Run service) each is. */
const KIND_OF_TYPE: Record<string, ResourceKind | 'service' | 'network' | 'subnetwork'> = {
  google_compute_address: 'address',
  google_compute_region_network_endpoint_group: 'neg',
  google_compute_region_backend_service: 'backendService',
  google_compute_region_url_map: 'urlMap',
  google_compute_region_target_http_proxy: 'targetProxy',
  google_compute_forwarding_rule: 'forwardingRule',
  google_cloud_run_v2_service: 'service',
  google_cloud_run_service: 'service',
  google_compute_network: 'network',
  google_compute_subnetwork: 'subnetwork',
};

export class TerraformDocumentError extends Error {
  override readonly name = 'TerraformDocumentError';
}

/** One inventory per project-region the document's chain resources and services live in. */
export function terraformInventories(document: unknown, file: string, defaults: { project?: string } = {}): Inventory[] {
  if (!isObject(document) || typeof document.format_version !== 'string') {
    throw new TerraformDocumentError(
      `${file}: not terraform show -json output (no format_version); run terraform show -json [PLANFILE] > ${file}`,
    );
  }
  const values = (document.planned_values ?? document.values) as Json | undefined;
  if (!isObject(values) || !isObject(values.root_module)) {
    throw new TerraformDocumentError(
      `${file}: the document holds no resources (neither values.root_module nor planned_values.root_module); an empty state?`,
    );
  }
  const configuration = isObject(document.configuration) ? (document.configuration.root_module as Json | undefined) : undefined;
  const resources = collect(values.root_module as Json, configuration, '');
  const scope = new ScopeResolver(document, defaults);
  const located = resources
    .filter((r) => KIND_OF_TYPE[r.type] !== undefined)
    .map((r) => ({ resource: r, project: scope.project(r), region: scope.region(r) }));
  const locate = (address: string) => located.find((l) => l.resource.address === address);

  /** The URL or path an attribute points at: its value, else the resource its expression references. */
  const link = (r: TfResource, attr: string, value: unknown, expressions: Json = r.expressions): string | undefined => {
    if (typeof value === 'string' && value !== '') return value;
    for (const reference of references(expressions[attr])) {
      const target = locate(r.module + reference.replace(/(\[[^\]]*\])?\.(id|self_link|name)$/, '').replace(/\[[^\]]*\]$/, ''));
      if (target) return pathOf(target.resource, target.project, target.region);
    }
    return undefined;
  };

  const inventories = new Map<string, Inventory>();
  const inventoryFor = (project: string, region: string) => {
    const key = `${project}/${region}`;
    let inventory = inventories.get(key);
    if (!inventory) {
      inventory = emptyInventory({ project, region }, `${file} (terraform show -json)`);
      inventories.set(key, inventory);
    }
    return inventory;
  };

  for (const { resource: r, project, region } of located) {
    const kind = KIND_OF_TYPE[r.type]!;
    if (kind === 'network' || kind === 'subnetwork') continue;
    if (!project || !region) continue; // reported below as unplaceable
    const inventory = inventoryFor(project, region);
    if (kind === 'service') {
      const service = runService(r, project, region);
      if (service) {
        const name = service.name.slice(service.name.lastIndexOf('/') + 1);
        inventory.services.set(name, service);
        inventory.origin.set(name, r.address);
      }
      continue;
    }
    const observed = toObserved(kind, r, link, located);
    const selfLink =
      (typeof r.values.self_link === 'string' && r.values.self_link) ||
      COMPUTE_URL_BASE + `projects/${project}/regions/${region}/${COLLECTION[kind]}/${observed.name}`;
    (inventory.resources[kind] as unknown[]).push({ ...observed, selfLink });
    inventory.origin.set(selfLink, r.address);
  }
  const unplaced = located.filter(
    (l) => KIND_OF_TYPE[l.resource.type] !== 'network' && KIND_OF_TYPE[l.resource.type] !== 'subnetwork' && (!l.project || !l.region),
  );
  if (unplaced.length > 0) {
    throw new TerraformDocumentError(
      `${file}: the project or region of ${unplaced.map((l) => l.resource.address).join(', ')} is unknown in this document (set on neither the resource nor the provider); pass --project`,
    );
  }
  return [...inventories.values()].sort((a, b) =>
    `${a.scope.project}/${a.scope.region}`.localeCompare(`${b.scope.project}/${b.scope.region}`),
  );
}

/** Every managed resource of a module and its children, each with its configuration expressions. */
function collect(module: Json, configuration: Json | undefined, prefix: string): TfResource[] {
  const configs = new Map<string, Json>();
  for (const config of (configuration?.resources as Json[] | undefined) ?? [])
    configs.set(String(config.address), (config.expressions as Json | undefined) ?? {});
  const out: TfResource[] = [];
  for (const resource of (module.resources as Json[] | undefined) ?? []) {
    if (resource.mode !== 'managed') continue;
    const address = String(resource.address);
    const local = address.slice(prefix.length).replace(/\[[^\]]*\]$/, '');
    out.push({
      address,
      type: String(resource.type),
      values: (resource.values as Json | undefined) ?? {},
      expressions: configs.get(local) ?? {},
      module: prefix,
    });
  }
  for (const child of (module.child_modules as Json[] | undefined) ?? []) {
    const childAddress = String(child.address);
    const callName = childAddress
      .slice(prefix.length)
      .replace(/^module\./, '')
      .replace(/\[[^\]]*\]$/, '');
    const call = (configuration?.module_calls as Json | undefined)?.[callName] as Json | undefined;
    out.push(...collect(child, call?.module as Json | undefined, `${childAddress}.`));
  }
  return out;
}

/** Project and region of a resource: its own attributes, else the provider block's, else --project. */
class ScopeResolver {
  private readonly provider: Json;
  private readonly variables: Json;
  constructor(
    document: Json,
    private readonly defaults: { project?: string },
  ) {
    const providers = (isObject(document.configuration) ? document.configuration.provider_config : undefined) as Json | undefined;
    this.provider = ((providers?.google as Json | undefined)?.expressions as Json | undefined) ?? {};
    this.variables = (document.variables as Json | undefined) ?? {};
  }

  project(r: TfResource): string | undefined {
    return str(r.values.project) ?? this.fromProvider('project') ?? this.defaults.project;
  }

  region(r: TfResource): string | undefined {
    return str(r.values.region) ?? str(r.values.location) ?? this.fromProvider('region');
  }

  private fromProvider(attr: string): string | undefined {
    const expression = this.provider[attr] as Json | undefined;
    if (!expression) return undefined;
    if (typeof expression.constant_value === 'string') return expression.constant_value;
    for (const reference of references(expression)) {
      const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(reference)?.[1];
      const value = variable ? (this.variables[variable] as Json | undefined)?.value : undefined;
      if (typeof value === 'string') return value;
    }
    return undefined;
  }
}

/** The Compute path of a resource the document describes (chain kinds, networks, subnetworks, services). */
function pathOf(r: TfResource, project: string | undefined, region: string | undefined): string | undefined {
  const name = str(r.values.name);
  if (!name) return undefined;
  const kind = KIND_OF_TYPE[r.type];
  if (kind === 'network') return `projects/${project}/global/networks/${name}`;
  if (kind === 'subnetwork') return `projects/${project}/regions/${region}/subnetworks/${name}`;
  if (kind === 'service') return name;
  if (kind === 'address') return `projects/${project}/regions/${region}/addresses/${name}`;
  return kind ? `projects/${project}/regions/${region}/${COLLECTION[kind]}/${name}` : undefined;
}

type Link = (r: TfResource, attr: string, value: unknown, expressions?: Json) => string | undefined;

/** The google provider's attributes in Compute REST field names (the port's shapes). */
function toObserved(
  kind: ResourceKind,
  r: TfResource,
  link: Link,
  located: Array<{ resource: TfResource }>,
): Omit<Observed<ResourceKind>, 'selfLink'> {
  const v = r.values;
  const name = str(v.name) ?? r.address;
  const block = (attr: string): Json[] => (Array.isArray(v[attr]) ? (v[attr] as Json[]) : []);
  const blockExpressions = (attr: string, i: number): Json => ((r.expressions[attr] as Json[] | undefined)?.[i] as Json | undefined) ?? {};
  switch (kind) {
    case 'address':
      // The provider's default address_type is EXTERNAL.
      return compact({
        name,
        address: str(v.address),
        addressType: str(v.address_type) ?? 'EXTERNAL',
        subnetwork: link(r, 'subnetwork', v.subnetwork),
        purpose: str(v.purpose),
      });
    case 'neg': {
      const cloudRun = block('cloud_run')[0];
      const service = cloudRun ? link(r, 'service', cloudRun.service, blockExpressions('cloud_run', 0)) : undefined;
      return compact({
        name,
        networkEndpointType: str(v.network_endpoint_type) ?? 'GCE_VM_IP_PORT',
        cloudRun: cloudRun
          ? compact({
              service: service && service.slice(service.lastIndexOf('/') + 1),
              tag: str(cloudRun.tag),
              urlMask: str(cloudRun.url_mask),
            })
          : undefined,
      });
    }
    case 'backendService': {
      const log = block('log_config')[0];
      return compact({
        name,
        protocol: str(v.protocol),
        loadBalancingScheme: str(v.load_balancing_scheme),
        backends: block('backend').map((b, i) =>
          compact({
            group: link(r, 'group', b.group, blockExpressions('backend', i)),
            balancingMode: str(b.balancing_mode),
            capacityScaler: num(b.capacity_scaler),
          }),
        ),
        logConfig: log
          ? compact({ enable: typeof log.enable === 'boolean' ? log.enable : undefined, sampleRate: num(log.sample_rate) })
          : undefined,
        localityLbPolicy: str(v.locality_lb_policy),
        sessionAffinity: str(v.session_affinity),
        timeoutSec: num(v.timeout_sec),
      });
    }
    case 'urlMap':
      return compact({
        name,
        defaultService: link(r, 'default_service', v.default_service),
        hostRules: block('host_rule').length > 0 ? block('host_rule').map((h) => ({ hosts: h.hosts as string[] })) : undefined,
        pathMatchers:
          block('path_matcher').length > 0
            ? block('path_matcher').map((p) => compact({ name: str(p.name), defaultService: str(p.default_service) }))
            : undefined,
      });
    case 'targetProxy':
      return compact({ name, urlMap: link(r, 'url_map', v.url_map) });
    case 'forwardingRule': {
      // Compute stores the literal IP; a rule written with an address reference gets that address's IP.
      let ip = str(v.ip_address);
      const viaAddress = ip === undefined || ip.includes('/') ? link(r, 'ip_address', ip) : undefined;
      if (viaAddress) {
        const address = located
          .map((l) => l.resource)
          .find((a) => a.type === 'google_compute_address' && str(a.values.name) === viaAddress.slice(viaAddress.lastIndexOf('/') + 1));
        ip = str(address?.values.address) ?? ip;
      }
      return compact({
        name,
        IPAddress: ip,
        IPProtocol: str(v.ip_protocol) ?? 'TCP',
        portRange: str(v.port_range),
        loadBalancingScheme: str(v.load_balancing_scheme) ?? 'EXTERNAL',
        network: link(r, 'network', v.network),
        subnetwork: link(r, 'subnetwork', v.subnetwork),
        target: link(r, 'target', v.target),
      });
    }
  }
}

/** A google_cloud_run_v2_service (ingress enum name) or google_cloud_run_service (v1 annotation). */
function runService(r: TfResource, project: string, region: string): RunService | undefined {
  const v = r.values;
  const name = str(v.name);
  if (!name) return undefined;
  const annotations = ((((v.metadata as Json[] | undefined)?.[0] as Json | undefined)?.annotations as Record<string, string> | undefined) ??
    {}) as Record<string, string>;
  const word = r.type === 'google_cloud_run_v2_service' ? str(v.ingress) : annotations['run.googleapis.com/ingress'];
  return {
    name: `projects/${project}/locations/${region}/services/${name}`,
    // The v2 resource defaults to INGRESS_TRAFFIC_ALL; the v1 one (no annotation) to all.
    ingress: (word && observedIngress(word)) || 'all',
    etag: '',
    annotations: {},
  };
}

function references(expression: unknown): string[] {
  return isObject(expression) && Array.isArray(expression.references) ? (expression.references as string[]) : [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Drops undefined fields (and empty lists), as the adapter's reads do. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}
