output "service_account_email" {
  description = "Identity of both functions (SELF_PRINCIPAL): its own changes are ignored by the decoder."
  value       = google_service_account.function.email
}

output "audit_topic" {
  description = "Topic the Log Router sink publishes audit entries to."
  value       = google_pubsub_topic.audit.id
}

output "dead_letter_topic" {
  description = "Topic that receives audit messages after max_delivery_attempts failed deliveries."
  value       = google_pubsub_topic.dead_letter.id
}

output "dead_letter_subscription" {
  description = "Pull subscription keeping dead letters for 7 days (inspect, or feed to mesh-remediator replay)."
  value       = google_pubsub_subscription.dead_letter.id
}

output "report_topic" {
  description = "REPORT_TOPIC: one message per reconcile outcome."
  value       = google_pubsub_topic.report.id
}

output "sink_writer_identity" {
  description = "The sink's writer identity (granted roles/pubsub.publisher on the audit topic)."
  value       = local.sink_writer_identity
}

output "sink_filter" {
  description = "The Log Router filter: Admin Activity entries of the handled methods only."
  value       = local.sink_filter
}

output "function_uri" {
  description = "URI of remediateDrift (the audit push endpoint)."
  value       = local.remediate_uri
}

output "sweep_uri" {
  description = "URI of sweep (POST, OIDC; ?dryRun=true plans only)."
  value       = local.sweep_uri
}

output "repair_role_by_project" {
  description = "Custom role bound to the function in each managed project."
  value       = local.repair_role_by_project
}

output "outcome_metric" {
  description = "Log-based metric counting outcome lines by outcome and service."
  value       = "logging.googleapis.com/user/${google_logging_metric.outcomes.name}"
}

output "alert_policy" {
  description = "Alert policy on failed repairs and tripped breakers."
  value       = google_monitoring_alert_policy.outcomes.name
}
