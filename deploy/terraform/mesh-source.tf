# Where the function reads the declared mesh (MESH_CONFIG). Exactly one of:
# - mesh_yaml: a Secret Manager secret version mounted as a file (Cloud Run functions mount files
#   only from Secret Manager; the mesh is not secret, this is the way to change it without a new
#   archive). A version holds at most 64 KiB (docs/google-behaviour.md): ~140 services.
# - mesh_yaml_file + mesh_bucket: an object in an existing Cloud Storage bucket, named by its
#   content hash, which the function downloads at start (MESH_CONFIG=gs://BUCKET/OBJECT) — for
#   fleet meshes beyond the secret's cap. The module still reads the text: the grants of iam.tf are
#   derived from what the mesh declares.
# Either way a changed mesh is a new version or object, made before the old one goes, and the
# functions move to it with a new revision.

locals {
  mesh_mount_path = "/etc/${var.name}"
  mesh_in_bucket  = var.mesh_bucket != null
  mesh_text       = local.mesh_in_bucket ? file(var.mesh_yaml_file) : var.mesh_yaml
  # Under <name>/ so one conditional grant covers every version the module writes.
  mesh_object = "${var.name}/mesh-${substr(sha256(local.mesh_text), 0, 16)}.yaml"
  mesh_config = local.mesh_in_bucket ? "gs://${var.mesh_bucket}/${local.mesh_object}" : "${local.mesh_mount_path}/mesh.yaml"
}

# --- mesh_yaml: a mounted secret ----------------------------------------------------------------

resource "google_secret_manager_secret" "mesh" {
  count = local.mesh_in_bucket ? 0 : 1

  project   = var.project_id
  secret_id = "${var.name}-mesh"
  labels    = var.labels

  replication {
    auto {}
  }
}

# A changed mesh is a new version: created first, the functions moved onto it, and only then the
# old version destroyed (by default it would be destroyed first, under the running revision).
resource "google_secret_manager_secret_version" "mesh" {
  count = local.mesh_in_bucket ? 0 : 1

  secret      = google_secret_manager_secret.mesh[0].id
  secret_data = var.mesh_yaml

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_secret_manager_secret_iam_member" "mesh_reader" {
  count = local.mesh_in_bucket ? 0 : 1

  project   = var.project_id
  secret_id = google_secret_manager_secret.mesh[0].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.function_member
}

# --- mesh_yaml_file + mesh_bucket: a Cloud Storage object ---------------------------------------

resource "google_storage_bucket_object" "mesh" {
  count = local.mesh_in_bucket ? 1 : 0

  bucket       = var.mesh_bucket
  name         = local.mesh_object
  content      = local.mesh_text
  content_type = "application/yaml"

  lifecycle {
    create_before_destroy = true
  }
}

# Read on the module's objects only: objectViewer (storage.objects.get) under an IAM condition on
# the object name, which needs the bucket's uniform bucket-level access (docs/google-behaviour.md).
resource "google_storage_bucket_iam_member" "mesh_reader" {
  count = local.mesh_in_bucket ? 1 : 0

  bucket = var.mesh_bucket
  role   = "roles/storage.objectViewer"
  member = local.function_member

  condition {
    title       = "${var.name} mesh objects"
    description = "The declared mesh objects mesh-remediator writes under ${var.name}/."
    expression  = "resource.name.startsWith(\"projects/_/buckets/${var.mesh_bucket}/objects/${var.name}/\")"
  }
}
