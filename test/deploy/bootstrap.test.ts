// deploy/bootstrap.sh enables every API a resource of deploy/ belongs to (plus Cloud Resource
// Manager, which data.google_project and every IAM binding call), and deploy/README.md lists the
// same APIs. A new resource type without a known API fails here until the table below learns it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './terraform-config';
import { usedTypes } from './terraform-provider/google-schema-generate';

/** Which API serves a resource type, by type prefix (first match wins). */
const API_BY_PREFIX: Array<[string, string[]]> = [
  // 2nd gen functions build with Cloud Build into Artifact Registry and run on Cloud Run.
  ['google_cloudfunctions2_', ['cloudfunctions', 'cloudbuild', 'artifactregistry', 'run']],
  ['google_cloud_run_v2_', ['run']],
  ['google_cloud_scheduler_', ['cloudscheduler']],
  ['google_compute_', ['compute']],
  ['google_logging_', ['logging']],
  ['google_monitoring_', ['monitoring']],
  ['google_organization_iam_', ['iam', 'cloudresourcemanager']],
  ['google_project_iam_', ['iam', 'cloudresourcemanager']],
  ['google_project', ['cloudresourcemanager']],
  ['google_service_account', ['iam']],
  ['google_pubsub_', ['pubsub']],
  ['google_secret_manager_', ['secretmanager']],
  ['google_storage_', ['storage']],
];

const script = readFileSync(join(REPO_ROOT, 'deploy', 'bootstrap.sh'), 'utf8');
const enabled = /APIS=\(([^)]*)\)/
  .exec(script)![1]!
  .split(/\s+/)
  .filter((a) => a.endsWith('.googleapis.com'))
  .map((a) => a.replace('.googleapis.com', ''));

describe('deploy/bootstrap.sh', () => {
  it('enables the API of every resource type deploy/ declares', async () => {
    const { resources, dataSources } = await usedTypes();
    const needed = new Set<string>();
    const unknown: string[] = [];
    for (const type of [...resources, ...dataSources]) {
      const apis = API_BY_PREFIX.find(([prefix]) => type.startsWith(prefix))?.[1];
      if (apis) apis.forEach((a) => needed.add(a));
      else unknown.push(type);
    }
    expect(unknown).toEqual([]);
    expect([...needed].filter((a) => !enabled.includes(a))).toEqual([]);
    expect(enabled).toContain('cloudresourcemanager');
  });

  it('is the list deploy/README.md gives', () => {
    const readme = readFileSync(join(REPO_ROOT, 'deploy', 'README.md'), 'utf8');
    const listed = /\*\*APIs\*\*([\s\S]*?)\n- \*\*/.exec(readme)![1]!;
    for (const api of enabled) expect([api, listed.includes(`\`${api}\``)]).toEqual([api, true]);
  });

  it('runs the pipeline with substitutions cloudbuild.yaml declares', () => {
    const cloudbuild = readFileSync(join(REPO_ROOT, 'cloudbuild.yaml'), 'utf8');
    for (const [, name] of script.matchAll(/\b(_[A-Z_]+)=/g)) expect(cloudbuild).toContain(`  ${name}:`);
    expect(script).toContain('--config=cloudbuild.yaml');
  });
});
