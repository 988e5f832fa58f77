# The two entry points of functions/index.ts, deployed from one archive (`npm run package`, named by
# its content hash, so new code is a new object name and a new deployment):
#   remediateDrift  CloudEvent, fed by the audit push subscription (push-subscriptions.tf)
#   sweep           HTTP, called by Cloud Scheduler (scheduler.tf)
# Terraform is the only thing that deploys them (cloudbuild.yaml runs this module).

# Builds of the archive run as this account: since mid-2024 a new project's default build identity
# is the Compute default account, often without the roles a build needs (docs/google-behaviour.md).
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name}-build"
  display_name = "mesh-remediator function builds"
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectViewer"])

  project = var.project_id
  role    = each.key
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_cloudfunctions2_function" "this" {
  for_each = local.functions

  project  = var.project_id
  location = var.region
  name     = each.value.name
  labels   = var.labels

  build_config {
    runtime         = "nodejs22"
    entry_point     = each.value.entry_point
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = var.source_bucket
        object = var.source_object
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.function.email
    available_memory               = "256M"
    timeout_seconds                = each.value.timeout_seconds
    max_instance_count             = var.max_instance_count
    ingress_settings               = var.ingress_settings
    all_traffic_on_latest_revision = true

    environment_variables = {
      MESH_CONFIG    = local.mesh_config # mesh-source.tf: the mounted secret, or gs://BUCKET/OBJECT
      SELF_PRINCIPAL = google_service_account.function.email
      REPORT_TOPIC   = google_pubsub_topic.report.id
      SWEEP_TOPIC    = google_pubsub_topic.sweep.id # sweep-fanout.tf
      DRY_RUN        = tostring(var.dry_run)
      # V8 sizes its heap from what it sees, not from the 256M instance: capped, it collects
      # before the instance's limit (a 10,000-service sweep peaked at 234 MiB RSS; README, Performance).
      NODE_OPTIONS = "--max-old-space-size=128"
    }

    dynamic "secret_volumes" {
      for_each = google_secret_manager_secret_version.mesh
      content {
        mount_path = local.mesh_mount_path
        project_id = var.project_id
        secret     = google_secret_manager_secret.mesh[0].secret_id

        versions {
          version = secret_volumes.value.version
          path    = "mesh.yaml"
        }
      }
    }

    dynamic "secret_environment_variables" {
      for_each = var.slack_webhook_secret_id == null ? [] : [var.slack_webhook_secret_id]
      content {
        key        = "SLACK_WEBHOOK_URL"
        project_id = var.project_id
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.mesh_reader,
    google_storage_bucket_iam_member.mesh_reader,
    google_secret_manager_secret_iam_member.slack_reader,
    google_project_iam_member.build,
  ]
}
