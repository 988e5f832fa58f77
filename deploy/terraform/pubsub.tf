# Audit entries flow: sink -> audit topic -> push subscription (retries, dead letter: push-subscriptions.tf) -> function.
#
# Why a push subscription and not the function's event_trigger: the subscription Eventarc creates
# for a Pub/Sub trigger is managed by Eventarc and google_cloudfunctions2_function has no way to give
# it a dead-letter policy (hashicorp/terraform-provider-google#25069). A subscription we own can
# carry both the retry policy and the dead-letter topic. The Functions Framework turns the raw
# push body into the same google.cloud.pubsub.topic.v1.messagePublished CloudEvent Eventarc sends
# (legacyPubSubEventMiddleware + backgroundEventToCloudEventMiddleware), so the code is unchanged.

resource "google_pubsub_topic" "audit" {
  project = var.project_id
  name    = "${var.name}-audit"
  labels  = var.labels
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = "${var.name}-dead-letter"
  labels  = var.labels
}

# Without a subscription a topic keeps nothing: this one holds dead letters for a week for
# inspection and `mesh-remediator replay`.
resource "google_pubsub_subscription" "dead_letter" {
  project                    = var.project_id
  name                       = "${var.name}-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic" "report" {
  project = var.project_id
  name    = "${var.name}-report"
  labels  = var.labels
}

# Dead-lettering needs the Pub/Sub service agent to publish to the DLQ (and to ack on each push
# subscription: push-subscriptions.tf).
resource "google_pubsub_topic_iam_member" "dead_letter_forwarder" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_topic_iam_member" "report_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.report.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function.email}"
}
