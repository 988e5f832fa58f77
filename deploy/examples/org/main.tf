# An organization-wide install: one remediator in a host project watches every project of the
# organization through an organization-level sink, and holds an organization-level custom role
# bound only in the projects that declare services (plus the Shared VPC hosts).

locals {
  mesh = {
    services = var.mesh_services
    policy = {
      ignorePrincipals = var.ignore_principals
    }
  }

  declared_projects = distinct([for s in var.mesh_services : s.project])
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

  managed_projects = distinct(concat(local.declared_projects, var.shared_vpc_host_projects))

  # Many projects: allow more parallel repairs and sweep less often.
  max_instance_count = 10
  sweep_schedule     = "0 * * * *"

  slack_webhook_secret_id = var.slack_webhook_secret_id
  notification_channels   = var.notification_channels
}

output "sink_writer_identity" {
  value = module.remediator.sink_writer_identity
}

output "repair_role_by_project" {
  value = module.remediator.repair_role_by_project
}
