// Claims that must be unique across the whole mesh: one declaration per Cloud Run service, one owner
// per resource name (project + region + kind + name), one owner per internal IP in a subnetwork, one
// declared VPC access per client.
// Each problem sits at the later claim's path and names the earlier one.
import { RESOURCE_KINDS, type Mesh } from './mesh';
import type { MeshDocument } from './mesh-document';
import { formatPath, type ConfigProblem } from './mesh-config-error';

export function conflictProblems(mesh: Mesh, document: MeshDocument): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const services = new Map<string, number>();
  const resources = new Map<string, string>();
  const addresses = new Map<string, string>();
  // A client may call several declared services; every declaration must agree on its VPC access.
  const clients = new Map<string, { path: string; vpcAccess: string }>();

  mesh.services.forEach((svc, i) => {
    const first = services.get(svc.key);
    if (first !== undefined) {
      problems.push({ path: formatPath(['services', i]), message: `duplicates services[${first}] (${svc.key})` });
      return; // its resource names collide too; one problem says it
    }
    services.set(svc.key, i);

    const overrides = document.services[i]?.loadBalancer.names ?? {};
    for (const kind of RESOURCE_KINDS) {
      const name = svc.loadBalancer.names[kind];
      const path = formatPath(
        overrides[kind] !== undefined ? ['services', i, 'loadBalancer', 'names', kind] : ['services', i, 'loadBalancer', 'namePrefix'],
      );
      const claim = `${svc.project}/${svc.region}/${kind}/${name}`;
      const owner = resources.get(claim);
      if (owner === undefined) resources.set(claim, path);
      else problems.push({ path, message: `${kind} "${name}" in ${svc.project}/${svc.region} is also claimed by ${owner}` });
    }

    const ipPath = formatPath(['services', i, 'loadBalancer', 'ipAddress']);
    const ipClaim = `${svc.loadBalancer.subnetwork} ${svc.loadBalancer.ipAddress}`;
    const ipOwner = addresses.get(ipClaim);
    if (ipOwner === undefined) addresses.set(ipClaim, ipPath);
    else {
      problems.push({
        path: ipPath,
        message: `${svc.loadBalancer.ipAddress} in ${svc.loadBalancer.subnetwork} is also claimed by ${ipOwner}`,
      });
    }

    svc.clients.forEach((client, j) => {
      const path = formatPath(['services', i, 'clients', j]);
      const vpcAccess = JSON.stringify(client.vpcAccess, Object.keys(client.vpcAccess).sort());
      const first = clients.get(client.key);
      if (first === undefined) clients.set(client.key, { path, vpcAccess });
      else if (first.path.startsWith(`${formatPath(['services', i])}.`))
        problems.push({ path, message: `duplicates ${first.path} (${client.key})` });
      else if (first.vpcAccess !== vpcAccess)
        problems.push({ path: `${path}.vpcAccess`, message: `differs from ${first.path}.vpcAccess for the same client ${client.key}` });
    });
  });
  return problems;
}
