# Org-wide sweep fan-out. With SWEEP_TOPIC set (function.tf), the scheduled `sweep` call publishes
# one message per (project, region) shard to the sweep topic and returns; this push subscription
# posts each shard back to the `sweep` function, so Cloud Run's autoscaling spreads the shards over
# instances (its push subscription: push-subscriptions.tf). A shard that fails answers 500: Pub/Sub retries it with backoff and, after
# max_delivery_attempts, dead-letters it to the same dead-letter topic as audit events. Each shard
# publishes its summary on the report topic (attribute kind=sweep-shard).

resource "google_pubsub_topic" "sweep" {
  project = var.project_id
  name    = "${var.name}-sweep"
  labels  = var.labels
}

# The function publishes the shards.
resource "google_pubsub_topic_iam_member" "sweep_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.sweep.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function.email}"
}

# Pub/Sub pushes shards to the sweep function as push_invoker.
resource "google_cloud_run_v2_service_iam_member" "sweep_push_invoker" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.this["sweep"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push_invoker.email}"
}
