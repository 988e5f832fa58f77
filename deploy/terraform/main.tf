# Values shared by the concept files (pubsub.tf, sink.tf, function.tf, iam.tf, scheduler.tf,
# monitoring.tf). The lists the code also knows are generated into permissions.tf and sink-filter.tf.

data "google_project" "host" {
  project_id = var.project_id
}

locals {
  # Google-managed Pub/Sub identity: it forwards to the dead-letter topic and signs push tokens.
  pubsub_service_agent = "serviceAccount:service-${data.google_project.host.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Both entry points run the same archive with the same identity and environment. remediateDrift
  # may wait up to 10 minutes for one Compute or Run operation (the adapter's bound), and a chain
  # rebuild waits for several in turn; sweep reconciles every declared service.
  functions = {
    remediate = { name = var.name, entry_point = "remediateDrift", timeout_seconds = 1800 }
    sweep     = { name = "${var.name}-sweep", entry_point = "sweep", timeout_seconds = 1800 }
  }

  remediate_uri = google_cloudfunctions2_function.this["remediate"].service_config[0].uri
  sweep_uri     = google_cloudfunctions2_function.this["sweep"].service_config[0].uri
}

# --- the declared mesh, as the function will read it ------------------------------------------

locals {
  # The variables' validation has already refused text that does not decode or lacks a key.
  mesh = yamldecode(local.mesh_text) # mesh-source.tf

  # A Compute reference written as a full URL or as projects/...: always projects/... here.
  declared_services = {
    for s in local.mesh.services : "${s.project}/${s.region}/${s.service}" => {
      project    = s.project
      region     = s.region
      service    = s.service
      network    = regex("projects/.*$", s.loadBalancer.network)
      subnetwork = regex("projects/.*$", s.loadBalancer.subnetwork)
      names = {
        for kind, suffix in local.chain_name_suffixes :
        kind => try(s.loadBalancer.names[kind], "${s.loadBalancer.namePrefix}-${suffix}")
      }
    }
  }

  # The Cloud Run services the function reads and updates: each declared service and each of its
  # clients (whose VPC egress it guards; project and region default to the service's).
  cloud_run_services = merge(
    { for key, s in local.declared_services : key => { project = s.project, region = s.region, service = s.service } },
    merge([
      for s in local.mesh.services : {
        for c in try(s.clients, []) : "${try(c.project, s.project)}/${try(c.region, s.region)}/${c.service}" => {
          project = try(c.project, s.project)
          region  = try(c.region, s.region)
          service = c.service
        }
      }
    ]...),
  )

  service_projects = sort(distinct([for s in values(local.declared_services) : s.project]))
  run_projects     = sort(distinct([for s in values(local.cloud_run_services) : s.project]))
  network_projects = sort(distinct(flatten([for s in values(local.declared_services) : [split("/", s.network)[1], split("/", s.subnetwork)[1]]])))

  # Every chain resource the mesh declares, as IAM names it (projects/P/regions/R/COLLECTION/NAME),
  # by project; and the declared networks and subnetworks by their project.
  chain_resources_by_project = {
    for p in local.service_projects : p => sort(flatten([
      for s in values(local.declared_services) : [
        for kind, name in s.names : "projects/${s.project}/regions/${s.region}/${local.chain_collections[kind]}/${name}"
      ] if s.project == p
    ]))
  }
  network_resources_by_project = {
    for p in local.network_projects : p => sort(distinct(flatten([
      for s in values(local.declared_services) : [for r in [s.network, s.subnetwork] : r if split("/", r)[1] == p]
    ])))
  }
}
