# The module planned with a mock google provider (no credentials, no network), run by
# test/deploy/terraform-cli.test.ts:
# - one sink and one set of custom roles per scope (project, folder, organization);
# - least privilege: service-level IAM on each declared Cloud Run service and client, Compute rights
#   in a service project only under a condition naming the declared chain, network use only in the
#   Shared VPC host, deletes only with recreate_on_immutable_drift, actAs only when asked for (the
#   exact permission lists are checked against functions/gcp/permissions.ts by
#   test/deploy/terraform-grants.test.ts);
# - the variable checks that stop a bad input before any apply.

mock_provider "google" {
  mock_data "google_project" {
    defaults = {
      number = "123456789012"
    }
  }
}

variables {
  project_id    = "ops-host"
  source_bucket = "ops-host-mesh-remediator-src"
  source_object = "mesh-remediator-0123456789abcdef.zip"
  mesh_yaml     = <<-YAML
    services:
      - project: payments-prod
        region: asia-northeast1
        service: ledger
        ingress: internal
        loadBalancer:
          namePrefix: ledger-ilb
          network: https://www.googleapis.com/compute/v1/projects/net-host/global/networks/shared-vpc
          subnetwork: projects/net-host/regions/asia-northeast1/subnetworks/payments
          ipAddress: 10.10.0.10
          port: 80
          names:
            forwardingRule: ledger-fr
        clients:
          - service: ledger-ui
            vpcAccess:
              network: projects/net-host/global/networks/shared-vpc
              egress: PRIVATE_RANGES_ONLY
  YAML
}

run "project_scope" {
  command = plan

  assert {
    condition     = length(google_logging_project_sink.audit) == 1 && length(google_logging_folder_sink.audit) == 0 && length(google_logging_organization_sink.audit) == 0
    error_message = "sink_scope = project creates exactly the project sink."
  }

  assert {
    condition     = length(google_organization_iam_custom_role.this) == 0 && length(google_project_iam_custom_role.this) > 0
    error_message = "role_scope = project defines the roles in the projects, not at the organization."
  }
}

run "folder_scope" {
  command = plan

  variables {
    sink_scope  = "folder"
    sink_parent = "345678901234"
  }

  assert {
    condition     = length(google_logging_folder_sink.audit) == 1 && length(google_logging_project_sink.audit) == 0
    error_message = "sink_scope = folder creates exactly the folder sink."
  }

  assert {
    condition     = google_logging_folder_sink.audit[0].folder == "345678901234" && google_logging_folder_sink.audit[0].include_children
    error_message = "The folder sink lives on sink_parent and includes its children."
  }
}

run "organization_scope" {
  command = plan

  variables {
    sink_scope      = "organization"
    sink_parent     = "123456789012"
    role_scope      = "organization"
    organization_id = "123456789012"
  }

  assert {
    condition     = length(google_logging_organization_sink.audit) == 1 && google_logging_organization_sink.audit[0].org_id == "123456789012"
    error_message = "sink_scope = organization creates the organization sink on sink_parent."
  }

  assert {
    condition     = toset(keys(google_organization_iam_custom_role.this)) == toset(["cloud_run_service", "load_balancer", "network", "project"]) && length(google_project_iam_custom_role.this) == 0
    error_message = "role_scope = organization defines each role once, at the organization."
  }

  assert {
    condition     = google_cloud_run_v2_service_iam_member.repair["payments-prod/asia-northeast1/ledger"].role == "organizations/123456789012/roles/mesh_remediator_cloud_run_service"
    error_message = "Organization roles are bound by their organization name."
  }
}

run "rejects_unknown_sink_scope" {
  command = plan

  variables {
    sink_scope = "billing-account"
  }

  expect_failures = [var.sink_scope]
}

run "rejects_max_delivery_attempts_out_of_range" {
  command = plan

  variables {
    max_delivery_attempts = 3
  }

  expect_failures = [var.max_delivery_attempts]
}

