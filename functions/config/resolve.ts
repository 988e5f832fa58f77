// Document → Mesh: defaults applied (DEFAULT_BACKEND, DEFAULT_POLICY), names derived, network
// references stored as partial `projects/...` paths, plus the checks a schema cannot express.
import { partialPath } from '../gcp/refs';
import {
  DEFAULT_BACKEND,
  DEFAULT_POLICY,
  serviceKey,
  type BackendSettings,
  type DeclaredClient,
  type DeclaredService,
  type Mesh,
} from './mesh';
import type { ClientDocument, MeshDocument, ServiceDocument } from './mesh-document';
import { formatPath, type ConfigProblem } from './mesh-config-error';
import { deriveNames, derivedKinds, GCE_NAME_MAX, isGceName } from './names';

export function resolveMesh(document: MeshDocument): { mesh: Mesh; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const services = document.services.map((doc, index) => resolveService(doc, index, problems));
  const policy = document.policy ?? {};
  return {
    mesh: {
      services,
      policy: {
        dryRun: policy.dryRun ?? DEFAULT_POLICY.dryRun,
        recreateOnImmutableDrift: policy.recreateOnImmutableDrift ?? DEFAULT_POLICY.recreateOnImmutableDrift,
        ignorePrincipals: [...(policy.ignorePrincipals ?? DEFAULT_POLICY.ignorePrincipals)],
        breaker: { ...DEFAULT_POLICY.breaker, ...policy.breaker },
        repairClientEgress: policy.repairClientEgress ?? DEFAULT_POLICY.repairClientEgress,
      },
    },
    problems,
  };
}

function resolveService(doc: ServiceDocument, index: number, problems: ConfigProblem[]): DeclaredService {
  const lb = doc.loadBalancer;
  const at = (...segments: string[]) => formatPath(['services', index, 'loadBalancer', ...segments]);
  const names = deriveNames(lb.namePrefix, lb.names);
  for (const kind of derivedKinds(lb.names)) {
    if (!isGceName(names[kind])) {
      problems.push({
        path: at('namePrefix'),
        message:
          `derived ${kind} name "${names[kind]}" is ${names[kind].length} characters; GCE names are at most ` +
          `${GCE_NAME_MAX} (shorten namePrefix or set names.${kind})`,
      });
    }
  }
  const subnetwork = partialPath(lb.subnetwork);
  const subnetRegion = subnetwork.split('/')[3];
  if (subnetRegion !== doc.region) {
    problems.push({
      path: at('subnetwork'),
      message: `is in region ${subnetRegion}, but the service is in ${doc.region} (a regional internal load balancer needs a subnetwork in its own region)`,
    });
  }
  return {
    key: serviceKey(doc.project, doc.region, doc.service),
    project: doc.project,
    region: doc.region,
    service: doc.service,
    ingress: doc.ingress,
    loadBalancer: {
      namePrefix: lb.namePrefix,
      network: partialPath(lb.network),
      subnetwork,
      ipAddress: lb.ipAddress,
      port: lb.port,
      backend: backendSettings(lb.backend),
      names,
    },
    clients: (doc.clients ?? []).map((client, i) => resolveClient(doc, client, formatPath(['services', index, 'clients', i]), problems)),
  };
}

function resolveClient(owner: ServiceDocument, doc: ClientDocument, at: string, problems: ConfigProblem[]): DeclaredClient {
  const project = doc.project ?? owner.project;
  const region = doc.region ?? owner.region;
  const access = doc.vpcAccess;
  const direct = access.network !== undefined || access.subnetwork !== undefined;
  // Cloud Run takes one or the other (docs/google-behaviour.md, Cloud Run VPC access).
  if (direct === (access.connector !== undefined)) {
    problems.push({
      path: `${at}.vpcAccess`,
      message: direct
        ? 'sets both connector and network/subnetwork; a Cloud Run service uses Direct VPC egress or a connector, not both'
        : 'must set either network/subnetwork (Direct VPC egress) or connector (Serverless VPC Access)',
    });
  }
  if (project === owner.project && region === owner.region && doc.service === owner.service) {
    problems.push({ path: `${at}.service`, message: `is the declared service itself; clients are the services that call it` });
  }
  return { key: serviceKey(project, region, doc.service), project, region, service: doc.service, vpcAccess: { ...access } };
}

/** The declared backend settings over the defaults; a `timeoutSec: 30` (Google's fixed value) is dropped. */
function backendSettings(declared: ServiceDocument['loadBalancer']['backend']): BackendSettings {
  const { timeoutSec: _fixed, ...settings } = declared ?? {};
  return { ...DEFAULT_BACKEND, ...settings };
}
