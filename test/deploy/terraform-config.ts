// A Terraform directory as data: every *.tf file parsed by a real HCL parser (@cdktf/hcl2json, the
// HCL library compiled to WebAssembly) and merged the way Terraform merges a module's files, with
// duplicates rejected as Terraform rejects them. hcl2json keeps literals as JSON and renders every
// expression as a "${...}" string, which the tests read or evaluate (terraform-eval.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

export const REPO_ROOT = join(__dirname, '..', '..');
export const MODULE_DIR = join(REPO_ROOT, 'deploy', 'terraform');
export const EXAMPLES_DIR = join(REPO_ROOT, 'deploy', 'examples');

export type Block = Record<string, unknown>;

export interface TerraformConfig {
  dir: string;
  files: string[];
  variables: Record<string, Block>;
  locals: Record<string, unknown>;
  outputs: Record<string, Block>;
  modules: Record<string, Block>;
  /** `type.name` → block */
  resources: Record<string, Block>;
  /** `data.type.name` → block */
  data: Record<string, Block>;
  terraform: Block[];
}

function single(blocks: unknown, what: string): Block {
  if (!Array.isArray(blocks) || blocks.length !== 1) throw new Error(`${what}: expected one block`);
  return blocks[0] as Block;
}

function put<T>(into: Record<string, T>, key: string, value: T, where: string): void {
  if (key in into) throw new Error(`${where}: duplicate declaration of ${key}`);
  into[key] = value;
}

export async function loadTerraformDir(dir: string): Promise<TerraformConfig> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no .tf files`);
  const config: TerraformConfig = {
    dir,
    files,
    variables: {},
    locals: {},
    outputs: {},
    modules: {},
    resources: {},
    data: {},
    terraform: [],
  };
  for (const file of files) {
    const json = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Record<string, unknown>;
    const where = `${dir}/${file}`;
    for (const [name, blocks] of Object.entries((json.variable ?? {}) as Record<string, unknown>)) {
      put(config.variables, name, single(blocks, `${where} variable ${name}`), where);
    }
    for (const [name, blocks] of Object.entries((json.output ?? {}) as Record<string, unknown>)) {
      put(config.outputs, name, single(blocks, `${where} output ${name}`), where);
    }
    for (const [name, blocks] of Object.entries((json.module ?? {}) as Record<string, unknown>)) {
      put(config.modules, name, single(blocks, `${where} module ${name}`), where);
    }
    for (const localsBlock of (json.locals ?? []) as Block[]) {
      for (const [name, value] of Object.entries(localsBlock)) put(config.locals, name, value, where);
    }
    for (const [kind, key] of [
      ['resource', 'resources'],
      ['data', 'data'],
    ] as const) {
      const byType = (json[kind] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [type, byName] of Object.entries(byType)) {
        for (const [name, blocks] of Object.entries(byName)) {
          const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          put(config[key], address, single(blocks, `${where} ${address}`), where);
        }
      }
    }
    config.terraform.push(...((json.terraform ?? []) as Block[]));
  }
  return config;
}

/** Every resource of one type, by name. */
export function resourcesOfType(config: TerraformConfig, type: string): Record<string, Block> {
  const out: Record<string, Block> = {};
  for (const [address, block] of Object.entries(config.resources)) {
    if (address.startsWith(`${type}.`)) out[address.slice(type.length + 1)] = block;
  }
  return out;
}

export function resource(config: TerraformConfig, address: string): Block {
  const block = config.resources[address];
  if (!block) throw new Error(`${config.dir}: no resource ${address}`);
  return block;
}

/** A nested block (hcl2json renders blocks as arrays); exactly one expected. */
export function nested(block: Block, name: string): Block {
  return single(block[name], `block ${name}`);
}

/** The text inside every "${...}" of every string in a value, nested templates included. */
export function expressions(value: unknown): string[] {
  if (typeof value === 'string') {
    const out: string[] = [];
    for (let start = value.indexOf('${'); start >= 0; start = value.indexOf('${', start + 2)) {
      let depth = 0;
      for (let i = start + 1; i < value.length; i++) {
        if (value[i] === '{') depth++;
        else if (value[i] === '}' && --depth === 0) {
          out.push(value.slice(start + 2, i));
          break;
        }
      }
    }
    return out;
  }
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

/** References to undeclared variables, locals, modules, data sources or resources. */
export function undeclaredReferences(config: TerraformConfig): string[] {
  const everything = [config.variables, config.locals, config.outputs, config.modules, config.resources, config.data];
  const missing = new Set<string>();
  for (const expr of expressions(everything)) {
    for (const [, name] of expr.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)) {
      if (!(name! in config.variables)) missing.add(`var.${name}`);
    }
    for (const [, name] of expr.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g)) {
      if (!(name! in config.locals)) missing.add(`local.${name}`);
    }
    for (const [, name] of expr.matchAll(/\bmodule\.([A-Za-z_][\w-]*)/g)) {
      if (!(name! in config.modules)) missing.add(`module.${name}`);
    }
    for (const [ref] of expr.matchAll(/\bdata\.google_[a-z0-9_]+\.[A-Za-z_][\w-]*/g)) {
      if (!(ref in config.data)) missing.add(ref);
    }
    for (const [ref] of expr.matchAll(/(?<![.\w])google_[a-z0-9_]+\.[A-Za-z_][\w-]*/g)) {
      if (!(ref in config.resources)) missing.add(ref);
    }
  }
  return [...missing].sort();
}

/** Declared variables no expression uses (a sign of a broken wire). */
export function unusedVariables(config: TerraformConfig): string[] {
  const used = new Set<string>();
  const all = [config.locals, config.outputs, config.modules, config.resources, config.data];
  for (const expr of expressions(all)) for (const [, name] of expr.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)) used.add(name!);
  return Object.keys(config.variables).filter((v) => !used.has(v));
}

/** The `content` of a `dynamic "name"` block and its for_each. */
export function dynamicBlock(block: Block, name: string): { for_each: unknown; content: Block } {
  const dyn = (block.dynamic ?? {}) as Record<string, unknown>;
  const one = single(dyn[name], `dynamic ${name}`);
  return { for_each: one.for_each, content: single(one.content, `dynamic ${name} content`) };
}