run "rejects_a_mesh_that_is_not_yaml" {
  command = plan

  variables {
    mesh_yaml = "services: [unclosed"
  }

  expect_failures = [var.mesh_yaml]
}

run "rejects_a_mesh_missing_a_required_key" {
  command = plan

  variables {
    mesh_yaml = <<-YAML
      services:
        - project: payments-prod
          region: asia-northeast1
          service: ledger
          loadBalancer:
            namePrefix: ledger-ilb
            network: projects/net-host/global/networks/shared-vpc
            subnetwork: projects/net-host/regions/asia-northeast1/subnetworks/payments
            ipAddress: 10.10.0.10
            port: 80
    YAML
  }

  expect_failures = [var.mesh_yaml]
}

run "rejects_a_reused_archive_name" {
  command = plan

  variables {
    source_object = "mesh-remediator.zip"
  }

  expect_failures = [var.source_object]
}

run "rejects_a_mesh_over_the_secret_size_cap" {
  command = plan

  variables {
    # A valid mesh, padded with a 70,000-character comment past Secret Manager's 64 KiB.
    mesh_yaml = <<-YAML
      services:
        - project: payments-prod
          region: asia-northeast1
          service: ledger
          ingress: internal
          loadBalancer:
            namePrefix: ledger-ilb
            network: projects/net-host/global/networks/shared-vpc
            subnetwork: projects/net-host/regions/asia-northeast1/subnetworks/payments
            ipAddress: 10.10.0.10
            port: 80
      # ${join("", formatlist("%01000d", range(70)))}
    YAML
  }

  expect_failures = [var.mesh_yaml]
}

run "mesh_from_a_bucket" {
  command = plan

  variables {
    mesh_yaml      = null
    mesh_yaml_file = "tests/fleet-mesh.yaml"
    mesh_bucket    = "ops-host-mesh-config"
  }

  assert {
    condition     = length(google_secret_manager_secret.mesh) == 0 && length(google_secret_manager_secret_version.mesh) == 0 && length(google_secret_manager_secret_iam_member.mesh_reader) == 0
    error_message = "A mesh in a bucket makes no secret."
  }

  assert {
    condition     = google_storage_bucket_object.mesh[0].bucket == "ops-host-mesh-config" && google_storage_bucket_object.mesh[0].content == file("tests/fleet-mesh.yaml") && startswith(google_storage_bucket_object.mesh[0].name, "mesh-remediator/mesh-")
    error_message = "The mesh file is written into mesh_bucket under <name>/, named by its content."
  }

  assert {
    condition     = google_cloudfunctions2_function.this["remediate"].service_config[0].environment_variables.MESH_CONFIG == "gs://ops-host-mesh-config/${google_storage_bucket_object.mesh[0].name}" && length(google_cloudfunctions2_function.this["remediate"].service_config[0].secret_volumes) == 0
    error_message = "MESH_CONFIG names the object, and nothing is mounted."
  }

  assert {
    condition     = google_storage_bucket_iam_member.mesh_reader[0].role == "roles/storage.objectViewer" && google_storage_bucket_iam_member.mesh_reader[0].condition[0].expression == "resource.name.startsWith(\"projects/_/buckets/ops-host-mesh-config/objects/mesh-remediator/\")"
    error_message = "The function may read only the module's objects in the bucket."
  }

  assert {
    condition     = keys(google_cloud_run_v2_service_iam_member.repair) == ["payments-prod/asia-northeast1/ledger"]
    error_message = "Grants are still derived from the mesh the file declares."
  }
}

run "mesh_from_a_secret_by_default" {
  command = plan

  assert {
    condition     = length(google_storage_bucket_object.mesh) == 0 && length(google_storage_bucket_iam_member.mesh_reader) == 0 && google_cloudfunctions2_function.this["remediate"].service_config[0].environment_variables.MESH_CONFIG == "/etc/mesh-remediator/mesh.yaml"
    error_message = "mesh_yaml is mounted from its secret at MESH_CONFIG; no bucket is touched."
  }
}

