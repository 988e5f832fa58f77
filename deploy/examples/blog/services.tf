# Both services accept internal traffic only. server-service is reached through the internal ALB;
# client-service calls it over Direct VPC egress.

resource "google_service_account" "services" {
  account_id   = "mesh-services"
  display_name = "Runtime identity of client-service and server-service"
}

resource "google_cloud_run_v2_service" "server" {
  name                = var.server_service_name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = false

  template {
    service_account = google_service_account.services.email
    containers {
      image = var.container_image
    }
  }
}

resource "google_cloud_run_v2_service" "client" {
  name                = var.client_service_name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = false

  template {
    service_account = google_service_account.services.email

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.vpc.id
        subnetwork = google_compute_subnetwork.subnet.id
      }
    }

    containers {
      image = var.container_image
      env {
        name  = "SERVER_URL"
        value = "http://${var.lb_ip_address}:${var.lb_port}"
      }
    }
  }
}
