# Every variable is documented in the table of deploy/functiongraph/README.md (a test checks both).

variable "region" {
  description = "Region of the functions, the API group and the agency's project role (the project of that name), e.g. cn-north-4."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every name: functions <prefix>-<function>, the agency, its policy, the API group, the timer."
  type        = string
  default     = "dms-task-functions"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{2,38}$", var.name_prefix))
    error_message = "name_prefix: a letter, then 2 to 38 letters, digits or hyphens (function and API group name rules)."
  }
}

variable "package_dir" {
  description = "Folder holding <function>.zip as `npm run package:functiongraph` writes them. Null: dist/functiongraph of this repository."
  type        = string
  default     = null
}

variable "app" {
  description = "FunctionGraph application (group) of the functions."
  type        = string
  default     = "default"
}

variable "memory_size" {
  description = "Memory of each function, in MB."
  type        = number
  default     = 256
}

variable "config" {
  description = "The configuration document (JSON text, references only), passed as DMS_TASKS_CONFIG with the module's settings merged in. Null: the config packaged in the zips (or a pointer) is used as is."
  type        = string
  default     = null

  validation {
    condition     = var.config == null || can(jsondecode(var.config))
    error_message = "config: not valid JSON."
  }
}

variable "environment" {
  description = "Further plain environment variables (user_data) of every function; never a secret."
  type        = map(string)
  default     = {}
}

variable "encrypted_environment" {
  description = "Encrypted environment variables (encrypted_user_data) of every function, e.g. API_TOKENS for an {\"env\": ...} reference; CSMS references are preferred."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "api_tokens_secret" {
  description = "Name of the CSMS secret holding the callers' bearer tokens (comma-separated); sets http.tokens of config. Null: config's own http.tokens."
  type        = string
  default     = null
}

variable "dcs_host" {
  description = "Address (IP or host name) of the DCS Redis instance, the notifier's state store; sets notify.store of config. Null: config's own store."
  type        = string
  default     = null
}

variable "dcs_port" {
  description = "Port of the DCS Redis instance."
  type        = number
  default     = 6379
}

variable "dcs_password_secret" {
  description = "Name of the CSMS secret holding the DCS password. Null: a DCS instance without a password."
  type        = string
  default     = null
}

variable "dcs_tls" {
  description = "Connect to DCS over TLS with the system CAs (for DCS's own CA, put a tls object in config instead)."
  type        = bool
  default     = false
}

variable "vpc_id" {
  description = "VPC of the functions (the DCS instance's VPC). Null: no VPC access (then DCS is unreachable)."
  type        = string
  default     = null
}

variable "subnet_id" {
  description = "Subnet (network ID) of the functions in vpc_id; required with vpc_id."
  type        = string
  default     = null
}

variable "instance_discovery" {
  description = "Grant dms:instance:list, which projects.*.discover needs (the instance listing)."
  type        = bool
  default     = false
}

variable "smn_publish" {
  description = "Grant smn:topic:publish (and smn:topic:list, its dependency), for a configured SMN destination."
  type        = bool
  default     = false
}

variable "notify_schedule" {
  description = "Rate of the notifier's TIMER trigger (FunctionGraph Rate syntax, e.g. 5m, 1h)."
  type        = string
  default     = "5m"
  validation {
    condition     = can(regex("^[0-9]+[mhd]$", var.notify_schedule))
    error_message = "notify_schedule is a FunctionGraph rate: a number and m, h or d (e.g. 5m, 1h)."
  }
}

variable "notify_timeout" {
  description = "The notifier's timeout (s). Default: the schedule's interval (300 s at 5m), at most 259,200 s."
  type        = number
  default     = null
}

variable "apig_instance_id" {
  description = "ID of the dedicated API Gateway instance that serves list, show and ops."
  type        = string
}

variable "apig_environment" {
  description = "API Gateway environment the APIs are published to; other than RELEASE, callers send X-Stage: <name>."
  type        = string
  default     = "RELEASE"
}

variable "apig_debug_domain" {
  description = "Allow calls on the group's debugging domain (1000 calls a day, for a first check only)."
  type        = bool
  default     = true
}

variable "api_domain" {
  description = "Your own domain bound to the API group (with its certificate), used in the URL outputs. Null: the debugging domain."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of the functions."
  type        = map(string)
  default     = {}
}
