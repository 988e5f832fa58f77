# Outcome lines (functions/notify) -> a counter by outcome and service -> alerts on failed repairs
# and tripped breakers. Outcome values: repaired, failed, breaker-open, drift-detected, in-sync, paused.

resource "google_logging_metric" "outcomes" {
  project = var.project_id
  name    = "${var.name}/outcomes"
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=(\"${local.functions.remediate.name}\" OR \"${local.functions.sweep.name}\")",
    "jsonPayload.event=\"mesh-remediator.outcome\"",
  ])

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
    outcome = "EXTRACT(labels.mesh_remediator_outcome)"
    service = "EXTRACT(labels.mesh_remediator_service)"
  }
}

locals {
  alerted_outcomes = {
    failed         = "A repair failed"
    "breaker-open" = "A breaker tripped: a service keeps drifting back"
  }
}

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

      condition_threshold {
        filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.outcomes.name}\" AND metric.label.outcome = \"${conditions.key}\""
        comparison      = "COMPARISON_GT"
        threshold_value = 0
        duration        = "0s"

        aggregations {
          alignment_period     = "300s"
          per_series_aligner   = "ALIGN_SUM"
          cross_series_reducer = "REDUCE_SUM"
          group_by_fields      = ["metric.label.service"]
        }
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "mesh-remediator could not keep a declared service private. Logs: `jsonPayload.event=\"mesh-remediator.outcome\" labels.mesh_remediator_outcome=(\"failed\" OR \"breaker-open\")`. Dead letters: subscription `${google_pubsub_subscription.dead_letter.name}`."
  }
}
