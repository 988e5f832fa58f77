// cloudbuild.yaml: every step runs something that exists (an npm script of package.json, a file of
// the repository, an entry point functions/index.ts registers), and every substitution is declared.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseMesh } from '../../functions/config/load';
import { registeredEntryPoints } from './entry-points';
import { REPO_ROOT } from './terraform-config';

interface Step {
  id: string;
  name: string;
  entrypoint?: string;
  args?: string[];
  waitFor?: string[];
}

interface CloudBuild {
  substitutions: Record<string, string>;
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
/** Cloud Build's own expansion: declared user substitutions (built-ins like PROJECT_ID left). */
const substitute = (text: string): string => text.replace(/\$\{(_[A-Z0-9_]+)\}/g, (_, n: string) => build.substitutions[n] ?? `<undeclared ${n}>`);
const flag = (s: Step, name: string): string | undefined =>
  s.args?.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('cloudbuild.yaml', () => {
  it('runs install, type-check, lint, test, build and deploy, in that order', () => {
    const ids = build.steps.map((s) => s.id);
    const order = ['install', 'typecheck', 'lint', 'test', 'build', 'stage', 'deploy', 'dead-letter'];
    expect(ids.filter((id) => order.includes(id))).toEqual(order);
    expect(ids).toContain('deploy-sweep');
  });

  it('runs only npm scripts that package.json defines, on a node:22 builder', () => {
    const npmSteps = build.steps.filter((s) => s.entrypoint === 'npm');
    expect(npmSteps.map((s) => s.id)).toEqual(['install', 'typecheck', 'lint', 'test', 'build']);
    for (const s of npmSteps) {
      expect(s.name).toBe('node:22');
      const [command, script] = s.args ?? [];
      if (command === 'ci') expect(existsSync(join(REPO_ROOT, 'package-lock.json'))).toBe(true);
      else if (command === 'run') expect(Object.keys(scripts)).toContain(script);
      else expect([s.id, command, command! in scripts]).toEqual([s.id, command, true]);
    }
    const shellScripts = build.steps.map(commandLine).join('\n');
    for (const [, script] of shellScripts.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(scripts)).toContain(script);
  });

  it('declares every substitution it uses and uses every one it declares', () => {
    const text = JSON.stringify(build.steps);
    const used = new Set([...text.matchAll(/\$\{(_[A-Z0-9_]+)\}/g)].map((m) => m[1]!));
    for (const value of Object.values(build.substitutions)) for (const m of value.matchAll(/\$\{(_[A-Z0-9_]+)\}/g)) used.add(m[1]!);
    expect([...used].filter((u) => !(u in build.substitutions))).toEqual([]);
    expect(Object.keys(build.substitutions).filter((d) => !used.has(d))).toEqual([]);
  });

  const shipped = build.substitutions._SOURCE_PATHS!.split(/\s+/);

  it('ships what the runtime compiles: the package files and every tsconfig.build.json root', () => {
    const stage = commandLine(step('stage'));
    expect(stage).toContain('for path in ${_SOURCE_PATHS}; do');
    expect(stage).toContain('cp -r --parents "$${path}" deploy-source/');
    expect(shipped.slice(0, 4)).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']);
    expect(shipped.filter((p) => !existsSync(join(REPO_ROOT, p)) && !p.startsWith('test/'))).toEqual([]);
    const buildConfig = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const roots = buildConfig.include.map((pattern) => pattern.replace(/\/\*\*.*$/, ''));
    expect(roots.filter((r) => !shipped.includes(r))).toEqual([]);
  });

  it('ships the declared mesh as mesh.yaml, valid for the loader', () => {
    const mesh = /cp (\S+) deploy-source\/mesh\.yaml/.exec(substitute(commandLine(step('stage'))))![1]!;
    expect(parseMesh(readFileSync(join(REPO_ROOT, mesh), 'utf8'), mesh).services.length).toBeGreaterThan(0);
  });

  it('ships a self-contained source: no shipped file imports a file outside the shipped roots', () => {
    const roots = shipped.filter((p) => existsSync(join(REPO_ROOT, p)) && !p.includes('.'));
    const inside = (path: string): boolean => roots.some((r) => !relative(join(REPO_ROOT, r), path).startsWith('..'));
    const sources = roots.flatMap((r) =>
      (readdirSync(join(REPO_ROOT, r), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => join(REPO_ROOT, r, f)),
    );
    expect(sources.length).toBeGreaterThan(0);
    const escaping = sources.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
      return specifiers.filter((spec) => !inside(resolve(dirname(file), spec))).map((spec) => `${relative(REPO_ROOT, file)}: ${spec}`);
    });
    expect(escaping).toEqual([]);
  });

  it('deploys entry points functions/index.ts registers, with matching triggers, on nodejs22', () => {
    const registered = registeredEntryPoints();
    const remediate = step('deploy');
    expect(flag(remediate, 'runtime')).toBe('nodejs22');
    expect(registered[flag(remediate, 'entry-point')!]).toBe('cloudevent');
    expect(flag(remediate, 'trigger-topic')).toBe('${_AUDIT_TOPIC}');
    expect(remediate.args).toContain('--retry');
    expect(remediate.args).toContain('--gen2');

    const sweep = step('deploy-sweep');
    expect(flag(sweep, 'runtime')).toBe('nodejs22');
    expect(registered[flag(sweep, 'entry-point')!]).toBe('http');
    expect(sweep.args).toEqual(expect.arrayContaining(['--trigger-http', '--no-allow-unauthenticated']));

    for (const s of [remediate, sweep]) {
      expect(flag(s, 'source')).toBe('deploy-source');
      expect(flag(s, 'set-env-vars')).toContain('SELF_PRINCIPAL=${_SERVICE_ACCOUNT}');
      expect(flag(s, 'service-account')).toBe('${_SERVICE_ACCOUNT}');
    }
  });

  it('puts the dead-letter policy on the subscription of the deployed trigger', () => {
    const script = commandLine(step('dead-letter'));
    expect(script).toContain('gcloud functions describe ${_FUNCTION_NAME}');
    expect(script).toContain('--dead-letter-topic=${_DEAD_LETTER_TOPIC}');
    // Bash variables are escaped ($$) so Cloud Build does not treat them as substitutions.
    expect([...script.matchAll(/(?<!\$)\$\{([a-z]\w*)\}/g)]).toEqual([]);
  });
});
