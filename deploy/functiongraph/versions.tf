terraform {
  # `optional()` object attributes and `nullable` need Terraform 1.3.
  required_version = ">= 1.3"

  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
      # Every argument used here was read from the provider's docs and source at 1.97.1 (August 2026).
      version = "~> 1.97"
    }
  }
}
