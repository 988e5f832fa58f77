# Identities and what they may do. The function's rights are the permissions its adapter calls
# need (permissions.tf, generated from functions/gcp/permissions.ts), each granted only on what
# the declared mesh names (main.tf):
#   cloud_run_service  run.services.get/update, on each declared Cloud Run service and each of
#                      its declared clients (service IAM)
#   load_balancer      the chain's Compute permissions, in each service project, under an IAM
#                      condition naming the declared chain resources
#   network            compute.networks.use / subnetworks.use, in the project of each declared
#                      network (a Shared VPC host gets only these), under a condition naming them
#   project            lists and operations, in each project of a declared service or client:
#                      they only read, and no name is known in advance
#   recreate           the chain's deletes, like load_balancer, only with recreate_on_immutable_drift

resource "google_service_account" "function" {
  project      = var.project_id
  account_id   = var.name
  display_name = "mesh-remediator function (repairs declared services)"
}

# Signs the OIDC tokens of the Pub/Sub push to remediateDrift.
resource "google_service_account" "push_invoker" {
  project      = var.project_id
  account_id   = "${var.name}-push"
  display_name = "mesh-remediator audit push invoker"
}

locals {
  function_member = "serviceAccount:${google_service_account.function.email}"
  role_id         = replace(var.name, "-", "_")

  role_permissions = merge(
    local.granted_permissions,
    var.recreate_on_immutable_drift ? { recreate = local.recreate_permissions } : {},
  )
  role_projects = {
    cloud_run_service = local.run_projects
    load_balancer     = local.service_projects
    project           = sort(distinct(concat(local.service_projects, local.run_projects)))
    recreate          = local.service_projects
    network           = local.network_projects
  }
  role_descriptions = {
    cloud_run_service = "Read and set the ingress of declared Cloud Run services (mesh-remediator)."
    load_balancer     = "Read and repair the declared internal ALB chain resources (mesh-remediator)."
    project           = "List chain resources and follow operations (mesh-remediator)."
    recreate          = "Delete declared chain resources whose immutable fields drifted, to recreate them (mesh-remediator)."
    network           = "Attach declared addresses and forwarding rules to the declared network (mesh-remediator)."
  }

  # project/grant => { project, grant } for every custom role the function needs.
  grants = {
    for pair in flatten([
      for grant, projects in local.role_projects : [for p in projects : { project = p, grant = grant }]
      if contains(keys(local.role_permissions), grant)
    ]) : "${pair.project}/${pair.grant}" => pair
  }

  # The role's name is known before it exists, so plans (and mocked tests) can show every binding.
  role_name = {
    for key, g in local.grants : key => (
      var.role_scope == "organization"
      ? "organizations/${var.organization_id}/roles/${local.role_id}_${g.grant}"
      : "projects/${g.project}/roles/${local.role_id}_${g.grant}"
    )
  }

  # Compute evaluates resource.name/resource.type conditions for the resource types it documents;
  # a type it does not know shows neither. So the condition limits the chain's types (generated
  # into permissions.tf) to the declared names and leaves any other type unconditioned rather than
  # denied (docs/google-behaviour.md).
  conditions = {
    load_balancer = { for p, names in local.chain_resources_by_project : p => "!(resource.type in ${jsonencode(local.chain_resource_types)}) || resource.name in ${jsonencode(names)}" }
    network       = { for p, names in local.network_resources_by_project : p => "!(resource.type in ${jsonencode(local.network_resource_types)}) || resource.name in ${jsonencode(names)}" }
  }
  condition_titles = {
    load_balancer = "declared load balancer resources"
    recreate      = "declared load balancer resources"
    network       = "declared networks and subnetworks"
  }
}

# --- custom roles -----------------------------------------------------------------------------

resource "google_project_iam_custom_role" "this" {
  for_each = var.role_scope == "project" ? local.grants : {}

  project     = each.value.project
  role_id     = "${local.role_id}_${each.value.grant}"
  title       = "mesh-remediator ${each.value.grant}"
  description = local.role_descriptions[each.value.grant]
  permissions = local.role_permissions[each.value.grant]
}

resource "google_organization_iam_custom_role" "this" {
  for_each = var.role_scope == "organization" ? local.role_permissions : {}

  org_id      = var.organization_id
  role_id     = "${local.role_id}_${each.key}"
  title       = "mesh-remediator ${each.key}"
  description = local.role_descriptions[each.key]
  permissions = each.value

  lifecycle {
    precondition {
      condition     = var.organization_id != null
      error_message = "role_scope = organization needs organization_id."
    }
  }
}

# --- bindings ---------------------------------------------------------------------------------

resource "google_cloud_run_v2_service_iam_member" "repair" {
  for_each = local.cloud_run_services

  project  = each.value.project
  location = each.value.region
  name     = each.value.service
  role     = local.role_name["${each.value.project}/cloud_run_service"]
  member   = local.function_member

  depends_on = [google_project_iam_custom_role.this, google_organization_iam_custom_role.this]
}

resource "google_project_iam_member" "function" {
  for_each = { for key, g in local.grants : key => g if g.grant != "cloud_run_service" }

  project = each.value.project
  role    = local.role_name[each.key]
  member  = local.function_member

  dynamic "condition" {
    for_each = each.value.grant == "project" ? [] : [each.value.grant]
    content {
      title      = local.condition_titles[condition.value]
      expression = local.conditions[condition.value == "recreate" ? "load_balancer" : condition.value][each.value.project]
    }
  }

  depends_on = [google_project_iam_custom_role.this, google_organization_iam_custom_role.this]
}

# Updating a Cloud Run service may need actAs on its runtime service account (unverified for an
# ingress-only change, docs/google-behaviour.md); granted only on the accounts listed. Keyed by
# position, so an email known only after apply still plans.
resource "google_service_account_iam_member" "act_as_runtime" {
  for_each = { for i, email in var.runtime_service_accounts : tostring(i) => email }

  service_account_id = "projects/-/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.function_member
}

# --- secrets ----------------------------------------------------------------------------------

resource "google_secret_manager_secret_iam_member" "slack_reader" {
  count = var.slack_webhook_secret_id == null ? 0 : 1

  project   = var.project_id
  secret_id = var.slack_webhook_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.function_member
}

# --- invoking remediateDrift --------------------------------------------------------------------

# The push subscription is the only way audit entries reach remediateDrift (no Eventarc trigger):
# its OIDC identity is the one that must be allowed to invoke.
resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.this["remediate"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push_invoker.email}"
}

# Pub/Sub mints the push OIDC tokens as push_invoker. Projects created before 2021-04-08 need this
# grant explicitly; it is scoped to that one account, so it is harmless elsewhere.
resource "google_service_account_iam_member" "push_token_creator" {
  service_account_id = google_service_account.push_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}
