// gcloud, Google's own CLI, as an independent client of the emulator (test/emulator/README.md):
// Compute through its API endpoint override; Cloud Run v1 is regional, so gcloud prefixes the region
// to the override's host and the emulator is also its HTTP proxy. No credentials, a config directory
// of its own, no update checks or usage reports. Cases that need it are skipped, with the reason in
// their titles, where gcloud is not installed.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from './on-path';
import { testOrSkip } from './test-or-skip';

export const NO_GCLOUD = 'no `gcloud` on PATH (install the Google Cloud CLI to run it)';

/** `test` for the cases that run gcloud (found on PATH: asking gcloud itself costs a Python start). */
export const gcloudTest = testOrSkip(findOnPath('gcloud') !== undefined, NO_GCLOUD);

export interface GcloudResult {
  /** the exit code; 0 on success */
  code: number;
  stdout: string;
  stderr: string;
}

/** gcloud is slow to start (a Python process, seconds under load): callers run calls side by side. */
const GCLOUD_TIMEOUT_MS = 90_000;

export class Gcloud {
  private readonly configDir = mkdtempSync(join(tmpdir(), 'gcloud-config-'));

  constructor(
    private readonly emulator: { url: string; port: number },
    private readonly project: string,
  ) {}

  run(...args: string[]): Promise<GcloudResult> {
    const env = {
      ...process.env,
      CLOUDSDK_CONFIG: this.configDir,
      CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
      CLOUDSDK_CORE_PROJECT: this.project,
      CLOUDSDK_CORE_CHECK_GCE_METADATA: 'false',
      CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
      CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
      CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${this.emulator.url}/compute/v1/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN: `${this.emulator.url}/`,
      CLOUDSDK_PROXY_TYPE: 'http',
      CLOUDSDK_PROXY_ADDRESS: '127.0.0.1',
      CLOUDSDK_PROXY_PORT: String(this.emulator.port),
    };
    return new Promise((resolve) => {
      execFile('gcloud', args, { env, timeout: GCLOUD_TIMEOUT_MS }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  /** Removes its config directory. */
  close(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
