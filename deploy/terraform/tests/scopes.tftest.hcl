# The module planned with a mock google provider (no credentials, no network): one sink and one
# set of custom roles per scope, and the variable checks that stop a bad input before any apply.
# Run by test/deploy/terraform-cli.test.ts (`terraform test` in deploy/terraform).

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
          network: projects/net-host/global/networks/shared-vpc
          subnetwork: projects/net-host/regions/asia-northeast1/subnetworks/payments
          ipAddress: 10.10.0.10
          port: 80
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
