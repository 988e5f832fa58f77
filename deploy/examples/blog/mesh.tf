# The declared mesh, built from the same variables that create the load balancer (one source of
# truth). Plain data and variable references only: test/deploy evaluates it with the variables'
# defaults and validates the result with the function's own parseMesh.

locals {
  network_path    = "projects/${var.project_id}/global/networks/${var.network_name}"
  subnetwork_path = "projects/${var.project_id}/regions/${var.region}/subnetworks/${var.subnet_name}"

  mesh = {
    services = [
      {
        project = var.project_id
        region  = var.region
        service = var.server_service_name
        ingress = "internal" # = INGRESS_TRAFFIC_INTERNAL_ONLY in services.tf
        loadBalancer = {
          namePrefix = var.lb_name_prefix
          network    = local.network_path
          subnetwork = local.subnetwork_path
          ipAddress  = var.lb_ip_address
          port       = var.lb_port
          backend = {
            logSampleRate    = var.backend_log_sample_rate
            localityLbPolicy = var.backend_locality_lb_policy
            sessionAffinity  = var.backend_session_affinity
          }
        }
        # client-service calls it through the VPC (services.tf): its Direct VPC egress is guarded
        # too, report-only (policy.repairClientEgress is off).
        clients = [
          {
            service = var.client_service_name
            vpcAccess = {
              network    = local.network_path
              subnetwork = local.subnetwork_path
              egress     = "private-ranges-only" # = PRIVATE_RANGES_ONLY in services.tf
            }
          },
        ]
      },
    ]
    policy = {
      dryRun                   = var.remediator_dry_run
      recreateOnImmutableDrift = var.recreate_on_immutable_drift
    }
  }
}
