# dms-task-functions on Huawei Cloud FunctionGraph: the four functions from the zips of
# `npm run package:functiongraph`, an agency with the least actions they need, a TIMER trigger for the
# notifier, and list, show and ops behind a dedicated API Gateway. Sources and what is unverified: README.md here.

locals {
  # The functions. One line each: an HTTP one names its route (`path`, matched exactly, or as a prefix
  # for `ops`, which serves every route under /ops/v1) and query parameters, the notifier none. Names,
  # handler, runtime and zip names follow build/functiongraphLayout.ts (a test checks).
  functions = {
    list                = { timeout = 29, path = "/v2/{project_id}/instances/{instance_id}/tasks", matching = "Exact", query = ["start", "offset", "limit", "begin_time", "end_time", "all"] }
    show                = { timeout = 29, path = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}", matching = "Exact", query = [] }
    ops                 = { timeout = 29, path = "/ops/v1", matching = "Prefix", query = ["project", "instance", "task", "state", "event", "since", "limit", "cursor", "q", "page", "page_size", "format"] }
    "notify-on-failure" = { timeout = local.notify_timeout, path = "", matching = "Exact", query = [] }
  }
  # The notifier's timeout: the schedule's interval (a run may scan for all of it, so interval x
  # requestsPerSecond instances each interval), at most FunctionGraph's 259,200 s; var.notify_timeout wins.
  notify_interval_seconds = tonumber(regex("^[0-9]+", var.notify_schedule)) * lookup({ m = 60, h = 3600, d = 86400 }, regex("[mhd]$", var.notify_schedule), 60)
  notify_timeout          = coalesce(var.notify_timeout, min(local.notify_interval_seconds, 259200))

  http_functions = { for name, f in local.functions : name => f if f.path != "" }

  handler     = "index.handler"
  runtime     = "Node.js20.15"
  package_dir = var.package_dir == null ? "${path.module}/../../dist/functiongraph" : var.package_dir

  # The agency's actions, exactly (test/deploy/terraform.test.ts lists them too), in the names of the
  # role/policy model this module's policy uses ("Version" = "1.1", huaweicloud_identity_role); each is
  # in evidence/huawei-permissions.json with its Huawei page for that model (a test checks). The DMS
  # background tasks of Kafka, RocketMQ and RabbitMQ (one action for listing and showing); the CSMS
  # secret read, csms:secretVersion:get (csms:secret:getVersion is the identity-policy name), with the
  # KMS decrypt actions Huawei's role-based examples and the DEW reference give (the value is stored
  # under a data key of the secret's KMS key); the instance listing only for `discover`, SMN publish
  # (with smn:topic:list, its documented dependency) only for an SMN destination.
  agency_actions_always = [
    "dms:instance:getBackgroundTask",
    "csms:secretVersion:get",
    "kms:dek:decrypt",
    "kms:cmk:decryptDataKey",
  ]
  agency_actions_discovery = ["dms:instance:list"]
  agency_actions_smn       = ["smn:topic:publish", "smn:topic:list"]
  agency_actions = concat(
    local.agency_actions_always,
    var.instance_discovery ? local.agency_actions_discovery : [],
    var.smn_publish ? local.agency_actions_smn : [],
  )
  # A function in a VPC needs an agency allowed to manage its network ports there (fgs_function docs).
  agency_vpc_roles = var.vpc_id == null ? [] : ["VPC Administrator"]

  # The configuration document, when given here: the agency's credentials, plus the bearer-token
  # secret and the DCS store when their variables are set (each replaces that part of `config`).
  user_config = var.config == null ? null : jsondecode(var.config)
  redis_store = merge(
    { type = "redis", host = var.dcs_host, port = var.dcs_port, tls = var.dcs_tls },
    { for k, v in { password = { csms = var.dcs_password_secret } } : k => v if var.dcs_password_secret != null },
  )
  http_override = {
    for k, v in { http = merge(try(local.user_config.http, {}), { tokens = [{ csms = var.api_tokens_secret }] }) } :
    k => v if var.api_tokens_secret != null
  }
  notify_override = {
    for k, v in { notify = merge(try(local.user_config.notify, {}), { store = local.redis_store }) } :
    k => v if var.dcs_host != null
  }
  config_document = local.user_config == null ? null : merge(
    local.user_config,
    { credentials = { source = "functiongraph" } },
    local.http_override,
    local.notify_override,
  )
  user_data = merge(
    var.environment,
    local.config_document == null ? {} : { DMS_TASKS_CONFIG = jsonencode(local.config_document) },
    # What the self-check judges the notifier's timeout against (GET /ops/v1/doctor, its first log lines).
    { DTF_NOTIFY_TIMEOUT_SECONDS = tostring(local.notify_timeout), DTF_NOTIFY_SCHEDULE = var.notify_schedule },
  )
}

# ---------------------------------------------------------------------------------------------- agency

resource "huaweicloud_identity_role" "agency" {
  name        = "${var.name_prefix}-agency-policy"
  description = "dms-task-functions: read DMS background tasks and CSMS secrets"
  type        = "XA" # region-specific projects: DMS, CSMS and SMN are project-level services
  policy = jsonencode({
    Version = "1.1"
    Statement = [{
      Effect = "Allow"
      Action = local.agency_actions
    }]
  })
}

