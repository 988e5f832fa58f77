output "lb_ip_address" {
  description = "Internal address of server-service's load balancer (client-service's SERVER_URL)."
  value       = google_compute_address.lb_ip.address
}

output "mesh_yaml" {
  description = "The declared mesh handed to the remediator."
  value       = yamlencode(local.mesh)
}

output "remediator_service_account" {
  value = module.remediator.service_account_email
}

output "dead_letter_subscription" {
  value = module.remediator.dead_letter_subscription
}
