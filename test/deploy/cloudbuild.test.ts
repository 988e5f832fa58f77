// cloudbuild.yaml is the one deploy path: it tests, packages the function, uploads the archive,
// plans with Terraform, validates the planned mesh with the function's own loader and applies that
// plan. It deploys nothing itself (no gcloud functions/run deploy, no Eventarc trigger fighting the
// module), every step runs something that exists, and every substitution is declared.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse, stringify } from 'yaml';
import type { CliIO } from '../../functions/cli/command';
import { main } from '../../functions/cli/main';
import { plannedMesh } from '../../deploy/planned-mesh';
import { loadTerraformDir, REPO_ROOT } from './terraform-config';
import { TerraformEvaluator } from './terraform-eval';

interface Step {
  id: string;
  name: string;
  entrypoint?: string;
  args?: string[];
}

interface CloudBuild {
  substitutions: Record<string, string>;
  serviceAccount: string;
  steps: Step[];
}

const build = parse(readFileSync(join(REPO_ROOT, 'cloudbuild.yaml'), 'utf8')) as CloudBuild;
const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const step = (id: string): Step => {
  const found = build.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};
const commandLine = (s: Step): string => [s.entrypoint ?? '', ...(s.args ?? [])].join(' ');
const everything = build.steps.map(commandLine).join('\n');

/** A Terraform JSON plan (terraform show -json) reduced to the fields planned-mesh.ts reads. */
const plan = (changes: Array<{ type: string; name: string; secret_data?: string; content?: string }>): string =>
  JSON.stringify({
    format_version: '1.2',
    resource_changes: changes.map(({ type, name, ...after }) => ({
      address: `module.remediator.${type}.${name}`,
      type,
      name,
      change: { actions: ['create'], after, after_sensitive: { secret_data: true } },
    })),
  });

async function validate(file: string): Promise<{ code: number; output: string }> {
  let output = '';
  const io: CliIO = {
    stdout: (t) => void (output += t),
    stderr: (t) => void (output += t),
    isTTY: false,
    env: {},
    stdin: Readable.from([]),
  };
  return { code: await main(['validate', '--config', file], io), output };
}

describe('cloudbuild.yaml', () => {
  it('tests, packages, uploads, plans, validates the planned mesh and applies that plan, in that order', () => {
    expect(build.steps.map((s) => s.id)).toEqual(['install', 'test', 'package', 'upload', 'plan', 'validate-mesh', 'apply']);
  });

  it('deploys nothing outside Terraform: no gcloud deploy, no Eventarc trigger', () => {
    expect(everything).not.toMatch(/gcloud (functions|run) deploy|eventarc|--trigger-/);
    expect(commandLine(step('apply'))).toContain('terraform apply -input=false tfplan');
  });

  it('runs only npm scripts that package.json defines, on a node:22 builder', () => {
    for (const s of build.steps.filter((x) => x.entrypoint === 'npm')) {
      expect(s.name).toBe('node:22');
      const [command, script] = s.args ?? [];
      if (command === 'run') expect(Object.keys(scripts)).toContain(script);
      else expect(['ci', 'test']).toContain(command);
    }
    for (const [, script] of everything.matchAll(/npm run (?:-s )?([\w:-]+)/g)) expect(Object.keys(scripts)).toContain(script);
    expect(scripts.package).toContain('deploy/package-archive.ts');
  });

  it('declares every substitution it uses and uses every one it declares', () => {
    const text = JSON.stringify([build.steps, build.serviceAccount]);
    const used = new Set([...text.matchAll(/\$\{(_[A-Z0-9_]+)\}/g)].map((m) => m[1]!));
    for (const value of Object.values(build.substitutions)) for (const m of value.matchAll(/\$\{(_[A-Z0-9_]+)\}/g)) used.add(m[1]!);
    expect([...used].filter((u) => !(u in build.substitutions))).toEqual([]);
    expect(Object.keys(build.substitutions).filter((d) => !used.has(d))).toEqual([]);
    // Shell variables are escaped ($$) so Cloud Build does not take them for substitutions.
    expect([...everything.matchAll(/(?<!\$)\$\{([a-z]\w*)\}/g)]).toEqual([]);
  });

  it('uploads the archive the package step named, and plans with that very name', () => {
    expect(commandLine(step('package'))).toContain('> archive-name');
    expect(commandLine(step('upload'))).toContain('gs://${_SOURCE_BUCKET}/$${name}');
    expect(commandLine(step('plan'))).toContain('-var=remediator_source_object=$$(cat /workspace/archive-name)');
  });

  it('applies a root configuration that calls the module and takes the archive variables', async () => {
    const dir = build.substitutions._TERRAFORM_DIR!;
    const root = await loadTerraformDir(join(REPO_ROOT, dir));
    expect(Object.values(root.modules).map((m) => m.source)).toContain('../../terraform');
    for (const v of ['remediator_source_bucket', 'remediator_source_object', 'project_id', 'region'])
      expect(Object.keys(root.variables)).toContain(v);
  });

  it('validates with files that exist: the plan reader and the CLI launcher', () => {
    const script = commandLine(step('validate-mesh'));
    for (const file of ['deploy/planned-mesh.ts', 'bin/mesh-remediator.js']) {
      expect(script).toContain(file);
      expect(existsSync(join(REPO_ROOT, file))).toBe(true);
    }
    expect(script).toContain('validate --config planned-mesh.yaml');
  });
});

describe('planned-mesh.ts', () => {
  it('reads the mesh the plan would mount', () => {
    expect(plannedMesh(plan([{ type: 'google_secret_manager_secret_version', name: 'mesh', secret_data: 'services: []\n' }]))).toBe(
      'services: []\n',
    );
  });

  it('reads the mesh the plan would write into Cloud Storage (mesh_yaml_file)', () => {
    expect(plannedMesh(plan([{ type: 'google_storage_bucket_object', name: 'mesh', content: 'services: []\n' }]))).toBe('services: []\n');
  });

  it('refuses a plan without exactly one mesh version, naming what it found', () => {
    expect(() => plannedMesh(plan([]))).toThrow(/found 0: none/);
    const two = plan([
      { type: 'google_secret_manager_secret_version', name: 'mesh', secret_data: 'a' },
      { type: 'google_secret_manager_secret_version', name: 'mesh', secret_data: 'b' },
    ]);
    expect(() => plannedMesh(two)).toThrow(/found 2/);
  });

  it('passes the blog example mesh to validate, and a broken mesh makes validate fail the build', async () => {
    const blog = await loadTerraformDir(join(REPO_ROOT, 'deploy/examples/blog'));
    const mesh = stringify(
      new TerraformEvaluator(blog, { project_id: 'demo-project', remediator_source_bucket: 'b', remediator_source_object: 'o' }).local(
        'mesh',
      ),
    );
    const dir = mkdtempSync(join(tmpdir(), 'planned-mesh-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, plannedMesh(plan([{ type: 'google_secret_manager_secret_version', name: 'mesh', secret_data: mesh }])));
    expect((await validate(good)).code).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, mesh.replace('ingress: internal', 'ingress: everywhere'));
    const result = await validate(bad);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('ingress');
  });
});
