// The function gets exactly the permission map of functions/gcp/permissions.ts, bound only on what
// the mesh declares, no more: for each example, the grants are worked out here from the code and
// the example's own mesh, and terraform (plan with a mock provider) must report the very same
// roles, bindings and conditions in the module's function_grants output.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseMesh } from '../../functions/config/load';
import { COLLECTION, RESOURCE_KINDS, type Mesh } from '../../functions/config/mesh';
import { partialPath } from '../../functions/gcp/refs';
import { EXAMPLES_DIR, loadTerraformDir } from './terraform-config';
import { TerraformEvaluator } from './terraform-eval';
import { IAM_RESOURCE_TYPE, NETWORK_IAM_RESOURCE_TYPES, permissionsByGrant, recreatePermissions } from './terraform-lists';
import { describeOrSkip } from '../support/test-or-skip';
import { findTerraform, NO_TERRAFORM, terraformSandbox } from './terraform-provider/terraform-cli';

jest.setTimeout(240_000);

interface Grants {
  roles: Record<string, string[]>;
  bindings: Record<string, string>;
  act_as: string[];
}

interface RoleOptions {
  scope: 'project' | 'organization';
  organizationId?: string;
  recreate: boolean;
}

const ROLE_ID = 'mesh_remediator';
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const projectOf = (path: string): string => path.split('/')[1]!;
const condition = (types: string[], names: string[]): string =>
  `!(resource.type in ${JSON.stringify(types)}) || resource.name in ${JSON.stringify(names)}`;

/** What the module should grant for a mesh, from the code's permission map alone. */
export function expectedGrants(mesh: Mesh, options: RoleOptions): Grants {
  const permissions: Record<string, string[]> = {
    ...permissionsByGrant(),
    ...(options.recreate ? { recreate: recreatePermissions() } : {}),
  };
  const serviceProjects = sorted(mesh.services.map((s) => s.project));
  const runServices = [...mesh.services, ...mesh.services.flatMap((s) => s.clients)];
  const runProjects = sorted(runServices.map((s) => s.project));
  const networkPaths = mesh.services.flatMap((s) => [partialPath(s.loadBalancer.network), partialPath(s.loadBalancer.subnetwork)]);
  const projectsOf: Record<string, string[]> = {
    cloud_run_service: runProjects,
    load_balancer: serviceProjects,
    project: sorted([...serviceProjects, ...runProjects]),
    recreate: serviceProjects,
    network: sorted(networkPaths.map(projectOf)),
  };
  const roleName = (project: string, grant: string): string =>
    options.scope === 'organization'
      ? `organizations/${options.organizationId}/roles/${ROLE_ID}_${grant}`
      : `projects/${project}/roles/${ROLE_ID}_${grant}`;

  const chainNames = (project: string): string[] =>
    sorted(
      mesh.services
        .filter((s) => s.project === project)
        .flatMap((s) =>
          RESOURCE_KINDS.map((kind) => `projects/${s.project}/regions/${s.region}/${COLLECTION[kind]}/${s.loadBalancer.names[kind]}`),
        ),
    );
  const conditionFor = (grant: string, project: string): string => {
    if (grant === 'load_balancer' || grant === 'recreate') return condition(sorted(Object.values(IAM_RESOURCE_TYPE)), chainNames(project));
    if (grant === 'network') return condition(NETWORK_IAM_RESOURCE_TYPES, sorted(networkPaths.filter((p) => projectOf(p) === project)));
    return '';
  };

  const roles: Record<string, string[]> = {};
  const bindings: Record<string, string> = {};
  for (const [grant, list] of Object.entries(permissions)) {
    for (const project of projectsOf[grant]!) {
      roles[roleName(project, grant)] = [...list].sort();
      if (grant !== 'cloud_run_service') bindings[`projects/${project} ${roleName(project, grant)}`] = conditionFor(grant, project);
    }
  }
  for (const s of runServices) {
    bindings[`projects/${s.project}/locations/${s.region}/services/${s.service} ${roleName(s.project, 'cloud_run_service')}`] = '';
  }
  return { roles, bindings, act_as: [] };
}

