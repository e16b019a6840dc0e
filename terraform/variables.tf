# --- the env --------------------------------------------------------------------------------

variable "env" {
  description = "Name of the environment: its folder under environments/ holds lakehouse.yaml, backend.conf, tables.yaml and this configuration's terraform.tfvars."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.env))
    error_message = "env is 2-16 lower-case letters and digits (dev, prod, ...)."
  }
}

variable "account_id" {
  description = "The AWS account of the env (account_id of environments/ENV/lakehouse.yaml). The provider refuses to touch any other account."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id is a 12-digit AWS account id (quoted)."
  }
}

variable "region" {
  description = "AWS region of the lakehouse (region of environments/ENV/lakehouse.yaml)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region is an AWS region name such as eu-west-1."
  }
}

variable "name" {
  description = "Name prefix of every resource; resources are named <name>-<env>..."
  type        = string
  default     = "lakehouse"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name is 2-21 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags for every resource (added to the provider's default tags lakehouse:env and lakehouse:managed-by)."
  type        = map(string)
  default     = {}
}

variable "tables_file" {
  description = "The tables file the CLI reads (environments/ENV/tables.yaml, relative to this directory), which drives the DMS table mappings. Null: ../environments/<env>/tables.yaml."
  type        = string
  default     = null
}

variable "terraform_state" {
  description = "Where this env's state is (bucket and key of backend.conf), for the operator policy: the CLI reads the output lakehouse there. Null: read from ../environments/<env>/backend.conf."
  type = object({
    bucket = string
    key    = string
  })
  default = null
}

# --- storage ----------------------------------------------------------------------------------

variable "force_destroy" {
  description = "Let terraform destroy delete non-empty buckets and the Athena workgroup with its history. Data is lost: dev only."
  type        = bool
  default     = false
}

variable "create_kms_key" {
  description = "Create a KMS key (rotated yearly) for the raw, warehouse and Athena results buckets, DMS and Athena results. False with kms_key_arn null: SSE-S3."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "An existing KMS key to use instead of create_kms_key."
  type        = string
  default     = null
}

variable "raw_zone_prefix" {
  description = "Folder of the raw zone in the raw bucket (the DMS S3 target's bucket_folder): raw_zone = s3://RAW_BUCKET/<raw_zone_prefix>."
  type        = string
  default     = "dms"
}

variable "warehouse_prefix" {
  description = "Folder of the Iceberg warehouse in the warehouse bucket: warehouse = s3://WAREHOUSE_BUCKET/<warehouse_prefix>."
  type        = string
  default     = "warehouse"
}

variable "raw_zone_transition_days" {
  description = "Days after which raw files move to S3 Standard-IA (null: never)."
  type        = number
  default     = 30
}

variable "raw_zone_expiration_days" {
  description = "Days after which raw files expire (null: never). See the storage module: convert needs a table's LOAD files as long as it may run."
  type        = number
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten or deleted object versions are removed, in every bucket."
  type        = number
  default     = 30
}

variable "athena_results_expiration_days" {
  description = "Days after which Athena query results expire."
  type        = number
  default     = 30
}

variable "access_logs_expiration_days" {
  description = "Days after which S3 server access logs expire."
  type        = number
  default     = 365
}

# --- catalog and query ------------------------------------------------------------------------

variable "glue_database_name" {
  description = "Glue database of the Iceberg tables. Null: <name>_<env> (lakehouse_dev)."
  type        = string
  default     = null
}

variable "glue_raw_database_name" {
  description = "Glue database for raw-zone tables. Null: <name>_<env>_raw."
  type        = string
  default     = null
}

variable "glue_table_optimizers" {
  description = "Glue table optimizers (compaction, snapshot retention, orphan-file deletion) for the Iceberg tables of tables.yaml; enable after the first convert created the tables. See modules/catalog."
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
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "Athena cancels any query of the workgroup that scans more bytes than this (at least 10 MB)."
  type        = number
  default     = 10737418240
}

# --- ingestion ------------------------------------------------------------------------------

variable "dms" {
  description = "AWS DMS from the source database into the raw zone (see modules/ingestion). Null: no DMS (the raw zone is filled some other way)."
  type = object({
    mode             = optional(string, "serverless")
    replication_name = optional(string, "main")
    migration_type   = optional(string, "full-load-and-cdc")
    source = object({
      engine_name        = string
      database_name      = string
      secret_arn         = string
      secret_kms_key_arn = optional(string)
      ssl_mode           = optional(string, "require")
    })
    subnet_ids         = list(string)
    security_group_ids = optional(list(string), [])
    serverless = optional(object({
      min_capacity_units           = optional(number, 1)
      max_capacity_units           = optional(number, 4)
      multi_az                     = optional(bool, false)
      preferred_maintenance_window = optional(string, "sun:03:00-sun:04:00")
    }), {})
    instance = optional(object({
      class             = optional(string, "dms.t3.medium")
      allocated_storage = optional(number, 50)
      engine_version    = optional(string)
      multi_az          = optional(bool, false)
    }), {})
    start_replication = optional(bool, false)
    data_format       = optional(string, "parquet")
    compression_type  = optional(string, "NONE")
  })
  default = null
}

variable "create_dms_service_roles" {
  description = "Create the account-wide roles dms-vpc-role and dms-cloudwatch-logs-role. False when the account has them already (AWS fixes their names)."
  type        = bool
  default     = false
}

# --- access -----------------------------------------------------------------------------------

variable "operator_attach_to_roles" {
  description = "IAM roles that get the operator policy (the CLI's permissions on this env)."
  type        = list(string)
  default     = []
}

variable "operator_attach_to_groups" {
  description = "IAM groups that get the operator policy."
  type        = list(string)
  default     = []
}

variable "operator_attach_to_users" {
  description = "IAM users that get the operator policy."
  type        = list(string)
  default     = []
}
