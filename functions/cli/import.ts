// `mesh-remediator import --project P [--region R]... | --terraform FILE [--merge MESH] [--out FILE]`:
// a mesh.yaml from what exists. Reads every region's chain resources and Cloud Run services (list
// calls through the port in the regions given, else those holding an internal forwarding rule; or
// a `terraform show -json` document), keeps each complete chain as an entry and reports the others with the reason. The result is checked with the same loader the
// function uses before anything is written. Exit 0 every chain imported, 2 written but some chains
// left out, 1 nothing written.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseMesh } from '../config/load';
import { MeshConfigError } from '../config/mesh-config-error';
import { createGcpPort, type GcpPort } from '../gcp/adapter';
import { sayWhileGoogleAnswers } from './waiting';
import { findChains, type ImportedChain, type LeftOut } from '../import/chains';
import type { Inventory } from '../import/inventory';
import { mergeMesh, renderMesh } from '../import/mesh-yaml';
import { readInventory } from '../import/read-inventory';
import { terraformInventories } from '../import/terraform-inventory';
import { EXIT, UsageError, type CliIO, type CommandAction } from './command';
import { plural } from './render';
import { parseEnvironment } from '../config/environment';

export interface ImportOptions {
  project?: string;
  region?: string[];
  terraform?: string;
  merge?: string;
  out?: string;
}

export const importMesh: CommandAction = async (input, io) => {
  const options = input.opts as ImportOptions;
  if (options.terraform === undefined && options.project === undefined)
    throw new UsageError('say where to import from: --project P [--region R]... or --terraform FILE');
  const existing = options.merge !== undefined ? readText(options.merge) : undefined;
  const inventories = options.terraform !== undefined ? fromTerraform(options) : await fromGoogleCloud(io, options, existing);

  const chains: ImportedChain[] = [];
  const leftOut: LeftOut[] = [];
  for (const inventory of inventories) {
    const found = findChains(inventory);
    chains.push(...found.chains);
    leftOut.push(...found.leftOut);
  }
  chains.sort((a, b) => a.key.localeCompare(b.key));
  for (const l of leftOut) io.stderr(`left out: ${l.what}: ${l.reason}\n`);

  const target = options.out ?? options.merge;
  let text: string;
  if (existing !== undefined && options.merge !== undefined) {
    const merged = mergeMesh(existing, options.merge, chains);
    text = merged.text;
    if (merged.added.length) io.stderr(`added: ${merged.added.join(', ')}\n`);
    if (merged.updated.length) io.stderr(`updated: ${merged.updated.join(', ')}\n`);
    if (merged.untouched.length) io.stderr(`kept as written (not found by this import): ${merged.untouched.join(', ')}\n`);
  } else {
    if (chains.length === 0) {
      io.stderr(`mesh-remediator import: no complete chain found in ${sources(inventories)}; nothing written\n`);
      return EXIT.error;
    }
    text = renderMesh(chains, [
      `Written by mesh-remediator import from ${sources(inventories)}.`,
      'Each entry is preceded by the chain it was read from; each value says where it came from.',
      'Check it: mesh-remediator validate --config FILE, then mesh-remediator diff --config FILE (exit 0: nothing to repair).',
    ]);
  }

  // The function's own loader must accept it, or nothing is written.
  try {
    parseMesh(text, target ?? '(import output)');
  } catch (err) {
    if (!(err instanceof MeshConfigError)) throw err;
    io.stderr(`mesh-remediator import: the result would not load, nothing written:\n${err.message}\n`);
    return EXIT.error;
  }
  if (target !== undefined) writeFileSync(target, text);
  else io.stdout(text);
  io.stderr(
    `imported ${plural(chains.length, 'service')}${chains.length ? `: ${chains.map((c) => c.key).join(', ')}` : ''}${target ? ` → ${target}` : ''}\n`,
  );
  return leftOut.length > 0 ? EXIT.drift : EXIT.ok;
};

function fromTerraform(options: ImportOptions): Inventory[] {
  const file = options.terraform!;
  let document: unknown;
  try {
    document = JSON.parse(readText(file));
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new UsageError(`--terraform ${file}: not JSON (${err.message}); give it the output of terraform show -json`);
    throw err;
  }
  const all = terraformInventories(document, file, options.project ? { project: options.project } : {});
  return all.filter(
    (i) =>
      (!options.project || i.scope.project === options.project) && (!options.region?.length || options.region.includes(i.scope.region)),
  );
}

async function fromGoogleCloud(io: CliIO, options: ImportOptions, existing: string | undefined): Promise<Inventory[]> {
  const project = options.project!;
  const port = createGcpPort({ environment: parseEnvironment(io.env).environment });
  const read = async () => {
    const regions = options.region?.length
      ? options.region
      : await discoverRegions(io, port, project, declaredRegions(options, existing), options.merge);
    const inventories: Inventory[] = [];
    for (const region of [...new Set(regions)].sort()) inventories.push(await readInventory(port, { project, region }));
    return inventories;
  };
  try {
    return await sayWhileGoogleAnswers(io, { googleCalls: () => port.inFlight() }, read());
  } finally {
    await port.close();
  }
}

/**
 * Without --region: every region holding an INTERNAL_MANAGED forwarding rule (one aggregated list),
 * since a complete chain ends in one in its own region; with --merge, the regions the mesh declares
 * in this project too. A partial chain in a region without such a rule is not listed, so not
 * reported: the line on stderr says which regions were read and how to add one.
 */
async function discoverRegions(io: CliIO, port: GcpPort, project: string, declared: string[], mergeFile?: string): Promise<string[]> {
  const found = await port.forwardingRuleRegions(project, 'INTERNAL_MANAGED');
  const regions = [...new Set([...found, ...declared])].sort();
  if (regions.length === 0)
    throw new UsageError(
      `no region of project ${project} holds an INTERNAL_MANAGED forwarding rule (forwardingRules.aggregatedList), so no complete chain exists to import; ` +
        'to list a region anyway (its partial chains are reported), pass --region R',
    );
  const why = [
    found.length ? `${found.join(', ')} hold INTERNAL_MANAGED forwarding rules` : '',
    declared.length ? `${declared.join(', ')} declared in ${mergeFile}` : '',
  ].filter(Boolean);
  io.stderr(`regions: ${regions.join(', ')} (${why.join('; ')}; pass --region R to list others)\n`);
  return regions;
}

/** Merging: the regions the mesh already declares in this project (none if it does not load). */
function declaredRegions(options: ImportOptions, existing: string | undefined): string[] {
  if (existing === undefined) return [];
  try {
    return [
      ...new Set(
        parseMesh(existing, options.merge!)
          .services.filter((s) => s.project === options.project)
          .map((s) => s.region),
      ),
    ];
  } catch {
    return [];
  }
}

function sources(inventories: Inventory[]): string {
  return [...new Set(inventories.map((i) => i.source))].join(', ') || 'nothing (no region matched)';
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
}
