# The base that deploy/functiongraph needs and does not create: a VPC and subnet, a NAT gateway (a
# function in a VPC has no internet access of its own: DMS, CSMS and webhooks are reached through it),
# a DCS Redis instance for the notifier's state and a dedicated API Gateway instance. Apply it once,
# then give its outputs to the module (README, "Deploy on Huawei FunctionGraph").
#
# Every resource here is billed by the hour (README, "What a month costs"). Argument names follow the
# provider's docs at huaweicloud/terraform-provider-huaweicloud a0345b8; this file is checked with
# `terraform fmt` and parsed by the tests, but was not applied against an account here.
#
# The DCS password comes from a variable: Terraform keeps it in its state, so keep the state in OBS
# (README, "Where the Terraform state lives") and put the same value in the CSMS secret the functions
# read (`dtf-dcs-password`).

terraform {
  required_version = ">= 1.3"
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.97.0"
    }
  }
}

variable "region" {
  type        = string
  description = "Region of everything, e.g. cn-north-4."
}

variable "name_prefix" {
  type    = string
  default = "dms-task-functions"
}

variable "dcs_password" {
  type        = string
  sensitive   = true
  description = "8 to 32 characters, three of: lower case, upper case, digits, special characters."
}

variable "cidr" {
  type    = string
  default = "192.168.0.0/24"
}

provider "huaweicloud" {
  region = var.region
}

data "huaweicloud_availability_zones" "all" {}

resource "huaweicloud_vpc" "this" {
  name = "${var.name_prefix}-vpc"
  cidr = var.cidr
}

resource "huaweicloud_vpc_subnet" "this" {
  name       = "${var.name_prefix}-subnet"
  vpc_id     = huaweicloud_vpc.this.id
  cidr       = var.cidr
  gateway_ip = cidrhost(var.cidr, 1)
}

resource "huaweicloud_networking_secgroup" "this" {
  name = "${var.name_prefix}-sg"
}

# Outbound internet for the functions: a small NAT gateway, one EIP, one SNAT rule for the subnet.
resource "huaweicloud_vpc_eip" "nat" {
  publicip {
    type = "5_bgp"
  }
  bandwidth {
    share_type  = "PER"
    name        = "${var.name_prefix}-nat"
    size        = 5
    charge_mode = "traffic"
  }
}

resource "huaweicloud_nat_gateway" "this" {
  name      = "${var.name_prefix}-nat"
  spec      = "1"
  vpc_id    = huaweicloud_vpc.this.id
  subnet_id = huaweicloud_vpc_subnet.this.id
}

resource "huaweicloud_nat_snat_rule" "this" {
  nat_gateway_id = huaweicloud_nat_gateway.this.id
  floating_ip_id = huaweicloud_vpc_eip.nat.id
  subnet_id      = huaweicloud_vpc_subnet.this.id
}

# The notifier's state. Master/standby keeps it over a restart; "single" costs less and loses it
# (the notifier then re-baselines: what failed meanwhile is recorded, not sent).
data "huaweicloud_dcs_flavors" "redis" {
  engine         = "Redis"
  engine_version = "5.0"
  cache_mode     = "ha"
  capacity       = 0.125
}

resource "huaweicloud_dcs_instance" "state" {
  name               = "${var.name_prefix}-state"
  engine             = "Redis"
  engine_version     = "5.0"
  capacity           = 0.125
  flavor             = data.huaweicloud_dcs_flavors.redis.flavors[0].name
  availability_zones = slice(data.huaweicloud_availability_zones.all.names, 0, 2)
  password           = var.dcs_password
  vpc_id             = huaweicloud_vpc.this.id
  subnet_id          = huaweicloud_vpc_subnet.this.id
}

# The HTTP front of list, show and ops. BASIC is the smallest edition.
resource "huaweicloud_apig_instance" "this" {
  name               = "${var.name_prefix}-apig"
  edition            = "BASIC"
  vpc_id             = huaweicloud_vpc.this.id
  subnet_id          = huaweicloud_vpc_subnet.this.id
  security_group_id  = huaweicloud_networking_secgroup.this.id
  availability_zones = slice(data.huaweicloud_availability_zones.all.names, 0, 1)
}

output "vpc_id" {
  value = huaweicloud_vpc.this.id
}

output "subnet_id" {
  value = huaweicloud_vpc_subnet.this.id
}

output "apig_instance_id" {
  value = huaweicloud_apig_instance.this.id
}

output "dcs_host" {
  description = "notify.store.host in the configuration (or the module's dcs_host)."
  value       = huaweicloud_dcs_instance.state.private_ip
}
