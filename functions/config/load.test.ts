import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMesh, parseMesh } from './load';
import { DEFAULT_BACKEND, DEFAULT_POLICY } from './mesh';
import { MeshConfigError, type ConfigProblem } from './mesh-config-error';

const EXAMPLE = resolve(__dirname, '../../deploy/mesh.example.yaml');

/** One valid service as YAML, with `extra` lines appended inside loadBalancer. */
function serviceYaml(service: string, prefix: string, ip: string, extra = ''): string {
  return `
  - project: demo-project
    region: asia-northeast1
    service: ${service}
    ingress: internal
    loadBalancer:
      namePrefix: ${prefix}
      network: projects/demo-project/global/networks/test-vpc
      subnetwork: projects/demo-project/regions/asia-northeast1/subnetworks/test-subnet
      ipAddress: ${ip}
      port: 80
${extra}`;
}

function problemsOf(text: string, file = 'mesh.yaml'): ConfigProblem[] {
  try {
    parseMesh(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(MeshConfigError);
    return (err as MeshConfigError).problems;
  }
  throw new Error('expected a MeshConfigError');
}

describe('parseMesh: a valid declaration', () => {
  it('reads the example with derived names and defaults (deploy/examples/blog setup)', () => {
    const mesh = loadMesh(EXAMPLE);
    expect(mesh.services).toHaveLength(1);
    const [svc] = mesh.services;
    expect(svc).toEqual({
      key: 'demo-project/asia-northeast1/server-service',
      project: 'demo-project',
      region: 'asia-northeast1',
      service: 'server-service',
      ingress: 'internal',
      loadBalancer: {
        namePrefix: 'internal-lb',
        network: 'projects/demo-project/global/networks/test-vpc',
        subnetwork: 'projects/demo-project/regions/asia-northeast1/subnetworks/test-subnet',
        ipAddress: '10.0.0.100',
        port: 80,
        backend: DEFAULT_BACKEND,
        names: {
          address: 'internal-lb-ip',
          neg: 'internal-lb-neg',
          backendService: 'internal-lb-backend-svc',
          urlMap: 'internal-lb-url-map',
          targetProxy: 'internal-lb-target-proxy',
          forwardingRule: 'internal-lb-frontend',
        },
      },
      clients: [
        {
          key: 'demo-project/asia-northeast1/client-service',
          project: 'demo-project',
          region: 'asia-northeast1',
          service: 'client-service',
          vpcAccess: {
            network: 'projects/demo-project/global/networks/test-vpc',
            subnetwork: 'projects/demo-project/regions/asia-northeast1/subnetworks/test-subnet',
            egress: 'private-ranges-only',
          },
        },
      ],
    });
    expect(mesh.policy).toEqual(DEFAULT_POLICY);
  });

  it('applies defaults when backend and policy are omitted, and overrides only the names given', () => {
    const mesh = parseMesh(
      `services:${serviceYaml('server-service', 'lb', '10.0.0.5', '      names: {forwardingRule: my-rule, urlMap: my-map}')}`,
      'm.yaml',
    );
    const lb = mesh.services[0]!.loadBalancer;
    expect(lb.backend).toEqual(DEFAULT_BACKEND);
    expect(lb.names).toEqual({
      address: 'lb-ip',
      neg: 'lb-neg',
      backendService: 'lb-backend-svc',
      urlMap: 'my-map',
      targetProxy: 'lb-target-proxy',
      forwardingRule: 'my-rule',
    });
    expect(mesh.policy).toEqual(DEFAULT_POLICY);
  });

  it('merges partial backend and breaker settings with the defaults', () => {
    const mesh = parseMesh(
      `services:${serviceYaml('s', 'lb', '10.0.0.5', '      backend: {timeoutSec: 30, sessionAffinity: CLIENT_IP}')}
policy: {dryRun: true, ignorePrincipals: [terraform@demo-project.iam.gserviceaccount.com], breaker: {maxRepairs: 5}}`,
      'm.yaml',
    );
    // timeoutSec: 30 is Google's fixed value for serverless backends: accepted, and nothing to send.
    expect(mesh.services[0]!.loadBalancer.backend).toEqual({ ...DEFAULT_BACKEND, sessionAffinity: 'CLIENT_IP' });
    expect(mesh.policy).toEqual({
      dryRun: true,
      recreateOnImmutableDrift: false,
      ignorePrincipals: ['terraform@demo-project.iam.gserviceaccount.com'],
      breaker: { maxRepairs: 5, windowSec: 600 },
      repairClientEgress: false,
    });
  });

  it('reads JSON too, and stores full network URLs as partial paths', () => {
    const json = JSON.stringify({
      services: [
        {
          project: 'demo-project',
          region: 'asia-northeast1',
          service: 'server-service',
          ingress: 'internal-and-cloud-load-balancing',
          loadBalancer: {
            namePrefix: 'internal-lb',
            network: 'https://www.googleapis.com/compute/v1/projects/host-project/global/networks/shared-vpc',
            subnetwork: 'https://compute.googleapis.com/compute/beta/projects/host-project/regions/asia-northeast1/subnetworks/s1',
            ipAddress: '192.168.1.2',
            port: 8080,
          },
        },
      ],
    });
    const lb = parseMesh(json, 'mesh.json').services[0]!.loadBalancer;
    expect(lb.network).toBe('projects/host-project/global/networks/shared-vpc');
    expect(lb.subnetwork).toBe('projects/host-project/regions/asia-northeast1/subnetworks/s1');
    expect(lb.port).toBe(8080);
  });
});

describe('parseMesh: problems, every one at its exact path', () => {
  it('lists every schema problem with FILE: path: message', () => {
    const text = `services:
${serviceYaml('a', 'lb-a', '10.0.0.1')}${serviceYaml('b', 'lb-b', '10.0.0.2')}${serviceYaml('c', 'lb-c', '10.0.0.300')}
  - project: Demo_Project
    region: tokyo
    service: -bad
    ingress: all
    loadBalancer:
      namePrefix: Internal
      network: test-vpc
      subnetwork: projects/p/global/subnetworks/x
      ipAddress: 10.0.0
      port: 70000
      backend: {timeoutSec: 0, logSampleRate: 1.5, localityLbPolicy: FASTEST, sessionAffinity: NONE, extra: 1}
      names: {proxy: x, urlMap: Bad_Name}
policy: {dryRun: "yes", breaker: {maxRepairs: 0}, surprise: true}
`;
    let error: MeshConfigError | undefined;
    try {
      parseMesh(text, 'mesh.yaml');
    } catch (err) {
      error = err as MeshConfigError;
    }
    expect(error).toBeInstanceOf(MeshConfigError);
    const lines = error!.message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'mesh.yaml: services[2].loadBalancer.ipAddress: must be an IPv4 address such as 10.0.0.100 (got "10.0.0.300")',
        'mesh.yaml: services[3].project: must be a project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen (got "Demo_Project")',
        'mesh.yaml: services[3].region: must be a region such as asia-northeast1 (got "tokyo")',
        'mesh.yaml: services[3].ingress: must be one of internal, internal-and-cloud-load-balancing (got "all")',
        'mesh.yaml: services[3].loadBalancer.port: must be <= 65535 (got 70000)',
        "mesh.yaml: services[3].loadBalancer.backend.timeoutSec: cannot be set: Google refuses a timeout on a backend service with serverless NEG backends (the request timeout is the Cloud Run service's own, set on the service); leave timeoutSec out, or 30, Google's fixed value (got 0)",
        'mesh.yaml: services[3].loadBalancer.backend.logSampleRate: must be <= 1 (got 1.5)',
        'mesh.yaml: policy.dryRun: must be a boolean (got "yes")',
        'mesh.yaml: policy.breaker.maxRepairs: must be >= 1 (got 0)',
      ]),
    );
    const paths = error!.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'services[3].service',
        'services[3].loadBalancer.namePrefix',
        'services[3].loadBalancer.network',
        'services[3].loadBalancer.subnetwork',
        'services[3].loadBalancer.ipAddress',
        'services[3].loadBalancer.backend.localityLbPolicy',
        'services[3].loadBalancer.backend.extra',
        'services[3].loadBalancer.names.proxy',
        'services[3].loadBalancer.names.urlMap',
        'policy.surprise',
      ]),
    );
    expect(paths).not.toContain('services[0].loadBalancer.ipAddress');
    expect(error!.problems.find((p) => p.path === 'services[3].loadBalancer.names.proxy')!.message).toBe(
      'is not a known field (known: address, neg, backendService, urlMap, targetProxy, forwardingRule)',
    );
    expect(error!.problems.find((p) => p.path === 'services[3].loadBalancer.network')!.message).toMatch(
      /^must be projects\/PROJECT\/global\/networks\/NAME/,
    );
  });

  it('names missing required fields at their own path', () => {
    const problems = problemsOf(
      `services:\n  - project: demo-project\n    region: asia-northeast1\n    service: s\n    loadBalancer: {namePrefix: lb}\n`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'services[0].ingress', message: 'is required' },
        { path: 'services[0].loadBalancer.network', message: 'is required' },
        { path: 'services[0].loadBalancer.subnetwork', message: 'is required' },
        { path: 'services[0].loadBalancer.ipAddress', message: 'is required' },
        { path: 'services[0].loadBalancer.port', message: 'is required' },
      ]),
    );
  });

  it('rejects an empty file, an empty service list, and a top level that is not a mapping', () => {
    expect(problemsOf('')).toEqual([{ path: '(root)', message: 'must be an object (got null)' }]);
    expect(problemsOf('services: []')).toEqual([{ path: 'services', message: 'must NOT have fewer than 1 items (got [])' }]);
    expect(problemsOf('- a\n- b')[0]!.path).toBe('(root)');
  });

  it('reports YAML syntax errors and duplicate keys with line and column', () => {
    const dup = problemsOf(`services:${serviceYaml('s', 'lb', '10.0.0.1')}      port: 81\n`);
    expect(dup).toHaveLength(1);
    expect(dup[0]!.path).toMatch(/^line \d+, column \d+$/);
    expect(dup[0]!.message).toMatch(/unique/i);
    const broken = problemsOf('services: [\n  {project: x\n');
    expect(broken[0]!.path).toMatch(/^line \d+, column \d+$/);
  });

  it('rejects a derived name longer than 63 characters, at namePrefix, unless that name is overridden', () => {
    const prefix = 'p'.repeat(51); // 51 + "-target-proxy" = 64, 51 + "-backend-svc" = 63
    const problems = problemsOf(`services:${serviceYaml('s', prefix, '10.0.0.1')}`);
    expect(problems).toEqual([
      {
        path: 'services[0].loadBalancer.namePrefix',
        message: `derived targetProxy name "${prefix}-target-proxy" is 64 characters; GCE names are at most 63 (shorten namePrefix or set names.targetProxy)`,
      },
    ]);
    expect(() =>
      parseMesh(`services:${serviceYaml('s', prefix, '10.0.0.1', '      names: {targetProxy: short-proxy}')}`, 'm'),
    ).not.toThrow();
  });

  it('rejects an override longer than 63 characters', () => {
    const problems = problemsOf(`services:${serviceYaml('s', 'lb', '10.0.0.1', `      names: {neg: ${'n'.repeat(64)}}`)}`);
    expect(problems.map((p) => p.path)).toEqual(['services[0].loadBalancer.names.neg']);
    expect(problems[0]!.message).toMatch(/^must NOT have more than 63 characters/);
  });

  it('rejects a subnetwork outside the service region', () => {
    const text = `services:${serviceYaml('s', 'lb', '10.0.0.1')}`.replace(
      'regions/asia-northeast1/subnetworks',
      'regions/us-central1/subnetworks',
    );
    expect(problemsOf(text)).toEqual([
      {
        path: 'services[0].loadBalancer.subnetwork',
        message:
          'is in region us-central1, but the service is in asia-northeast1 (a regional internal load balancer needs a subnetwork in its own region)',
      },
    ]);
  });
});

