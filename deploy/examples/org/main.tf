# An organization-wide install: one remediator in a host project watches every project of the
# organization through an organization-level sink. Its custom roles are defined once at the
# organization and bound only where the mesh points: on each declared Cloud Run service, on the
# declared load balancer pieces in their projects, and on the declared networks in the Shared VPC
# host project (network use only).

locals {
  mesh = {
    services = var.mesh_services
    policy = {
      ignorePrincipals = var.ignore_principals
    }
  }
}

module "remediator" {
  source = "../../terraform"

  project_id    = var.host_project_id
  region        = var.region
  source_bucket = var.remediator_source_bucket
  source_object = var.remediator_source_object
  mesh_yaml     = yamlencode(local.mesh)

  sink_scope      = "organization"
  sink_parent     = var.organization_id
  role_scope      = "organization"
  organization_id = var.organization_id

  # Many projects: allow more parallel repairs and sweep less often.
  max_instance_count = 10
  sweep_schedule     = "0 * * * *"

  slack_webhook_secret_id = var.slack_webhook_secret_id
  notification_channels   = var.notification_channels
}

output "sink_writer_identity" {
  value = module.remediator.sink_writer_identity
}

output "function_grants" {
  value = module.remediator.function_grants
}

output "dead_letter_subscription" {
  description = "Replay dead letters from here: mesh-remediator replay --subscription <this>."
  value       = module.remediator.dead_letter_subscription
}
