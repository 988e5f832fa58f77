// Prints the mesh a Terraform plan would give the function: the secret_data of the module's mesh
// secret version, or the content of its mesh object in Cloud Storage (mesh_yaml_file), in
// `terraform show -json PLAN` (Terraform's JSON plan keeps sensitive values in `after`, flagging
// them in `after_sensitive`). The pipeline validates this text with the
// function's own loader before it applies the plan, so a broken mesh never reaches the function.
//   npx ts-node --transpile-only -P tsconfig.json deploy/planned-mesh.ts tfplan.json > planned-mesh.yaml
import { readFileSync } from 'node:fs';

interface PlannedChange {
  type: string;
  name: string;
  address: string;
  change: { actions: string[]; after: Record<string, unknown> | null };
}

/** Where each mesh source keeps the text (deploy/terraform/mesh-source.tf). */
const MESH_FIELD: Record<string, string> = { google_secret_manager_secret_version: 'secret_data', google_storage_bucket_object: 'content' };

/** The mesh text of the plan's one mesh secret version or object; an error when there is none or several. */
export function plannedMesh(planJson: string): string {
  const plan = JSON.parse(planJson) as { resource_changes?: PlannedChange[] };
  const meshes = (plan.resource_changes ?? []).filter((c) => c.type in MESH_FIELD && c.name === 'mesh' && c.change.after !== null);
  if (meshes.length !== 1) {
    throw new Error(
      `expected one planned mesh (google_secret_manager_secret_version.mesh or google_storage_bucket_object.mesh), found ${meshes.length}: ${meshes.map((v) => v.address).join(', ') || 'none'}`,
    );
  }
  const field = MESH_FIELD[meshes[0]!.type]!;
  const data = meshes[0]!.change.after![field];
  if (typeof data !== 'string') throw new Error(`${meshes[0]!.address}: ${field} is not in the plan (is it unknown until apply?)`);
  return data;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: planned-mesh.ts PLAN.json');
  process.stdout.write(plannedMesh(readFileSync(file, 'utf8')));
}
