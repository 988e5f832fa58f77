// Runs the real `terraform` CLI on a copy of deploy/ with the google provider replaced by the
// schema-only stand-in (stand-in-provider.ts), installed from a local filesystem mirror. The CLI
// configuration names no other installation method, so `terraform init` cannot download anything,
// and the checkpoint (version check) call is switched off.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { findOnPath } from '../../support/on-path';
import { transformSync } from '@swc/core';
import { REPO_ROOT } from '../terraform-config';
import { readGeneratedSchema } from './google-schema';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, parseHandshake } from './go-plugin-handshake';

export const PROVIDER_SOURCE = 'registry.terraform.io/hashicorp/google';

/** Why the terraform suites skip where findTerraform() finds none. */
export const NO_TERRAFORM = 'no `terraform` on PATH; install terraform >= 1.11 to run these';

/** The terraform binary on PATH, or undefined (tests then skip, saying so). */
export function findTerraform(): string | undefined {
  return findOnPath('terraform', (candidate) => {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
      return true;
    } catch {
      return false; // not runnable: keep looking
    }
  });
}

/**
 * The stand-in as plain JavaScript beside its protos and schema (Terraform starts it several times
 * per command; compiling once here saves loading TypeScript each time). Stripped of its types by
 * SWC, as jest's transform does (the TypeScript compiler costs ~1.5 s of CPU to load and run in
 * each suite that makes a sandbox). Returns its entry file.
 */
function compileStandIn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const name of ['stand-in-provider', 'google-schema', 'go-plugin-handshake']) {
    const file = join(__dirname, `${name}.ts`);
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      filename: file,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    writeFileSync(join(dir, `${name}.js`), code);
  }
  for (const file of ['tfplugin6.proto', 'health.proto', 'go-plugin.proto', 'google-schema.generated.json'])
    copyFileSync(join(__dirname, file), join(dir, file));
  return join(dir, 'stand-in-provider.js');
}

const platform = (): string => `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

export interface TerraformResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface TerraformSandbox {
  /** The copy of deploy/ terraform works in. */
  deployDir: string;
  env: NodeJS.ProcessEnv;
  /** Runs terraform without blocking the event loop (a proxy in this process must stay able to answer). */
  run(args: string[], cwd: string, extraEnv?: NodeJS.ProcessEnv): Promise<TerraformResult>;
  /**
   * Starts the installed stand-in once and returns the environment that makes terraform attach to
   * it (TF_REATTACH_PROVIDERS) instead of starting it for every provider instance: `terraform test`
   * starts it ~25 times otherwise. For commands after `init` only: init skips installing a provider
   * it is told to attach to. remove() stops it.
   */
  attachedProvider(): Promise<NodeJS.ProcessEnv>;
  /** Deletes the sandbox (the copy, the mirror, terraform's working files) and stops an attached provider. */
  remove(): void;
}

/**
 * Starts the provider executable as Terraform would (go-plugin-handshake.ts) and returns the
 * TF_REATTACH_PROVIDERS value naming it. `Test: true` is go-plugin's reattach mode in which
 * terraform neither starts nor stops the process (Terraform's provider debugging mode,
 * developer.hashicorp.com/terraform/plugin/debugging; checked with terraform 1.11.4).
 */
async function serveProvider(executable: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; reattach: string }> {
  const child = spawn(executable, [], { env: { ...env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE }, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`stand-in provider exited (${code ?? signal}) before its handshake: ${stderr}`)));
  });
  const handshake = parseHandshake(line);
  // remove() kills it; its pipes must not keep a jest worker waiting for the exit.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as Socket).unref();
  const reattach = {
    [PROVIDER_SOURCE]: {
      Protocol: handshake.protocol,
      ProtocolVersion: handshake.appProtocolVersion,
      Pid: child.pid,
      Test: true,
      Addr: { Network: handshake.network, String: handshake.address },
    },
  };
  return { child, reattach: JSON.stringify(reattach) };
}

/**
 * A temporary copy of deploy/, a filesystem mirror holding the stand-in as google at the schema's
 * provider version, and a CLI configuration that installs only from that mirror.
 */
export function terraformSandbox(terraform: string, extraCliConfig = ''): TerraformSandbox {
  const root = mkdtempSync(join(tmpdir(), 'mesh-remediator-tf-'));
  const deployDir = join(root, 'deploy');
  cpSync(join(REPO_ROOT, 'deploy'), deployDir, { recursive: true, filter: (src) => !/[/\\]\.terraform(\.lock\.hcl)?$/.test(src) });

  const version = readGeneratedSchema().source.provider_version;
  const mirror = join(root, 'mirror');
  const packageDir = join(mirror, PROVIDER_SOURCE, version, platform());
  mkdirSync(packageDir, { recursive: true });
  const executable = join(packageDir, `terraform-provider-google_v${version}`);
  const standIn = compileStandIn(join(root, 'stand-in'));
  writeFileSync(
    executable,
    `#!/bin/sh\nNODE_PATH=${JSON.stringify(join(REPO_ROOT, 'node_modules'))} exec ${JSON.stringify(process.execPath)} ${JSON.stringify(standIn)}\n`,
  );
  chmodSync(executable, 0o755);

  const cliConfig = join(root, 'terraform.rc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = [${JSON.stringify(PROVIDER_SOURCE)}]\n  }\n${extraCliConfig}}\n`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_DISABLE_PLUGIN_TLS: '1',
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_PLUGIN_CACHE_DIR: '',
  };
  let attached: Promise<{ child: ChildProcess; reattach: string }> | undefined;
  let provider: ChildProcess | undefined;
  return {
    deployDir,
    env,
    async attachedProvider() {
      attached ??= serveProvider(executable, env);
      const served = await attached;
      provider = served.child;
      return { TF_REATTACH_PROVIDERS: served.reattach };
    },
    run(args, cwd, extraEnv = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(terraform, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
      });
    },
    remove() {
      provider?.kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
