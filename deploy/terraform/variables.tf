variable "project_id" {
  description = "Project that hosts the remediator: topics, functions, service accounts, scheduler, monitoring."
  type        = string
}

variable "region" {
  description = "Region of the functions and the scheduler job."
  type        = string
  default     = "asia-northeast1"
}

variable "name" {
  description = "Name (and prefix) of every resource the module creates."
  type        = string
  default     = "mesh-remediator"

  # Service account ids (6-30 characters) are derived as <name>-sched.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,22}[a-z0-9]$", var.name))
    error_message = "name must be 6-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "source_bucket" {
  description = "GCS bucket holding the function archive (deploy/README.md, \"Packaging\")."
  type        = string
}

variable "source_object" {
  description = "Object name of the function archive in source_bucket: the mesh-remediator-<content hash>.zip `npm run package` writes."
  type        = string

  # A reused name would change nothing Terraform sees, and new code would silently not deploy.
  validation {
    condition     = can(regex("-[0-9a-f]{16,64}\\.zip$", var.source_object))
    error_message = "source_object must be named by its content hash (mesh-remediator-<hex>.zip, as `npm run package` writes it): a reused object name is not redeployed."
  }
}

variable "mesh_yaml" {
  description = "The declared mesh (mesh.yaml text, YAML or JSON), mounted from a Secret Manager secret (at most 64 KiB). Checked here for shape only; the full check is `npx mesh-remediator validate --config FILE`. Set this or mesh_yaml_file."
  type        = string
  default     = null

  validation {
    condition     = (var.mesh_yaml == null) != (var.mesh_yaml_file == null)
    error_message = "Set exactly one of mesh_yaml (a mounted secret, up to 64 KiB) and mesh_yaml_file with mesh_bucket (a Cloud Storage object, for larger meshes)."
  }

  validation {
    condition     = var.mesh_yaml == null || can(yamldecode(var.mesh_yaml))
    error_message = "mesh_yaml is not valid YAML. Check the file with: npx mesh-remediator validate --config FILE (deploy/README.md)."
  }

  validation {
    condition = var.mesh_yaml == null || try(length(yamldecode(var.mesh_yaml).services) > 0 && alltrue([
      for s in yamldecode(var.mesh_yaml).services :
      alltrue([for k in local.mesh_required_keys.service : can(s[k])]) && alltrue([for k in local.mesh_required_keys.loadBalancer : can(s.loadBalancer[k])])
    ]), false)
    error_message = "mesh_yaml needs services[], each with project, region, service, ingress and loadBalancer {namePrefix, network, subnetwork, ipAddress, port}. For the full check run: npx mesh-remediator validate --config FILE (deploy/README.md)."
  }

  # Secret Manager caps a version at 64 KiB; about 140 services of the example's size fit.
  validation {
    condition     = try(length(var.mesh_yaml) <= 65536, true)
    error_message = "mesh_yaml is over 64 KiB, Secret Manager's limit for the version it is mounted from: use mesh_yaml_file with mesh_bucket (deploy/README.md, \"Large meshes\")."
  }
}

variable "mesh_yaml_file" {
  description = "Path of the declared mesh file, written as an object into mesh_bucket and read by the function from there (MESH_CONFIG=gs://...): for meshes above mesh_yaml's 64 KiB. Set this or mesh_yaml."
  type        = string
  default     = null

  validation {
    condition     = (var.mesh_yaml_file == null) == (var.mesh_bucket == null)
    error_message = "mesh_yaml_file and mesh_bucket go together: the file is written into the bucket."
  }

  validation {
    condition = var.mesh_yaml_file == null || try(length(yamldecode(file(var.mesh_yaml_file)).services) > 0 && alltrue([
      for s in yamldecode(file(var.mesh_yaml_file)).services :
      alltrue([for k in local.mesh_required_keys.service : can(s[k])]) && alltrue([for k in local.mesh_required_keys.loadBalancer : can(s.loadBalancer[k])])
    ]), false)
    error_message = "mesh_yaml_file must be a readable YAML mesh with services[], each with project, region, service, ingress and loadBalancer {namePrefix, network, subnetwork, ipAddress, port}. For the full check run: npx mesh-remediator validate --config FILE (deploy/README.md)."
  }
}

variable "mesh_bucket" {
  description = "Existing Cloud Storage bucket (uniform bucket-level access) to hold mesh_yaml_file as <name>/mesh-<content hash>.yaml; the function's account may read only those objects."
  type        = string
  default     = null
}

variable "sink_scope" {
  description = "Where the Log Router sink lives: project (project_id), folder or organization (sink_parent)."
  type        = string
  default     = "project"

  validation {
    condition     = contains(["project", "folder", "organization"], var.sink_scope)
    error_message = "sink_scope must be one of project, folder, organization."
  }
}

variable "sink_parent" {
  description = "Numeric folder or organization id for sink_scope folder/organization (ignored for project)."
  type        = string
  default     = null
}

variable "role_scope" {
  description = "Where the custom roles are defined: project (a copy in each project the mesh names) or organization (organization_id)."
  type        = string
  default     = "project"

  validation {
    condition     = contains(["project", "organization"], var.role_scope)
    error_message = "role_scope must be project or organization."
  }
}

variable "organization_id" {
  description = "Numeric organization id, required when role_scope = organization."
  type        = string
  default     = null
}

variable "recreate_on_immutable_drift" {
  description = "Grant the delete permissions needed to recreate resources whose immutable fields drifted. Must match policy.recreateOnImmutableDrift in the mesh."
  type        = bool
  default     = false
}

variable "dry_run" {
  description = "Start the function in dry-run mode (DRY_RUN=true): report plans, change nothing."
  type        = bool
  default     = false
}

variable "max_instance_count" {
  description = "Upper bound on concurrently running instances of each function."
  type        = number
  default     = 3
}

variable "ingress_settings" {
  description = "Ingress of the two functions. Pub/Sub push and Cloud Scheduler count as internal sources in the same project."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"
}

variable "max_delivery_attempts" {
  description = "Deliveries of one audit message before Pub/Sub moves it to the dead-letter topic (5-100)."
  type        = number
  default     = 10

  # Pub/Sub refuses a dead-letter policy outside 5-100 attempts; say so before the apply does.
  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100 && floor(var.max_delivery_attempts) == var.max_delivery_attempts
    error_message = "max_delivery_attempts must be a whole number from 5 to 100 (Pub/Sub's range for a dead-letter policy)."
  }
}

variable "slack_webhook_secret_id" {
  description = "Secret Manager secret id (in project_id) whose latest version is the Slack webhook URL; null disables Slack."
  type        = string
  default     = null
}

variable "runtime_service_accounts" {
  description = "Runtime service accounts the function gets roles/iam.serviceAccountUser (actAs) on. Leave empty unless a repair is refused for lack of iam.serviceAccounts.actAs: whether an ingress-only update needs it is unverified (docs/google-behaviour.md)."
  type        = list(string)
  default     = []
}

variable "sweep_schedule" {
  description = "Cron schedule of the full reconcile (sweep) that catches events lost on the way."
  type        = string
  default     = "*/30 * * * *"
}

variable "sweep_time_zone" {
  description = "Time zone of sweep_schedule."
  type        = string
  default     = "Etc/UTC"
}

variable "notification_channels" {
  description = "Monitoring notification channel ids (projects/P/notificationChannels/N) alerted on failed repairs and tripped breakers."
  type        = list(string)
  default     = []
}

variable "labels" {
  description = "Labels put on every resource that takes labels."
  type        = map(string)
  default     = {}
}
