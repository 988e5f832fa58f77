# The blog's regional internal Application Load Balancer in front of server-service. Every name
# and setting comes from the variables mesh.tf also declares to the remediator.

resource "google_compute_address" "lb_ip" {
  name         = "${var.lb_name_prefix}-ip"
  region       = var.region
  address_type = "INTERNAL"
  subnetwork   = google_compute_subnetwork.subnet.id
  address      = var.lb_ip_address
}

resource "google_compute_region_network_endpoint_group" "lb_neg" {
  name                  = "${var.lb_name_prefix}-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.server.name
  }
}

resource "google_compute_region_backend_service" "lb_backend" {
  name                  = "${var.lb_name_prefix}-backend-svc"
  region                = var.region
  protocol              = "HTTP"
  load_balancing_scheme = "INTERNAL_MANAGED"
  locality_lb_policy    = var.backend_locality_lb_policy
  session_affinity      = var.backend_session_affinity
  # No timeout_sec: Google refuses one on serverless NEG backends (docs/google-behaviour.md).

  log_config {
    enable      = true
    sample_rate = var.backend_log_sample_rate
  }

  backend {
    group           = google_compute_region_network_endpoint_group.lb_neg.id
    balancing_mode  = "UTILIZATION"
    capacity_scaler = 1.0
  }
}

resource "google_compute_region_url_map" "lb_url_map" {
  name            = "${var.lb_name_prefix}-url-map"
  region          = var.region
  default_service = google_compute_region_backend_service.lb_backend.id
}

resource "google_compute_region_target_http_proxy" "lb_proxy" {
  name    = "${var.lb_name_prefix}-target-proxy"
  region  = var.region
  url_map = google_compute_region_url_map.lb_url_map.id
}

resource "google_compute_forwarding_rule" "lb_frontend" {
  name                  = "${var.lb_name_prefix}-frontend"
  region                = var.region
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = var.lb_port
  ip_address            = google_compute_address.lb_ip.id
  target                = google_compute_region_target_http_proxy.lb_proxy.id
  network               = google_compute_network.vpc.id
  subnetwork            = google_compute_subnetwork.subnet.id

  # Compute refuses the rule until the region has a proxy-only subnet.
  depends_on = [google_compute_subnetwork.proxy_only]
}
