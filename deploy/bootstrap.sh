#!/usr/bin/env bash
# From an empty project to a running mesh-remediator, in one command (safe to run again):
#   deploy/bootstrap.sh PROJECT [REGION]
# It enables the APIs, creates the archive and state buckets and the deployer account the
# pipeline runs as (with the roles applying deploy/terraform needs), then submits cloudbuild.yaml,
# which tests, packages, uploads, plans, validates the planned mesh and applies. Upgrading later is
# the last command alone (printed at the end). Run it as someone who may enable services, create
# buckets and service accounts and grant project roles (roles/owner, or the roles listed in
# deploy/README.md, "Prerequisites").
set -euo pipefail

project=${1:?usage: deploy/bootstrap.sh PROJECT [REGION]}
region=${2:-asia-northeast1}
deployer=mesh-remediator-deployer
deployer_email="${deployer}@${project}.iam.gserviceaccount.com"
source_bucket="${project}-mesh-remediator-src"
state_bucket="${project}-mesh-remediator-tfstate"

# Every API a resource of deploy/terraform or the examples belongs to, plus Cloud Resource Manager
# (data.google_project and every IAM binding), IAM, Service Usage and the build's own.
APIS=(
  artifactregistry.googleapis.com
  cloudbuild.googleapis.com
  cloudfunctions.googleapis.com
  cloudresourcemanager.googleapis.com
  cloudscheduler.googleapis.com
  compute.googleapis.com
  iam.googleapis.com
  logging.googleapis.com
  monitoring.googleapis.com
  pubsub.googleapis.com
  run.googleapis.com
  secretmanager.googleapis.com
  serviceusage.googleapis.com
  storage.googleapis.com
)

# What applying the module needs, at project level (an organization-wide install also needs
# roles/iam.organizationRoleAdmin and roles/logging.configWriter at the organization).
DEPLOYER_ROLES=(
  roles/artifactregistry.reader
  roles/cloudfunctions.admin
  roles/cloudscheduler.admin
  roles/iam.roleAdmin
  roles/iam.serviceAccountAdmin
  roles/iam.serviceAccountUser
  roles/logging.configWriter
  roles/logging.logWriter
  roles/monitoring.alertPolicyEditor
  roles/pubsub.admin
  roles/resourcemanager.projectIamAdmin
  roles/run.admin
  roles/secretmanager.admin
  roles/serviceusage.serviceUsageConsumer
  roles/storage.objectAdmin
)

echo "== enabling APIs in ${project}"
gcloud services enable "${APIS[@]}" --project="${project}"

echo "== buckets: ${source_bucket} (archives), ${state_bucket} (Terraform state, versioned)"
gcloud storage buckets describe "gs://${source_bucket}" --project="${project}" >/dev/null 2>&1 ||
  gcloud storage buckets create "gs://${source_bucket}" --project="${project}" --location="${region}" --uniform-bucket-level-access
gcloud storage buckets describe "gs://${state_bucket}" --project="${project}" >/dev/null 2>&1 ||
  gcloud storage buckets create "gs://${state_bucket}" --project="${project}" --location="${region}" --uniform-bucket-level-access
gcloud storage buckets update "gs://${state_bucket}" --versioning >/dev/null

echo "== deployer account ${deployer_email}"
gcloud iam service-accounts describe "${deployer_email}" --project="${project}" >/dev/null 2>&1 ||
  gcloud iam service-accounts create "${deployer}" --project="${project}" --display-name="mesh-remediator deployer (Cloud Build)"
for role in "${DEPLOYER_ROLES[@]}"; do
  gcloud projects add-iam-policy-binding "${project}" --member="serviceAccount:${deployer_email}" --role="${role}" --condition=None >/dev/null
done

upgrade=(gcloud builds submit --config=cloudbuild.yaml --project="${project}"
  "--substitutions=_REGION=${region},_SOURCE_BUCKET=${source_bucket},_STATE_BUCKET=${state_bucket}")
echo "== first deployment: ${upgrade[*]}"
cd "$(dirname "$0")/.."
"${upgrade[@]}"
echo "== done. To upgrade later (new code or a changed mesh): ${upgrade[*]}"
