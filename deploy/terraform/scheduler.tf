# The periodic full reconcile: catches anything whose audit entry was lost, dead-lettered or
# filtered (the same reconcile runs for an event and for a sweep).

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.name}-sched"
  display_name = "mesh-remediator sweep scheduler"
}

resource "google_cloud_run_v2_service_iam_member" "sweep_invoker" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.this["sweep"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_cloud_scheduler_job" "sweep" {
  project          = var.project_id
  region           = var.region
  name             = "${var.name}-sweep"
  description      = "Reconcile every declared service (mesh-remediator sweep)."
  schedule         = var.sweep_schedule
  time_zone        = var.sweep_time_zone
  attempt_deadline = "1800s" # the HTTP target maximum, as long as sweep may run

  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = local.sweep_uri

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.sweep_uri
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.sweep_invoker]
}
