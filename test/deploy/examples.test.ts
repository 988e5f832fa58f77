// deploy/examples: each is a complete Terraform configuration calling the module correctly, and
// the mesh it hands the remediator, evaluated from its own variables, is valid for the function's
// own loader and describes the very load balancer the same configuration creates.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseMesh } from '../../functions/config/load';
import type { Mesh } from '../../functions/config/mesh';
import {
  EXAMPLES_DIR,
  expressions,
  loadTerraformDir,
  MODULE_DIR,
  nested,
  resource,
  undeclaredReferences,
  unusedVariables,
  type TerraformConfig,
} from './terraform-config';
import { TerraformEvaluator } from './terraform-eval';

let mod: TerraformConfig;
const examples: Record<string, TerraformConfig> = {};

beforeAll(async () => {
  mod = await loadTerraformDir(MODULE_DIR);
  examples.blog = await loadTerraformDir(join(EXAMPLES_DIR, 'blog'));
  examples.org = await loadTerraformDir(join(EXAMPLES_DIR, 'org'));
});

/** The example's mesh as the module receives it: yamlencode(local.mesh), evaluated. */
function declaredMesh(example: TerraformConfig, tfvars: Record<string, unknown>): { mesh: Mesh; evaluator: TerraformEvaluator } {
  const remediator = example.modules.remediator!;
  expect(remediator.mesh_yaml).toBe('${yamlencode(local.mesh)}');
  const evaluator = new TerraformEvaluator(example, tfvars);
  return { mesh: parseMesh(stringify(evaluator.local('mesh')), `${example.dir}: local.mesh`), evaluator };
}

describe.each(['blog', 'org'])('deploy/examples/%s', (name) => {
  it('references only declared names and uses every variable', () => {
    expect(undeclaredReferences(examples[name]!)).toEqual([]);
    expect(unusedVariables(examples[name]!)).toEqual([]);
  });

  it('calls the module with declared inputs only, and every required input', () => {
    const call = examples[name]!.modules.remediator!;
    expect(call.source).toBe('../../terraform');
    const args = Object.keys(call).filter((k) => !['source', 'depends_on', 'providers'].includes(k));
    expect(args.filter((a) => !(a in mod.variables))).toEqual([]);
    const required = Object.entries(mod.variables)
      .filter(([, v]) => !('default' in v))
      .map(([n]) => n);
    expect(required.filter((r) => !args.includes(r))).toEqual([]);
    const outputsUsed = expressions(examples[name]!.outputs).flatMap((e) =>
      [...e.matchAll(/module\.remediator\.(\w+)/g)].map((m) => m[1]!),
    );
    expect(outputsUsed.filter((o) => !(o in mod.outputs))).toEqual([]);
  });
});