resource "huaweicloud_identity_agency" "functions" {
  name        = "${var.name_prefix}-agency"
  description = "dms-task-functions: the functions' temporary credentials"
  # FunctionGraph's service name. The provider reads an op_svc_* trust domain back into this argument,
  # so delegated_domain_name would show a change on every plan.
  delegated_service_name = "op_svc_cff"

  project_role {
    project = var.region
    roles   = concat([huaweicloud_identity_role.agency.name], local.agency_vpc_roles)
  }
}

# ------------------------------------------------------------------------------------------- functions

resource "huaweicloud_fgs_function" "this" {
  for_each = local.functions

  region      = var.region
  name        = "${var.name_prefix}-${each.key}"
  app         = var.app
  description = "dms-task-functions ${each.key}"
  agency      = huaweicloud_identity_agency.functions.name
  handler     = local.handler
  runtime     = local.runtime
  memory_size = var.memory_size
  timeout     = each.value.timeout

  code_type     = "zip"
  func_code     = filebase64("${local.package_dir}/${each.key}.zip")
  code_filename = "${each.key}.zip"

  user_data           = length(local.user_data) == 0 ? null : jsonencode(local.user_data)
  encrypted_user_data = length(var.encrypted_environment) == 0 ? null : jsonencode(var.encrypted_environment)

  vpc_id     = var.vpc_id
  network_id = var.subnet_id

  # Logs go to LTS; without group and stream FunctionGraph creates them (fgs_function docs).
  enable_lts_log = true

  tags = var.tags

  lifecycle {
    precondition {
      condition     = (var.vpc_id == null) == (var.subnet_id == null)
      error_message = "vpc_id and subnet_id go together."
    }
    precondition {
      condition     = var.config != null || (var.dcs_host == null && var.api_tokens_secret == null)
      error_message = "dcs_host and api_tokens_secret are merged into config: set config, or put them in the packaged file."
    }
  }
}

resource "huaweicloud_fgs_function_trigger" "notify_timer" {
  region       = var.region
  function_urn = huaweicloud_fgs_function.this["notify-on-failure"].urn
  type         = "TIMER"
  status       = "ACTIVE"
  event_data = jsonencode({
    name           = "${var.name_prefix}-notify"
    schedule_type  = "Rate"
    schedule       = var.notify_schedule
    sync_execution = false
    user_event     = "dms-task-functions"
  })
}

# ------------------------------------------------------------------------------------------ API Gateway

resource "huaweicloud_apig_group" "this" {
  region                = var.region
  instance_id           = var.apig_instance_id
  name                  = var.name_prefix
  description           = "dms-task-functions: list, show and ops"
  domain_access_enabled = var.apig_debug_domain
}

resource "huaweicloud_apig_api" "this" {
  for_each = local.http_functions

  region      = var.region
  instance_id = var.apig_instance_id
  group_id    = huaweicloud_apig_group.this.id
  type        = "Public"
  name        = "${var.name_prefix}-${each.key}"
  # Every method reaches the function, which answers 405 with Allow: GET (as on AWS).
  request_method   = "ANY"
  request_protocol = "HTTPS"
  request_path     = each.value.path
  # Exact for list and show; Prefix for ops (APIG passes the rest of the path on to the function).
  matching = each.value.matching
  # The function checks the bearer token itself (http.tokens).
  security_authentication = "NONE"

  dynamic "request_params" {
    for_each = regexall("{([a-z_]+)}", each.value.path)
    content {
      name     = request_params.value[0]
      location = "PATH"
      type     = "STRING"
      required = true
    }
  }

  dynamic "request_params" {
    for_each = each.value.query
    content {
      name     = request_params.value
      location = "QUERY"
      type     = "STRING"
      required = false
    }
  }

  # The body reaches the function base64-encoded with isBase64Encoded, which the handlers decode.
  is_send_fg_body_base64 = true

  func_graph {
    function_urn    = huaweicloud_fgs_function.this[each.key].urn
    version         = "latest"
    invocation_type = "sync"
    timeout         = each.value.timeout * 1000
  }
}

data "huaweicloud_apig_environments" "this" {
  region      = var.region
  instance_id = var.apig_instance_id
  name        = var.apig_environment
}

resource "huaweicloud_apig_api_publishment" "this" {
  for_each = local.http_functions

  region      = var.region
  instance_id = var.apig_instance_id
  env_id      = data.huaweicloud_apig_environments.this.environments[0].id
  api_id      = huaweicloud_apig_api.this[each.key].id
  # Republished when the API's definition changes: the ids above never change, so without this a changed
  # API is saved but the environment keeps serving the old version. With `version_id` unset the
  # provider's update publishes a new version whenever `description` changes (its source at v1.97.1,
  # ResourceApiPublishmentUpdate); the description carries a hash of the whole API resource. A replace
  # (`replace_triggered_by`) would take the API offline between the delete and the create.
  description = "dms-task-functions ${sha256(jsonencode(huaweicloud_apig_api.this[each.key]))}"
}

data "huaweicloud_apig_groups" "this" {
  region      = var.region
  instance_id = var.apig_instance_id
  group_id    = huaweicloud_apig_group.this.id
}

locals {
  api_origin = "https://${var.api_domain == null ? data.huaweicloud_apig_groups.this.groups[0].sl_domain : var.api_domain}"
}
