# One set of variables drives both the load balancer (network.tf, services.tf, load-balancer.tf)
# and the mesh the remediator keeps true (mesh.tf): change a value here and both follow.

variable "project_id" {
  description = "Project of the whole setup."
  type        = string
}

variable "region" {
  type    = string
  default = "asia-northeast1"
}

variable "network_name" {
  type    = string
  default = "test-vpc"
}

variable "subnet_name" {
  type    = string
  default = "test-subnet"
}

variable "subnet_cidr" {
  type    = string
  default = "10.0.0.0/24"
}

variable "proxy_subnet_name" {
  type    = string
  default = "proxy-only-subnet"
}

variable "proxy_subnet_cidr" {
  description = "Proxy-only subnet the regional internal ALB's Envoys take their addresses from."
  type        = string
  default     = "10.129.0.0/23"
}

variable "client_service_name" {
  type    = string
  default = "client-service"
}

variable "server_service_name" {
  type    = string
  default = "server-service"
}

variable "container_image" {
  description = "Image of both services (a hello-world image by default)."
  type        = string
  default     = "us-docker.pkg.dev/cloudrun/container/hello"
}

variable "lb_name_prefix" {
  description = "Every load balancer resource is named <prefix>-ip, -neg, -backend-svc, -url-map, -target-proxy, -frontend."
  type        = string
  default     = "internal-lb"
}

variable "lb_ip_address" {
  type    = string
  default = "10.0.0.100"
}

variable "lb_port" {
  type    = number
  default = 80
}

variable "backend_log_sample_rate" {
  type    = number
  default = 1.0
}

variable "backend_locality_lb_policy" {
  type    = string
  default = "ROUND_ROBIN"
}

variable "backend_session_affinity" {
  type    = string
  default = "NONE"
}

variable "remediator_source_bucket" {
  description = "Bucket holding the mesh-remediator source archive (deploy/README.md, Packaging)."
  type        = string
}

variable "remediator_source_object" {
  description = "The archive `npm run package` wrote and uploaded (mesh-remediator-<content hash>.zip)."
  type        = string
}

variable "remediator_act_as_services_account" {
  description = "Give the remediator actAs on the services' runtime account. Off: needed only if a repair is refused for lack of iam.serviceAccounts.actAs (unverified for an ingress-only update)."
  type        = bool
  default     = false
}

variable "remediator_dry_run" {
  description = "Start in dry-run: report drift, repair nothing."
  type        = bool
  default     = false
}

variable "recreate_on_immutable_drift" {
  type    = bool
  default = false
}

variable "slack_webhook_secret_id" {
  description = "Secret Manager secret id holding the Slack webhook URL, or null."
  type        = string
  default     = null
}

variable "notification_channels" {
  type    = list(string)
  default = []
}
