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
  description = "Pull subscription keeping dead letters for 7 days: after fixing the cause, mesh-remediator replay --subscription <this>."
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

output "function_grants" {
  description = "Every custom role of the function (name => permissions) and where each is bound (\"<resource> <role>\" => IAM condition, \"\" for none), read from the resources."
  value = {
    roles = merge(
      { for r in google_project_iam_custom_role.this : "projects/${r.project}/roles/${r.role_id}" => sort(r.permissions) },
      { for r in google_organization_iam_custom_role.this : "organizations/${r.org_id}/roles/${r.role_id}" => sort(r.permissions) },
    )
    bindings = merge(
      { for m in google_cloud_run_v2_service_iam_member.repair : "projects/${m.project}/locations/${m.location}/services/${m.name} ${m.role}" => "" },
      { for m in google_project_iam_member.function : "projects/${m.project} ${m.role}" => try(m.condition[0].expression, "") },
    )
    act_as = sort([for m in google_service_account_iam_member.act_as_runtime : m.service_account_id])
  }
}

output "outcome_metric" {
  description = "Log-based metric counting outcome lines by outcome and service."
  value       = "logging.googleapis.com/user/${google_logging_metric.outcomes.name}"
}

output "alert_policy" {
  description = "Alert policy on failed repairs and tripped breakers."
  value       = google_monitoring_alert_policy.outcomes.name
}
