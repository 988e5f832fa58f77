// `mesh-remediator validate [--config FILE] [--json]`: checks a mesh file (schema, names, uniqueness)
// and shows what it declares, every resource name resolved. Exit 0 valid, 1 with every problem.
// Reads nothing but the file (or the gs:// object: mesh-object.ts): no Google API client, no credentials for a file.
import { parseEnvironment } from '../config/environment';
import { readMesh } from '../config/load';
import { RESOURCE_KINDS, type DeclaredService, type Mesh } from '../config/mesh';
import { MeshConfigError } from '../config/mesh-config-error';
import { deriveNames } from '../config/names';
import { describeVpcAccess } from '../notify/describe';
import { EXIT, type CommandAction } from './command';
import { meshPath, type CommonOptions } from './options';
import { plural } from './render';

export const validate: CommandAction = async (input, io) => {
  const values = input.opts as Pick<CommonOptions, 'config' | 'json'>;
  const file = meshPath(io, values.config);
  let mesh: Mesh;
  try {
    mesh = await readMesh(file, parseEnvironment(io.env).environment.storageEmulator);
  } catch (err) {
    if (!(err instanceof MeshConfigError)) throw err;
    if (values.json) io.stdout(JSON.stringify({ file, valid: false, problems: err.problems }, null, 2) + '\n');
    else io.stderr(`${err.message}\n${file}: ${plural(err.problems.length, 'problem')}\n`);
    return EXIT.error;
  }
  if (values.json) io.stdout(JSON.stringify({ file, valid: true, ...mesh }, null, 2) + '\n');
  else io.stdout(summary(file, mesh));
  return EXIT.ok;
};

function summary(file: string, mesh: Mesh): string {
  const lines = [`${file}: valid, ${plural(mesh.services.length, 'service')}`, ''];
  for (const svc of mesh.services) lines.push(...serviceLines(svc), '');
  const p = mesh.policy;
  lines.push(
    `policy: dryRun ${p.dryRun}, recreateOnImmutableDrift ${p.recreateOnImmutableDrift}, ` +
      `ignorePrincipals ${p.ignorePrincipals.length ? p.ignorePrincipals.join(', ') : 'none'}, ` +
      `breaker after more than ${p.breaker.maxRepairs} repairs in ${p.breaker.windowSec}s, ` +
      `client egress ${p.repairClientEgress ? 'repaired' : 'reported only'}`,
  );
  return lines.join('\n') + '\n';
}

function serviceLines(svc: DeclaredService): string[] {
  const lb = svc.loadBalancer;
  const derived = deriveNames(lb.namePrefix);
  const detail: Record<(typeof RESOURCE_KINDS)[number], string> = {
    address: `${lb.ipAddress} in ${lb.subnetwork}`,
    neg: `serverless, Cloud Run service ${svc.service}`,
    backendService: `log sample rate ${lb.backend.logSampleRate}, ${lb.backend.localityLbPolicy}, affinity ${lb.backend.sessionAffinity}`,
    urlMap: `default service ${lb.names.backendService}`,
    targetProxy: `URL map ${lb.names.urlMap}`,
    forwardingRule: `${lb.ipAddress}:${lb.port} on ${lb.network}, target ${lb.names.targetProxy}`,
  };
  const width = Math.max(...RESOURCE_KINDS.map((k) => k.length));
  const nameWidth = Math.max(...RESOURCE_KINDS.map((k) => lb.names[k].length + (lb.names[k] === derived[k] ? 0 : ' (override)'.length)));
  return [
    svc.key,
    `  ${'ingress'.padEnd(width)}  ${svc.ingress}`,
    ...RESOURCE_KINDS.map((kind) => {
      const name = lb.names[kind] + (lb.names[kind] === derived[kind] ? '' : ' (override)');
      return `  ${kind.padEnd(width)}  ${name.padEnd(nameWidth)}  ${detail[kind]}`;
    }),
    ...svc.clients.map((client) => `  ${'client'.padEnd(width)}  ${client.key}  vpcAccess ${describeVpcAccess(client.vpcAccess)}`),
  ];
}
