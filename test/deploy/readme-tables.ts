// The tables of deploy/README.md that must never disagree with the code: module inputs and
// outputs (from the parsed .tf files) and what each permission is for (from PERMISSIONS_BY_CALL).
// readme-tables.test.ts fails when they drift. To regenerate:
//   npx ts-node --transpile-only -P tsconfig.json test/deploy/readme-tables.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantOf, PERMISSIONS_BY_CALL, type Grant } from '../../functions/gcp/permissions';
import { loadTerraformDir, MODULE_DIR, REPO_ROOT, type TerraformConfig } from './terraform-config';
import { recreatePermissions } from './terraform-lists';

export const README = join(REPO_ROOT, 'deploy', 'README.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;

export function renderInputs(mod: TerraformConfig): string {
  const rows = Object.entries(mod.variables).map(([name, v]) => {
    const type = String(v.type ?? 'any').replace(/^\$\{(.*)\}$/s, '$1');
    const fallback = 'default' in v ? code(JSON.stringify(v.default)) : '**required**';
    return `| ${code(name)} | ${cell(code(type))} | ${cell(fallback)} | ${cell(String(v.description ?? ''))} |`;
  });
  return ['| input | type | default | description |', '|---|---|---|---|', ...rows].join('\n');
}

export function renderOutputs(mod: TerraformConfig): string {
  const rows = Object.entries(mod.outputs).map(([name, o]) => `| ${code(name)} | ${cell(String(o.description ?? ''))} |`);
  return ['| output | description |', '|---|---|', ...rows].join('\n');
}

export function renderPermissions(): string {
  const callsByPermission = new Map<string, string[]>();
  for (const [call, permissions] of Object.entries(PERMISSIONS_BY_CALL)) {
    for (const p of permissions) callsByPermission.set(p, [...(callsByPermission.get(p) ?? []), call]);
  }
  const recreate = new Set(recreatePermissions());
  const where: Record<Grant, string> = {
    cloudRunService: 'each declared Cloud Run service',
    loadBalancer: 'service project, condition: declared chain resources',
    network: 'network project, condition: declared network and subnetwork',
    project: 'service project, no condition',
  };
  const rows = [...callsByPermission.keys()].sort().map((p) => {
    const granted = recreate.has(p) ? `${where[grantOf(p)]}; only with \`recreate_on_immutable_drift\`` : where[grantOf(p)];
    return `| ${code(p)} | ${callsByPermission.get(p)!.map(code).join(', ')} | ${granted} |`;
  });
  return ['| permission | adapter calls that need it | granted on |', '|---|---|---|', ...rows].join('\n');
}

export async function renderSections(): Promise<Record<string, string>> {
  const mod = await loadTerraformDir(MODULE_DIR);
  return { inputs: renderInputs(mod), outputs: renderOutputs(mod), permissions: renderPermissions() };
}

const marker = (name: string): RegExp => new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(\\n<!-- /generated:${name} -->)`);

/** The text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function section(readme: string, name: string): string | undefined {
  const m = marker(name).exec(readme);
  return m ? m[0].slice(m[1]!.length, m[0].length - m[2]!.length) : undefined;
}

if (require.main === module) {
  void renderSections().then((sections) => {
    let text = readFileSync(README, 'utf8');
    for (const [name, table] of Object.entries(sections)) {
      if (!marker(name).test(text)) throw new Error(`${README}: no generated:${name} markers`);
      text = text.replace(marker(name), (_, open: string, close: string) => `${open}${table}${close}`);
    }
    writeFileSync(README, text);
  });
}