describe('blog example: one source of truth', () => {
  const tfvars = { project_id: 'demo-project', remediator_source_bucket: 'demo-bucket' };
  let mesh: Mesh;
  let tf: TerraformEvaluator;
  let blog: TerraformConfig;

  beforeAll(() => {
    blog = examples.blog!;
    ({ mesh, evaluator: tf } = declaredMesh(blog, tfvars));
  });

  it('declares the server-service on internal ingress, in the project and region of the setup', () => {
    expect(mesh.services).toHaveLength(1);
    const [svc] = mesh.services;
    expect(svc).toMatchObject({ project: 'demo-project', region: 'asia-northeast1', service: 'server-service', ingress: 'internal' });
    const server = resource(blog, 'google_cloud_run_v2_service.server');
    expect(tf.evaluate(server.name)).toBe(svc!.service);
    expect(tf.evaluate(server.location)).toBe(svc!.region);
    expect(server.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(resource(blog, 'google_cloud_run_v2_service.client').ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
  });

  it('names every load balancer resource exactly as the remediator derives it', () => {
    const names = mesh.services[0]!.loadBalancer.names;
    const created = {
      address: 'google_compute_address.lb_ip',
      neg: 'google_compute_region_network_endpoint_group.lb_neg',
      backendService: 'google_compute_region_backend_service.lb_backend',
      urlMap: 'google_compute_region_url_map.lb_url_map',
      targetProxy: 'google_compute_region_target_http_proxy.lb_proxy',
      forwardingRule: 'google_compute_forwarding_rule.lb_frontend',
    };
    for (const [kind, address] of Object.entries(created)) {
      expect([kind, tf.evaluate(resource(blog, address).name)]).toEqual([kind, names[kind as keyof typeof names]]);
      expect(tf.evaluate(resource(blog, address).region)).toBe(mesh.services[0]!.region);
    }
    expect(names.address).toBe('internal-lb-ip');
  });

  it('declares the network, subnet, address, port and backend settings the load balancer is built with', () => {
    const lb = mesh.services[0]!.loadBalancer;
    expect(lb.network).toBe(`projects/demo-project/global/networks/${tf.evaluate(resource(blog, 'google_compute_network.vpc').name)}`);
    const subnet = resource(blog, 'google_compute_subnetwork.subnet');
    expect(lb.subnetwork).toBe(`projects/demo-project/regions/${tf.evaluate(subnet.region)}/subnetworks/${tf.evaluate(subnet.name)}`);
    expect(tf.evaluate(subnet.ip_cidr_range)).toBe('10.0.0.0/24');
    expect(tf.evaluate(resource(blog, 'google_compute_address.lb_ip').address)).toBe(lb.ipAddress);
    expect(Number(tf.evaluate(resource(blog, 'google_compute_forwarding_rule.lb_frontend').port_range))).toBe(lb.port);

    const backend = resource(blog, 'google_compute_region_backend_service.lb_backend');
    expect(backend.timeout_sec).toBeUndefined(); // Google refuses a timeout on serverless NEG backends
    expect(tf.evaluate(backend.locality_lb_policy)).toBe(lb.backend.localityLbPolicy);
    expect(tf.evaluate(backend.session_affinity)).toBe(lb.backend.sessionAffinity);
    expect(tf.evaluate(nested(backend, 'log_config').sample_rate)).toBe(lb.backend.logSampleRate);
    expect(backend).toMatchObject({ protocol: 'HTTP', load_balancing_scheme: 'INTERNAL_MANAGED' });
  });

  it('has the proxy-only subnet a regional internal ALB needs', () => {
    expect(resource(blog, 'google_compute_subnetwork.proxy_only')).toMatchObject({ purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
  });

  it('feeds the policy and the module from the same variables', () => {
    const call = blog.modules.remediator!;
    expect(call.dry_run).toBe('${var.remediator_dry_run}');
    expect(call.recreate_on_immutable_drift).toBe('${var.recreate_on_immutable_drift}');
    expect(mesh.policy.dryRun).toBe(tf.variable('remediator_dry_run'));
    expect(mesh.policy.recreateOnImmutableDrift).toBe(tf.variable('recreate_on_immutable_drift'));
  });

  it('evaluates only plain data and variable references (richer expressions are refused, not guessed)', () => {
    expect(() => tf.evaluate('${upper(var.region)}')).toThrow(/unsupported expression/);
    expect(() => new TerraformEvaluator(blog).local('mesh')).toThrow(/var.project_id has no default/);
  });
});

describe('org example: organization-wide', () => {
  it('declares services in several projects, valid for the loader', () => {
    const { mesh } = declaredMesh(examples.org!, {
      organization_id: '123456789012',
      host_project_id: 'ops-host',
      remediator_source_bucket: 'b',
    });
    expect(new Set(mesh.services.map((s) => s.project)).size).toBeGreaterThan(1);
    // Both halves of a path: ledger's caller keeps its Direct VPC egress into the Shared VPC.
    expect(mesh.services.find((s) => s.service === 'ledger')!.clients.map((c) => [c.key, c.vpcAccess.egress])).toEqual([
      ['payments-prod/asia-northeast1/checkout', 'private-ranges-only'],
    ]);
  });

  it('sinks and defines its roles at the organization', () => {
    const call = examples.org!.modules.remediator!;
    expect(call).toMatchObject({
      sink_scope: 'organization',
      sink_parent: '${var.organization_id}',
      role_scope: 'organization',
      organization_id: '${var.organization_id}',
    });
  });
});
