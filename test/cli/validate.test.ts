// `validate` through the dispatcher on JSON meshes of several services (functions/cli/validate.test.ts
// covers the YAML example and the summary layout): every problem with its exact path, exit codes.
import { DEFAULT_POLICY } from '../../functions/config/mesh';
import { declaredService } from '../emulator/test-mesh';
import { meshDocument, removeTempDirs, runCli, writeMesh, writeText } from './cli-harness';

afterAll(removeTempDirs);

const a = declaredService('a', 'lb-a', '10.0.0.1');
const b = declaredService('b', 'lb-b', '10.0.0.2');

test('a good JSON mesh of two services: exit 0, both listed', async () => {
  const { code, stdout, stderr } = await runCli(['validate', '--config', writeMesh([a, b], 'json')]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toMatch(/: valid, 2 services\n/);
  expect(stdout).toContain(`${a.key}\n`);
  expect(stdout).toContain(`${b.key}\n`);
});

test('problems deep in the second service and in the policy: each with its exact path, exit 1', async () => {
  const doc = meshDocument([a, b]) as { services: Array<{ loadBalancer: Record<string, unknown> }>; policy: Record<string, unknown> };
  (doc.services[1] as { loadBalancer: Record<string, unknown> }).loadBalancer.ipAddress = '10.0.0.999';
  (doc.services[1] as { loadBalancer: Record<string, unknown> }).loadBalancer.port = 70000;
  doc.policy = { ...DEFAULT_POLICY, dryRun: 'yes' };
  const file = writeText('mesh.json', JSON.stringify(doc));
  const { code, stdout, stderr } = await runCli(['validate', '--config', file]);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr.trimEnd().split('\n')).toEqual([
    `${file}: services[1].loadBalancer.ipAddress: must be an IPv4 address such as 10.0.0.100 (got "10.0.0.999")`,
    `${file}: services[1].loadBalancer.port: must be <= 65535 (got 70000)`,
    `${file}: policy.dryRun: must be a boolean (got "yes")`,
    `${file}: 3 problems`,
  ]);
});

test('two services claiming the same load balancer names: each clash named, exit 1', async () => {
  const clash = declaredService('b', 'lb-a', '10.0.0.2');
  const file = writeMesh([a, clash], 'json');
  const { code, stdout, stderr } = await runCli(['validate', '--config', file, '--json']);
  expect(code).toBe(1);
  expect(stderr).toBe('');
  const { problems } = JSON.parse(stdout) as { problems: Array<{ path: string; message: string }> };
  expect(problems).toHaveLength(6);
  expect(problems[0]).toEqual({
    path: 'services[1].loadBalancer.namePrefix',
    message: 'address "lb-a-ip" in demo-project/asia-northeast1 is also claimed by services[0].loadBalancer.namePrefix',
  });
});
