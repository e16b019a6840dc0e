variable "workgroup_name" {
  description = "Name of the Athena workgroup (athena_workgroup of the output lakehouse)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,128}$", var.workgroup_name))
    error_message = "workgroup_name is 1-128 letters, digits, dots, underscores and hyphens."
  }
}

variable "result_location" {
  description = "Where query results go, s3://BUCKET/PREFIX/ (enforced for every query of the workgroup)."
  type        = string

  validation {
    condition     = can(regex("^s3://[^/]+/.*/$", var.result_location))
    error_message = "result_location is s3://bucket/prefix/ with a trailing slash."
  }
}

variable "kms_key_arn" {
  description = "KMS key to encrypt query results with (SSE_KMS); null: SSE_S3."
  type        = string
  default     = null
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Athena cancels a query of the workgroup that scans more than this many bytes (at least 10 MB)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "bytes_scanned_cutoff_per_query is at least 10485760 (10 MB)."
  }
}

variable "expected_bucket_owner" {
  description = "Account id that must own the results bucket (Athena refuses to write elsewhere)."
  type        = string
}

variable "force_destroy" {
  description = "Let terraform destroy delete the workgroup even when it has saved queries or history."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the module (the provider's default_tags are added too)."
  type        = map(string)
  default     = {}
}
