# The Log Router sink: Admin Activity audit entries of exactly the methods the decoder handles
# (sink_filter, generated into sink-filter.tf) go to the audit topic. Everything else is dropped at the router, so the function
# is not even woken for it.

locals {
  sink_name = "${var.name}-audit"

  sink_destination = "pubsub.googleapis.com/${google_pubsub_topic.audit.id}"

  sink_writer_identity = one(concat(
    google_logging_project_sink.audit[*].writer_identity,
    google_logging_folder_sink.audit[*].writer_identity,
    google_logging_organization_sink.audit[*].writer_identity,
  ))
}

resource "google_logging_project_sink" "audit" {
  count = var.sink_scope == "project" ? 1 : 0

  project                = var.project_id
  name                   = local.sink_name
  destination            = local.sink_destination
  filter                 = local.sink_filter
  unique_writer_identity = true
}

resource "google_logging_folder_sink" "audit" {
  count = var.sink_scope == "folder" ? 1 : 0

  folder           = var.sink_parent
  name             = local.sink_name
  destination      = local.sink_destination
  filter           = local.sink_filter
  include_children = true

  lifecycle {
    precondition {
      condition     = var.sink_parent != null
      error_message = "sink_scope = folder needs sink_parent (the numeric folder id)."
    }
  }
}

resource "google_logging_organization_sink" "audit" {
  count = var.sink_scope == "organization" ? 1 : 0

  org_id           = var.sink_parent
  name             = local.sink_name
  destination      = local.sink_destination
  filter           = local.sink_filter
  include_children = true

  lifecycle {
    precondition {
      condition     = var.sink_parent != null
      error_message = "sink_scope = organization needs sink_parent (the numeric organization id)."
    }
  }
}

# The sink's writer identity may not publish until granted (docs/google-behaviour.md).
resource "google_pubsub_topic_iam_member" "sink_writer" {
  project = var.project_id
  topic   = google_pubsub_topic.audit.name
  role    = "roles/pubsub.publisher"
  member  = local.sink_writer_identity
}
