# The variables are named like the settings of environments/ENV/backend.conf, so that file is
# passed as it is: terraform apply -var-file=../../environments/ENV/backend.conf.

variable "bucket" {
  description = "Name of the S3 bucket holding Terraform state (backend.conf: bucket)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket))
    error_message = "bucket is a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)."
  }
}

variable "key" {
  description = "Key of the env's state object (backend.conf: key); the bucket policy and outputs refer to it."
  type        = string
}

variable "region" {
  description = "Region of the state bucket and lock table (backend.conf: region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region is an AWS region name such as eu-west-1."
  }
}

variable "dynamodb_table" {
  description = "Name of the DynamoDB lock table (backend.conf: dynamodb_table). Null: no table (use_lockfile = true, S3-native locking, Terraform >= 1.10 / OpenTofu >= 1.10)."
  type        = string
  default     = null
}

variable "encrypt" {
  description = "backend.conf: encrypt. The bucket is encrypted by default either way; accepted so backend.conf can be passed as a var file."
  type        = bool
  default     = true
}

variable "use_lockfile" {
  description = "backend.conf: use_lockfile (S3-native state locking). Accepted so backend.conf can be passed as a var file."
  type        = bool
  default     = false
}

variable "account_id" {
  description = "The env's AWS account (account_id of environments/ENV/lakehouse.yaml); the provider refuses any other. Null: not checked."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id is a 12-digit AWS account id."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days old state versions are kept (state history for recovery)."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Extra tags for the state bucket and the lock table."
  type        = map(string)
  default     = {}
}
