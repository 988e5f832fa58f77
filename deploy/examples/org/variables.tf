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
  type    = string
  default = "mesh-remediator.zip"
}

# Declared services across the organization, in the mesh.yaml shape (DESIGN.md). Every project
# named here gets the custom role; the organization sink delivers their audit entries.
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

variable "shared_vpc_host_projects" {
  description = "Shared VPC host projects of the declared networks: recreating an address or forwarding rule needs compute.subnetworks.use / compute.networks.use there."
  type        = list(string)
  default     = ["net-host-prod"]
}

variable "slack_webhook_secret_id" {
  type    = string
  default = null
}

variable "notification_channels" {
  type    = list(string)
  default = []
}
