# The two push subscriptions, defined once: audit entries to remediateDrift (pubsub.tf), sweep
# shards to sweep (sweep-fanout.tf). Both push with the push_invoker's OIDC token, retry with
# backoff, dead-letter to the one dead-letter topic after max_delivery_attempts, and never expire.

locals {
  push_subscriptions = {
    audit = {
      name  = "${var.name}-audit-push"
      topic = google_pubsub_topic.audit.id
      # The path names the topic so the Functions Framework can fill in the CloudEvent source.
      endpoint = "${local.remediate_uri}/${google_pubsub_topic.audit.id}"
      audience = local.remediate_uri
    }
    sweep = {
      name     = "${var.name}-sweep-push"
      topic    = google_pubsub_topic.sweep.id
      endpoint = local.sweep_uri
      audience = local.sweep_uri
    }
  }
}

resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions

  project = var.project_id
  name    = each.value.name
  topic   = each.value.topic
  # Pub/Sub's maximum: a repair (or a shard) that waits on operations longer than this is
  # redelivered, and the redelivery joins or repeats an idempotent reconcile.
  ack_deadline_seconds = 600
  labels               = var.labels

  push_config {
    push_endpoint = each.value.endpoint

    oidc_token {
      service_account_email = google_service_account.push_invoker.email
      audience              = each.value.audience
    }
  }

  # The functions throw only for failures a retry can fix; back off between attempts.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }
}

# Dead-lettering needs the Pub/Sub service agent to ack on the source subscription.
resource "google_pubsub_subscription_iam_member" "dead_letter_acker" {
  for_each = google_pubsub_subscription.push

  project      = var.project_id
  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# Existing installs keep their subscriptions (and the messages waiting in them).
moved {
  from = google_pubsub_subscription.audit_push
  to   = google_pubsub_subscription.push["audit"]
}

moved {
  from = google_pubsub_subscription.sweep_push
  to   = google_pubsub_subscription.push["sweep"]
}

moved {
  from = google_pubsub_subscription_iam_member.dead_letter_acker
  to   = google_pubsub_subscription_iam_member.dead_letter_acker["audit"]
}

moved {
  from = google_pubsub_subscription_iam_member.sweep_dead_letter_acker
  to   = google_pubsub_subscription_iam_member.dead_letter_acker["sweep"]
}
