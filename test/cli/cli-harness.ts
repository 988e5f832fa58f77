// Runs the CLI in-process the way a person would from a shell: `main(argv, io)` with an io that
// captures stdout/stderr, an environment pointing at the local emulator, and a mesh written to a
// temporary file (YAML or JSON, as operators keep it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Ajv, { type ValidateFunction } from 'ajv';
import cliSchema from '../../functions/cli/cli-output.schema.json';
import reportSchema from '../../functions/notify/report.schema.json';
import type { DeclaredService, Policy } from '../../functions/config/mesh';
import type { CliIO } from '../../functions/cli/command';
import { main } from '../../functions/cli/main';
import type { Emulator } from '../emulator';
import { SELF_PRINCIPAL } from '../support/identity';
import { meshDocument, writeMesh as writeMeshFile, type MeshFile } from '../support/mesh-file';

/** The function's identity (tests import it from here as SELF). */
export const SELF = SELF_PRINCIPAL;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
  stdin?: string;
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The environment a person has when pointing the CLI at the emulator. */
export function emulatorEnv(emulator: Emulator, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...emulator.env, SELF_PRINCIPAL: SELF, METADATA_SERVER_DETECTION: 'none', ...extra };
}

export { meshDocument };

const tempDirs: string[] = [];

export function tempDir(prefix = 'cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** For afterAll: the meshes and exports written so far (a 10,000-entry export is 25 MB). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const file of meshFiles.splice(0)) file.remove();
}

const meshFiles: MeshFile[] = [];

/** The mesh file an operator writes (YAML by default, as operators keep it); removed by removeTempDirs. */
export function writeMesh(services: DeclaredService[], format: 'yaml' | 'json' = 'yaml', policy: Partial<Policy> = {}): string {
  const file = writeMeshFile(services, { format, policy });
  meshFiles.push(file);
  return file.path;
}

export function writeText(name: string, text: string): string {
  const file = join(tempDir('replay-'), name);
  writeFileSync(file, text);
  return file;
}

let validateCli: ValidateFunction | undefined;

/** What is wrong with a --json document against functions/cli/cli-output.schema.json (none: []). */
export function cliSchemaErrors(doc: unknown): unknown[] {
  // Compiled on first use: most suites using this harness check no --json output.
  validateCli ??= new Ajv({ allErrors: true, strict: false }).addSchema(reportSchema).compile(cliSchema);
  return validateCli(doc) ? [] : [...(validateCli.errors ?? [])];
}