/** JSON as Terraform's jsonencode writes it: object keys sorted, no spaces. */
function canonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, sortKeys(x)]),
          )
        : v;
  return JSON.stringify(sortKeys(value));
}

const hclValue = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));

function grantsTest(variables: Record<string, unknown>, expected: Grants): string {
  const vars = Object.entries(variables)
    .map(([k, v]) => `    ${k} = ${hclValue(v)}`)
    .join('\n');
  return `mock_provider "google" {
  mock_data "google_project" {
    defaults = {
      number = "123456789012"
    }
  }
}

run "grants_exactly_the_permission_map" {
  command = plan

  variables {
${vars}
  }

  assert {
    condition     = jsonencode(module.remediator.function_grants) == ${JSON.stringify(canonicalJson(expected))}
    error_message = "function_grants differ from the permission map: \${jsonencode(module.remediator.function_grants)}"
  }
}
`;
}

const EXAMPLES = {
  blog: {
    variables: {
      project_id: 'demo-project',
      remediator_source_bucket: 'demo-bucket',
      remediator_source_object: 'mesh-remediator-0123456789abcdef.zip',
    },
    roles: { scope: 'project', recreate: false } as RoleOptions,
  },
  org: {
    variables: {
      organization_id: '123456789012',
      host_project_id: 'ops-host',
      remediator_source_bucket: 'ops-bucket',
      remediator_source_object: 'mesh-remediator-0123456789abcdef.zip',
    },
    roles: { scope: 'organization', organizationId: '123456789012', recreate: false } as RoleOptions,
  },
};

/** The example's mesh, evaluated from its own variables and read by the function's loader. */
async function exampleMesh(name: string, variables: Record<string, unknown>): Promise<Mesh> {
  const config = await loadTerraformDir(join(EXAMPLES_DIR, name));
  return parseMesh(stringify(new TerraformEvaluator(config, variables).local('mesh')), `${name}: local.mesh`);
}

describe('expected grants', () => {
  it('put network use alone in a Shared VPC host and everything else in the service projects', async () => {
    const grants = expectedGrants(await exampleMesh('org', EXAMPLES.org.variables), EXAMPLES.org.roles);
    const hostBindings = Object.keys(grants.bindings).filter((b) => b.startsWith('projects/net-host-prod '));
    expect(hostBindings).toEqual(['projects/net-host-prod organizations/123456789012/roles/mesh_remediator_network']);
    // The three declared services and ledger's declared client, checkout (its VPC egress is guarded).
    expect(
      Object.keys(grants.bindings)
        .filter((b) => b.includes('/services/'))
        .map((b) => b.split(' ')[0])
        .sort(),
    ).toEqual([
      'projects/payments-prod/locations/asia-northeast1/services/checkout',
      'projects/payments-prod/locations/asia-northeast1/services/fx-rates',
      'projects/payments-prod/locations/asia-northeast1/services/ledger',
      'projects/search-prod/locations/asia-northeast2/services/indexer',
    ]);
  });
});

const terraform = findTerraform();
describeOrSkip(Boolean(terraform), NO_TERRAFORM)('function grants through terraform', () => {
  it.each(Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>)(
    '%s example: terraform grants exactly the permission map',
    async (name) => {
      const { variables, roles } = EXAMPLES[name];
      const expected = expectedGrants(await exampleMesh(name, variables), roles);
      const sandbox = terraformSandbox(terraform!);
      const dir = join(sandbox.deployDir, 'examples', name);
      mkdirSync(join(dir, 'tests'), { recursive: true });
      writeFileSync(join(dir, 'tests', 'grants.tftest.hcl'), grantsTest(variables, expected));
      const init = await sandbox.run(['init', '-backend=false', '-no-color'], dir);
      expect([init.status, init.stderr]).toEqual([0, '']);
      const result = await sandbox.run(['test', '-no-color'], dir, await sandbox.attachedProvider());
      sandbox.remove();
      expect([result.status, `${result.stdout}\n${result.stderr}`]).toEqual([0, expect.stringContaining('1 passed, 0 failed')]);
    },
  );
});
