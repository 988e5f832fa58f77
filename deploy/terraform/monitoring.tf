# Outcome lines (functions/notify) -> a counter by outcome and service -> alerts on failed repairs
# and tripped breakers. Outcome values: repaired, failed, breaker-open, drift-detected, in-sync, paused.

locals {
  # The names functions/notify/alert-log.ts writes (checked by test/deploy/terraform-module.test.ts).
  outcome_label = "mesh_remediator_outcome"
  service_label = "mesh_remediator_service"
  outcome_log_filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=(\"${local.functions.remediate.name}\" OR \"${local.functions.sweep.name}\")",
    "jsonPayload.event=\"mesh-remediator.outcome\"",
  ])
}

resource "google_logging_metric" "outcomes" {
  project = var.project_id
  name    = "${var.name}/outcomes"
  filter  = local.outcome_log_filter

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "mesh-remediator outcomes"

    labels {
      key         = "outcome"
      value_type  = "STRING"
      description = "repaired, failed, breaker-open, drift-detected, in-sync or paused"
    }

    labels {
      key         = "service"
      value_type  = "STRING"
      description = "declared service key project/region/service"
    }
  }

  label_extractors = {
    outcome = "EXTRACT(labels.${local.outcome_label})"
    service = "EXTRACT(labels.${local.service_label})"
  }
}

locals {
  alerted_outcomes = {
    failed         = "A repair failed"
    "breaker-open" = "A breaker tripped: a service keeps drifting back"
  }
}

# The alert matches the outcome log lines themselves rather than the metric above: an alert on a
# log-based metric created in the same apply fails with 404 "Cannot find metric(s)" until the
# metric has propagated (hashicorp/terraform-provider-google#11102). Log-match alerts need a
# notification rate limit.
resource "google_monitoring_alert_policy" "outcomes" {
  project               = var.project_id
  display_name          = "mesh-remediator: failed repair or tripped breaker"
  combiner              = "OR"
  notification_channels = var.notification_channels
  user_labels           = var.labels

  dynamic "conditions" {
    for_each = local.alerted_outcomes
    content {
      display_name = conditions.value

      condition_matched_log {
        filter = join(" AND ", [
          local.outcome_log_filter,
          "labels.${local.outcome_label}=\"${conditions.key}\"",
        ])
        label_extractors = {
          service = "EXTRACT(labels.${local.service_label})"
        }
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"

    notification_rate_limit {
      period = "300s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "mesh-remediator could not keep a declared service private. Logs: `jsonPayload.event=\"mesh-remediator.outcome\" labels.${local.outcome_label}=(\"failed\" OR \"breaker-open\")`. Dead letters: subscription `${google_pubsub_subscription.dead_letter.name}`; after fixing the cause, `mesh-remediator replay --subscription ${google_pubsub_subscription.dead_letter.id}`."
  }
}
