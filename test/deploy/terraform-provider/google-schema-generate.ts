// Writes google-schema.generated.json: the google provider's schema for exactly the resource and
// data-source types deploy/ uses, read from the prebuilt cdktf bindings (cdktf-schema.ts). The
// package is large (300 MB unpacked), so it is not a dependency; install it anywhere and point the
// generator at it after adding a resource type to deploy/ or moving the provider version:
//   npm install --prefix /tmp/cdktf-google @cdktf/provider-google@16.12.1
//   npx ts-node --transpile-only -P tsconfig.json test/deploy/terraform-provider/google-schema-generate.ts \
//     /tmp/cdktf-google/node_modules/@cdktf/provider-google
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraformDir, REPO_ROOT } from '../terraform-config';
import { providerSchema, typeSchema } from './cdktf-schema';
import { GENERATED_SCHEMA, type PrunedSchema } from './google-schema';

export const GENERATE_COMMAND =
  'npx ts-node --transpile-only -P tsconfig.json test/deploy/terraform-provider/google-schema-generate.ts <dir of @cdktf/provider-google>';

/** Every directory under deploy/ holding .tf files. */
export function terraformDirs(root = join(REPO_ROOT, 'deploy')): string[] {
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir);
    if (entries.some((e) => e.endsWith('.tf'))) dirs.push(dir);
    for (const e of entries) if (!e.startsWith('.') && statSync(join(dir, e)).isDirectory()) walk(join(dir, e));
  };
  walk(root);
  return dirs.sort();
}

/** The resource and data-source types deploy/ declares. */
export async function usedTypes(): Promise<{ resources: string[]; dataSources: string[] }> {
  const resources = new Set<string>();
  const dataSources = new Set<string>();
  for (const dir of terraformDirs()) {
    const config = await loadTerraformDir(dir);
    for (const address of Object.keys(config.resources)) resources.add(address.split('.')[0]!);
    for (const address of Object.keys(config.data)) dataSources.add(address.split('.')[1]!);
  }
  return { resources: [...resources].sort(), dataSources: [...dataSources].sort() };
}

export function contentHash(schema: Pick<PrunedSchema, 'provider' | 'resource_schemas' | 'data_source_schemas'>): string {
  const body = JSON.stringify([schema.provider, schema.resource_schemas, schema.data_source_schemas]);
  return createHash('sha256').update(body).digest('hex');
}

function moduleFile(packageDir: string, dirName: string): string {
  const file = join(packageDir, 'lib', dirName, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} does not exist: is ${packageDir} @cdktf/provider-google?`);
  return file;
}

/** cdktf names a type's module after the type: google_compute_address → lib/compute-address. */
const moduleDir = (type: string, data: boolean): string =>
  `${data ? 'data-google-' : ''}${type.replace(/^google_/, '').replace(/_/g, '-')}`;

export async function generateSchema(packageDir: string): Promise<PrunedSchema> {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const providerFile = moduleFile(packageDir, 'provider');
  const providerVersion = /providerVersion: '([^']+)'/.exec(readFileSync(providerFile, 'utf8'))?.[1];
  if (!providerVersion) throw new Error(`${providerFile}: no providerVersion`);
  const { resources, dataSources } = await usedTypes();
  const schema = {
    provider: providerSchema(providerFile),
    resource_schemas: Object.fromEntries(resources.map((t) => [t, typeSchema(moduleFile(packageDir, moduleDir(t, false)), t)])),
    data_source_schemas: Object.fromEntries(dataSources.map((t) => [t, typeSchema(moduleFile(packageDir, moduleDir(t, true)), t)])),
  };
  return {
    source: { package: pkg.name, version: pkg.version, provider_version: providerVersion, regenerate: GENERATE_COMMAND },
    content_sha256: contentHash(schema),
    ...schema,
  };
}

export function serializeSchema(schema: PrunedSchema): string {
  return `${JSON.stringify(schema, null, 1)}\n`;
}

if (require.main === module) {
  const packageDir = process.argv[2];
  if (!packageDir) throw new Error(`usage: ${GENERATE_COMMAND}`);
  void generateSchema(packageDir).then((schema) => {
    writeFileSync(GENERATED_SCHEMA, serializeSchema(schema));
    const types = Object.keys(schema.resource_schemas).length + Object.keys(schema.data_source_schemas).length;
    process.stdout.write(`wrote ${GENERATED_SCHEMA}: ${types} types of google ${schema.source.provider_version}\n`);
  });
}
