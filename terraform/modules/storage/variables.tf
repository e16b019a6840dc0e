variable "bucket_names" {
  description = "Names of the four buckets: raw (DMS raw zone), warehouse (Iceberg tables), athena_results (query results) and access_logs (S3 server access logs of the other three)."
  type = object({
    raw            = string
    warehouse      = string
    athena_results = string
    access_logs    = string
  })

  validation {
    condition     = alltrue([for n in values(var.bucket_names) : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", n))])
    error_message = "Bucket names are 3-63 characters of lower-case letters, digits, dots and hyphens."
  }
}

variable "raw_zone_prefix" {
  description = "Prefix (folder) of the raw zone in the raw bucket: DMS writes <prefix>/<schema>/<table>/."
  type        = string
  default     = "dms"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", var.raw_zone_prefix))
    error_message = "raw_zone_prefix is a relative S3 folder such as \"dms\" (no leading or trailing slash)."
  }
}

variable "warehouse_prefix" {
  description = "Prefix (folder) of the Iceberg warehouse in the warehouse bucket."
  type        = string
  default     = "warehouse"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", var.warehouse_prefix))
    error_message = "warehouse_prefix is a relative S3 folder such as \"warehouse\" (no leading or trailing slash)."
  }
}

variable "athena_results_prefix" {
  description = "Prefix (folder) of Athena query results in the athena_results bucket."
  type        = string
  default     = "results"
}

variable "create_kms_key" {
  description = "Create a customer managed KMS key (with rotation) for the raw, warehouse and Athena results buckets. The access-log bucket always uses SSE-S3: S3 server access logging cannot deliver to SSE-KMS buckets."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for the buckets (instead of create_kms_key). Null and create_kms_key = false: SSE-S3 (AES256)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a created KMS key is deleted (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days is between 7 and 30."
  }
}

variable "kms_key_alias" {
  description = "Alias of the created KMS key, without the alias/ prefix."
  type        = string
  default     = "lakehouse"
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete non-empty buckets (all objects and versions are lost). Keep false in production."
  type        = bool
  default     = false
}

variable "raw_zone_transition_days" {
  description = "Days after which raw-zone objects move to S3 Standard-IA (names, sizes and times are kept, so convert is unaffected). Null: never."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_zone_transition_days == null || try(var.raw_zone_transition_days >= 30, false)
    error_message = "raw_zone_transition_days is at least 30 (the minimum for Standard-IA) or null."
  }
}

variable "raw_zone_expiration_days" {
  description = "Days after which raw-zone objects expire. Null (default): never. Caution: convert detects a DMS reload by the LOAD files of a table; if only some of a table's LOAD files have expired when convert runs, it takes the rest for a new full load. Set this only with a retention far beyond the time convert needs, or reload tables before their LOAD files expire."
  type        = number
  default     = null

  validation {
    condition     = var.raw_zone_expiration_days == null || try(var.raw_zone_expiration_days >= 1, false)
    error_message = "raw_zone_expiration_days is a positive number of days or null."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions (overwritten or deleted objects) are removed, in every bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days is at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted (their parts deleted), in every bucket."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1
    error_message = "abort_incomplete_multipart_upload_days is at least 1."
  }
}

variable "athena_results_expiration_days" {
  description = "Days after which Athena query results expire."
  type        = number
  default     = 30

  validation {
    condition     = var.athena_results_expiration_days >= 1
    error_message = "athena_results_expiration_days is at least 1."
  }
}

variable "access_logs_expiration_days" {
  description = "Days after which S3 server access logs expire."
  type        = number
  default     = 365

  validation {
    condition     = var.access_logs_expiration_days >= 1
    error_message = "access_logs_expiration_days is at least 1."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (the provider's default_tags are added too)."
  type        = map(string)
  default     = {}
}