describe('parseMesh: uniqueness across services', () => {
  it('rejects a duplicate service, naming both entries', () => {
    const problems = problemsOf(`services:${serviceYaml('s', 'lb-a', '10.0.0.1')}${serviceYaml('s', 'lb-b', '10.0.0.2')}`);
    expect(problems).toEqual([{ path: 'services[1]', message: 'duplicates services[0] (demo-project/asia-northeast1/s)' }]);
  });

  it('accepts the same service name in two regions', () => {
    const other = serviceYaml('s', 'lb', '10.1.0.1').replace(/asia-northeast1/g, 'europe-west1');
    expect(parseMesh(`services:${serviceYaml('s', 'lb', '10.0.0.1')}${other}`, 'm').services).toHaveLength(2);
  });

  it('rejects two services claiming one resource name, naming both paths', () => {
    const problems = problemsOf(
      `services:${serviceYaml('a', 'lb-a', '10.0.0.1')}${serviceYaml('b', 'lb-b', '10.0.0.2', '      names: {neg: lb-a-neg}')}${serviceYaml('c', 'lb-a', '10.0.0.3')}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'services[1].loadBalancer.names.neg',
          message: 'neg "lb-a-neg" in demo-project/asia-northeast1 is also claimed by services[0].loadBalancer.namePrefix',
        },
        {
          path: 'services[2].loadBalancer.namePrefix',
          message: 'address "lb-a-ip" in demo-project/asia-northeast1 is also claimed by services[0].loadBalancer.namePrefix',
        },
        {
          path: 'services[2].loadBalancer.namePrefix',
          message: 'neg "lb-a-neg" in demo-project/asia-northeast1 is also claimed by services[0].loadBalancer.namePrefix',
        },
      ]),
    );
    expect(problems.filter((p) => p.path.startsWith('services[2]'))).toHaveLength(6);
  });

  it('lets two kinds share a name (different collections) and two services share an IP in different subnetworks', () => {
    const a = serviceYaml('a', 'lb-a', '10.0.0.1', '      names: {address: same, neg: same}');
    const b = serviceYaml('b', 'lb-b', '10.0.0.1').replace('subnetworks/test-subnet', 'subnetworks/other-subnet');
    expect(parseMesh(`services:${a}${b}`, 'm').services).toHaveLength(2);
  });

  it('rejects two services claiming one internal IP in one subnetwork', () => {
    expect(problemsOf(`services:${serviceYaml('a', 'lb-a', '10.0.0.1')}${serviceYaml('b', 'lb-b', '10.0.0.1')}`)).toEqual([
      {
        path: 'services[1].loadBalancer.ipAddress',
        message:
          '10.0.0.1 in projects/demo-project/regions/asia-northeast1/subnetworks/test-subnet is also claimed by services[0].loadBalancer.ipAddress',
      },
    ]);
  });
});

describe('loadMesh', () => {
  it('says clearly when the file is missing', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'mesh-')), 'nope.yaml');
    expect(() => loadMesh(missing)).toThrow(
      new MeshConfigError(missing, [{ path: '(root)', message: 'cannot read mesh config: file not found' }]),
    );
  });

  it('labels problems with the file path it read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mesh-')), 'mesh.yaml');
    writeFileSync(file, 'services: 3\n');
    expect(() => loadMesh(file)).toThrow(`${file}: services: must be an array (got 3)`);
  });
});

describe('readMesh: a file or a Cloud Storage object', () => {
  it('reads a file without loading the Storage client (only a gs:// mesh pays for it)', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@google-cloud/storage', () => {
        throw new Error('@google-cloud/storage was loaded for a file mesh');
      });
      const { readMesh } = await import('./load');
      await expect(readMesh(EXAMPLE, undefined)).resolves.toMatchObject({
        services: [expect.objectContaining({ service: 'server-service' })],
      });
    });
  });

  it('refuses a gs:// URL without an object, naming the form, before any download', async () => {
    const { readMesh } = await import('./load');
    await expect(readMesh('gs://only-a-bucket', undefined)).rejects.toThrow(
      'gs://only-a-bucket: (root): cannot read mesh config: a Cloud Storage mesh is named gs://BUCKET/OBJECT',
    );
  });
});
