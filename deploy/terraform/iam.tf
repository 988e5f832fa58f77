# Identities and what they may do. The function's own rights are a custom role holding exactly the
# permissions its adapter calls need (permissions.tf, checked against functions/gcp/permissions.ts),
# bound in every managed project.

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

  roles = {
    repair = {
      title       = "mesh-remediator repair"
      description = "Read and repair declared Cloud Run ingress and internal ALB chains (mesh-remediator)."
    }
    recreate = {
      title       = "mesh-remediator recreate"
      description = "Delete load balancer pieces whose immutable fields drifted, so they can be recreated."
    }
  }
}

# --- custom roles -----------------------------------------------------------------------------

resource "google_project_iam_custom_role" "repair" {
  for_each = var.role_scope == "project" ? toset(local.managed_projects) : toset([])

  project     = each.key
  role_id     = local.role_id
  title       = local.roles.repair.title
  description = local.roles.repair.description
  permissions = local.repair_permissions
}

resource "google_project_iam_custom_role" "recreate" {
  for_each = var.role_scope == "project" && var.recreate_on_immutable_drift ? toset(local.managed_projects) : toset([])

  project     = each.key
  role_id     = "${local.role_id}_recreate"
  title       = local.roles.recreate.title
  description = local.roles.recreate.description
  permissions = local.recreate_permissions
}

resource "google_organization_iam_custom_role" "repair" {
  count = var.role_scope == "organization" ? 1 : 0

  org_id      = var.organization_id
  role_id     = local.role_id
  title       = local.roles.repair.title
  description = local.roles.repair.description
  permissions = local.repair_permissions

  lifecycle {
    precondition {
      condition     = var.organization_id != null
      error_message = "role_scope = organization needs organization_id."
    }
  }
}

resource "google_organization_iam_custom_role" "recreate" {
  count = var.role_scope == "organization" && var.recreate_on_immutable_drift ? 1 : 0

  org_id      = var.organization_id
  role_id     = "${local.role_id}_recreate"
  title       = local.roles.recreate.title
  description = local.roles.recreate.description
  permissions = local.recreate_permissions
}

locals {
  # project => role id, whichever scope defined the roles. Splat + merge keeps both scopes
  # evaluable when the other one has no instances.
  repair_role_by_project = merge(
    { for p, r in google_project_iam_custom_role.repair : p => r.id },
    { for p in(var.role_scope == "organization" ? local.managed_projects : []) : p => one(google_organization_iam_custom_role.repair[*].id) },
  )
  recreate_role_by_project = merge(
    { for p, r in google_project_iam_custom_role.recreate : p => r.id },
    { for p in(var.role_scope == "organization" && var.recreate_on_immutable_drift ? local.managed_projects : []) : p => one(google_organization_iam_custom_role.recreate[*].id) },
  )
}

resource "google_project_iam_member" "repair" {
  for_each = local.repair_role_by_project

  project = each.key
  role    = each.value
  member  = local.function_member
}

resource "google_project_iam_member" "recreate" {
  for_each = local.recreate_role_by_project

  project = each.key
  role    = each.value
  member  = local.function_member
}

# Updating a Cloud Run service may need actAs on its runtime service account (unverified for an
# ingress-only change, gcp.md section 7); granted only on the accounts listed.
resource "google_service_account_iam_member" "act_as_runtime" {
  for_each = toset(var.runtime_service_accounts)

  service_account_id = "projects/-/serviceAccounts/${each.key}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.function_member
}

# --- secrets ----------------------------------------------------------------------------------

resource "google_secret_manager_secret_iam_member" "mesh_reader" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.mesh.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.function_member
}

resource "google_secret_manager_secret_iam_member" "slack_reader" {
  count = var.slack_webhook_secret_id == null ? 0 : 1

  project   = var.project_id
  secret_id = var.slack_webhook_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.function_member
}

# --- invoking remediateDrift --------------------------------------------------------------------

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
