# Values shared by the concept files (pubsub.tf, sink.tf, function.tf, iam.tf, scheduler.tf,
# monitoring.tf). The two lists the code also knows live in methods.tf and permissions.tf.

data "google_project" "host" {
  project_id = var.project_id
}

locals {
  managed_projects = length(var.managed_projects) > 0 ? var.managed_projects : [var.project_id]

  # Google-managed Pub/Sub identity: it forwards to the dead-letter topic and signs push tokens.
  pubsub_service_agent = "serviceAccount:service-${data.google_project.host.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Both entry points run the same source with the same identity and environment.
  functions = {
    remediate = { name = var.name, entry_point = "remediateDrift", timeout_seconds = 240 }
    sweep     = { name = "${var.name}-sweep", entry_point = "sweep", timeout_seconds = 540 }
  }

  remediate_uri = google_cloudfunctions2_function.this["remediate"].service_config[0].uri
  sweep_uri     = google_cloudfunctions2_function.this["sweep"].service_config[0].uri
}
