terraform {
  required_version = ">= 1.9" # variable validation that reads locals

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.13 is the first 6.x whose for_each accepts a service-account email known only after
      # apply (the blog example); 7.x changes defaults the module has not been checked against.
      version = ">= 6.13, < 7.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
