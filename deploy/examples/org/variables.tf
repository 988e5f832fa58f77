variable "organization_id" {
  description = "Numeric organization id: the sink and the custom roles live here."
  type        = string
}

variable "host_project_id" {
  description = "Project that runs the remediator (topics, functions, scheduler, monitoring)."
  type        = string
}

variable "region" {
  type    = string
  default = "asia-northeast1"
}

variable "remediator_source_bucket" {
  type = string
}

variable "remediator_source_object" {
  description = "The archive `npm run package` wrote and uploaded (mesh-remediator-<content hash>.zip)."
  type        = string
}

# Declared services across the organization, in the mesh.yaml shape (docs: README "Declared mesh").
# The organization sink delivers their audit entries; the function may touch only what they name.
# `clients`: the Cloud Run services of the same project and region that call a service through the
# Shared VPC (Direct VPC egress), whose egress is guarded too (report-only by default).
variable "mesh_services" {
  type = list(object({
    project = string
    region  = string
    service = string
    ingress = string
    loadBalancer = object({
      namePrefix = string
      network    = string
      subnetwork = string
      ipAddress  = string
      port       = number
    })
    clients = optional(list(object({
      service = string
      vpcAccess = object({
        network    = string
        subnetwork = string
        egress     = string
      })
    })), [])
  }))

  default = [
    {
      project = "payments-prod"
      region  = "asia-northeast1"
      service = "ledger"
      ingress = "internal"
      loadBalancer = {
        namePrefix = "ledger-ilb"
        network    = "projects/net-host-prod/global/networks/shared-vpc"
        subnetwork = "projects/net-host-prod/regions/asia-northeast1/subnetworks/payments"
        ipAddress  = "10.10.0.10"
        port       = 80
      }
      clients = [
        {
          service = "checkout"
          vpcAccess = {
            network    = "projects/net-host-prod/global/networks/shared-vpc"
            subnetwork = "projects/net-host-prod/regions/asia-northeast1/subnetworks/payments"
            egress     = "private-ranges-only"
          }
        },
      ]
    },
    {
      project = "payments-prod"
      region  = "asia-northeast1"
      service = "fx-rates"
      ingress = "internal-and-cloud-load-balancing"
      loadBalancer = {
        namePrefix = "fx-rates-ilb"
        network    = "projects/net-host-prod/global/networks/shared-vpc"
        subnetwork = "projects/net-host-prod/regions/asia-northeast1/subnetworks/payments"
        ipAddress  = "10.10.0.11"
        port       = 80
      }
    },
    {
      project = "search-prod"
      region  = "asia-northeast2"
      service = "indexer"
      ingress = "internal"
      loadBalancer = {
        namePrefix = "indexer-ilb"
        network    = "projects/net-host-prod/global/networks/shared-vpc"
        subnetwork = "projects/net-host-prod/regions/asia-northeast2/subnetworks/search"
        ipAddress  = "10.20.0.10"
        port       = 8080
      }
    },
  ]
}

variable "ignore_principals" {
  description = "Principals whose changes are never reverted (e.g. the CI service account that owns the load balancers)."
  type        = list(string)
  default     = []
}

variable "slack_webhook_secret_id" {
  type    = string
  default = null
}

variable "notification_channels" {
  type    = list(string)
  default = []
}
