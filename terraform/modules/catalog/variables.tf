variable "database_name" {
  description = "Glue database of the Iceberg tables (the CLI's default namespace, glue_database of the output lakehouse)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.database_name))
    error_message = "database_name is lower-case letters, digits and underscores (what Athena can query unquoted)."
  }
}

variable "raw_database_name" {
  description = "Glue database for tables over the raw zone (glue_raw_database of the output lakehouse)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.raw_database_name))
    error_message = "raw_database_name is lower-case letters, digits and underscores."
  }
}

variable "warehouse" {
  description = "Iceberg warehouse location, s3://BUCKET/PREFIX; the database location is WAREHOUSE/<database_name>.db, where Iceberg's Glue catalog puts new tables by default."
  type        = string

  validation {
    condition     = can(regex("^s3://[^/]+/.+[^/]$", var.warehouse))
    error_message = "warehouse is s3://bucket/prefix without a trailing slash."
  }
}

variable "warehouse_bucket_arn" {
  description = "ARN of the warehouse bucket (for the table optimizer role)."
  type        = string
}

variable "raw_zone" {
  description = "Raw zone location, s3://BUCKET/PREFIX (the raw database's location)."
  type        = string
}

variable "iceberg_tables" {
  description = "Iceberg tables of the lakehouse as database.table (from tables.yaml), for the Glue table optimizers."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.iceberg_tables : can(regex("^[a-z0-9_]+\\.[a-z0-9_]+$", t))])
    error_message = "iceberg_tables are database.table names in lower case."
  }
}

variable "table_optimizers" {
  description = "Glue Data Catalog table optimizers for the Iceberg tables: compaction, snapshot retention and orphan-file deletion run by AWS (billed per DPU-hour). The tables must exist: enable this after the first lakehouse iceberg convert. An alternative to lakehouse iceberg compact / expire / orphans."
  type = object({
    enabled                              = optional(bool, false)
    compaction                           = optional(bool, true)
    retention                            = optional(bool, true)
    orphan_file_deletion                 = optional(bool, true)
    snapshot_retention_period_in_days    = optional(number, 5)
    number_of_snapshots_to_retain        = optional(number, 1)
    orphan_file_retention_period_in_days = optional(number, 3)
  })
  default = {}

  validation {
    condition     = var.table_optimizers.snapshot_retention_period_in_days >= 1 && var.table_optimizers.orphan_file_retention_period_in_days >= 1 && var.table_optimizers.number_of_snapshots_to_retain >= 1
    error_message = "Retention periods and the number of snapshots to retain are at least 1."
  }
}

variable "kms_key_arn" {
  description = "KMS key of the warehouse bucket (the optimizer role may use it); null for SSE-S3."
  type        = string
  default     = null
}

variable "name" {
  description = "Name prefix of the IAM role of the table optimizers, e.g. lakehouse-dev."
  type        = string
}

variable "tags" {
  description = "Tags for every resource of the module (the provider's default_tags are added too)."
  type        = map(string)
  default     = {}
}
