module "remediator" {
  source = "../../terraform"

  project_id    = var.project_id
  region        = var.region
  source_bucket = var.remediator_source_bucket
  source_object = var.remediator_source_object
  mesh_yaml     = yamlencode(local.mesh)

  # The two settings the mesh's policy also carries come from the same variables.
  dry_run                     = var.remediator_dry_run
  recreate_on_immutable_drift = var.recreate_on_immutable_drift

  runtime_service_accounts = var.remediator_act_as_services_account ? [google_service_account.services.email] : []
  slack_webhook_secret_id  = var.slack_webhook_secret_id
  notification_channels    = var.notification_channels

  # The function is granted rights on server-service itself, which must exist first.
  depends_on = [google_cloud_run_v2_service.server]
}