run "rejects_both_mesh_sources" {
  command = plan

  variables {
    mesh_yaml_file = "tests/fleet-mesh.yaml"
    mesh_bucket    = "ops-host-mesh-config"
  }

  expect_failures = [var.mesh_yaml]
}

run "rejects_a_mesh_file_without_a_bucket" {
  command = plan

  variables {
    mesh_yaml      = null
    mesh_yaml_file = "tests/fleet-mesh.yaml"
  }

  expect_failures = [var.mesh_yaml_file]
}

run "binds_each_grant_where_the_mesh_points" {
  command = plan

  assert {
    condition     = toset(keys(google_project_iam_custom_role.this)) == toset(["payments-prod/cloud_run_service", "payments-prod/load_balancer", "payments-prod/project", "net-host/network"])
    error_message = "Roles exist only where the mesh points: the service project, and network use in the Shared VPC host."
  }

  assert {
    condition     = keys(google_cloud_run_v2_service_iam_member.repair) == ["payments-prod/asia-northeast1/ledger", "payments-prod/asia-northeast1/ledger-ui"]
    error_message = "run.services.* is bound on the declared Cloud Run service and its declared client only."
  }

  assert {
    condition     = google_cloud_run_v2_service_iam_member.repair["payments-prod/asia-northeast1/ledger"].name == "ledger" && google_cloud_run_v2_service_iam_member.repair["payments-prod/asia-northeast1/ledger"].location == "asia-northeast1"
    error_message = "The service binding names the declared service and region."
  }

  assert {
    condition     = strcontains(google_project_iam_member.function["payments-prod/load_balancer"].condition[0].expression, "\"projects/payments-prod/regions/asia-northeast1/forwardingRules/ledger-fr\"") && strcontains(google_project_iam_member.function["payments-prod/load_balancer"].condition[0].expression, "\"projects/payments-prod/regions/asia-northeast1/backendServices/ledger-ilb-backend-svc\"")
    error_message = "The load balancer condition names the chain's resources, overridden names included."
  }

  assert {
    condition     = google_project_iam_member.function["net-host/network"].condition[0].expression == "!(resource.type in [\"compute.googleapis.com/Network\",\"compute.googleapis.com/Subnetwork\"]) || resource.name in [\"projects/net-host/global/networks/shared-vpc\",\"projects/net-host/regions/asia-northeast1/subnetworks/payments\"]"
    error_message = "The host project grants network use on the declared network and subnetwork only (a URL-form reference counts as its path)."
  }

  assert {
    condition     = length(google_project_iam_member.function["payments-prod/project"].condition) == 0
    error_message = "Lists and operations are granted without a condition (no name narrows them)."
  }

  assert {
    condition     = length(google_service_account_iam_member.act_as_runtime) == 0
    error_message = "No actAs unless runtime_service_accounts asks for it."
  }
}

run "deletes_only_with_recreate_on_immutable_drift" {
  command = plan

  variables {
    recreate_on_immutable_drift = true
  }

  assert {
    condition     = contains(keys(google_project_iam_custom_role.this), "payments-prod/recreate") && google_project_iam_member.function["payments-prod/recreate"].condition[0].expression == google_project_iam_member.function["payments-prod/load_balancer"].condition[0].expression
    error_message = "The recreate role exists with recreate_on_immutable_drift, under the load balancer condition."
  }
}

run "act_as_only_on_the_accounts_listed" {
  command = plan

  variables {
    runtime_service_accounts = ["ledger-runtime@payments-prod.iam.gserviceaccount.com"]
  }

  assert {
    condition     = [for m in google_service_account_iam_member.act_as_runtime : m.service_account_id] == ["projects/-/serviceAccounts/ledger-runtime@payments-prod.iam.gserviceaccount.com"]
    error_message = "actAs is granted on exactly the listed account."
  }
}
