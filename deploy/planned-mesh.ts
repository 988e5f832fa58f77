// Prints the mesh a Terraform plan would mount: the secret_data of the module's mesh secret
// version in `terraform show -json PLAN` (Terraform's JSON plan keeps sensitive values in
// `after`, flagging them in `after_sensitive`). The pipeline validates this text with the
// function's own loader before it applies the plan, so a broken mesh never reaches the function.
//   npx ts-node --transpile-only -P tsconfig.json deploy/planned-mesh.ts tfplan.json > planned-mesh.yaml
import { readFileSync } from 'node:fs';

interface PlannedChange {
  type: string;
  name: string;
  address: string;
  change: { actions: string[]; after: Record<string, unknown> | null };
}

/** The mesh text of the plan's one mesh secret version; an error when there is none or several. */
export function plannedMesh(planJson: string): string {
  const plan = JSON.parse(planJson) as { resource_changes?: PlannedChange[] };
  const versions = (plan.resource_changes ?? []).filter(
    (c) => c.type === 'google_secret_manager_secret_version' && c.name === 'mesh' && c.change.after !== null,
  );
  if (versions.length !== 1) {
    throw new Error(
      `expected one planned mesh secret version (google_secret_manager_secret_version.mesh), found ${versions.length}: ${versions.map((v) => v.address).join(', ') || 'none'}`,
    );
  }
  const data = versions[0]!.change.after!.secret_data;
  if (typeof data !== 'string') throw new Error(`${versions[0]!.address}: secret_data is not in the plan (is it unknown until apply?)`);
  return data;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: planned-mesh.ts PLAN.json');
  process.stdout.write(plannedMesh(readFileSync(file, 'utf8')));
}
