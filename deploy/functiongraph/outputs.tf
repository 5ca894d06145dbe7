# Every output is documented in the table of deploy/functiongraph/README.md (a test checks both).

output "api_origin" {
  description = "Origin of the APIs: https:// and your api_domain, else the group's debugging domain."
  value       = local.api_origin
}

output "api_urls" {
  description = "URL template of each HTTP function (list, show), with its {placeholders}."
  value       = { for name, f in local.http_functions : name => "${local.api_origin}${f.path}" }
}

output "list_url" {
  description = "URL template of list: GET .../v2/{project_id}/instances/{instance_id}/tasks."
  value       = "${local.api_origin}${local.functions.list.path}"
}

output "show_url" {
  description = "URL template of show: GET .../v2/{project_id}/instances/{instance_id}/tasks/{task_id}."
  value       = "${local.api_origin}${local.functions.show.path}"
}

output "ops_url" {
  description = "Base URL of the operator API (ops): .../ops/v1, under which /history and /silences are served."
  value       = "${local.api_origin}${local.functions.ops.path}"
}

output "fleet_url" {
  description = "URL of the fleet page that ops serves: .../ops/v1/fleet."
  value       = "${local.api_origin}${local.functions.ops.path}/fleet"
}

output "function_urns" {
  description = "URN of each function, for logs (LTS) and manual invocations."
  value       = { for name, f in huaweicloud_fgs_function.this : name => f.urn }
}

output "agency_name" {
  description = "The functions' agency."
  value       = huaweicloud_identity_agency.functions.name
}

output "agency_actions" {
  description = "The IAM actions the agency's policy allows."
  value       = local.agency_actions
}

output "api_group_id" {
  description = "ID of the API group, to bind your own domain and certificate to."
  value       = huaweicloud_apig_group.this.id
}
