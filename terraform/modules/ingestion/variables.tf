variable "name" {
  description = "Name prefix of every DMS and IAM resource of the module, e.g. lakehouse-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name is 2-32 lower-case letters, digits and hyphens, starting with a letter (DMS identifiers allow no underscores)."
  }
}

variable "replication_name" {
  description = "Short name of the replication: the key under which its ARN appears in the output lakehouse (dms_replications or dms_tasks); the AWS identifier is <name>-<replication_name>."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[a-z0-9]$", var.replication_name))
    error_message = "replication_name is lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "mode" {
  description = "serverless: a DMS Serverless replication config (pay per use, capacity scales between min and max DCUs). instance: a classic replication instance and replication task (billed per hour while it exists)."
  type        = string
  default     = "serverless"

  validation {
    condition     = contains(["serverless", "instance"], var.mode)
    error_message = "mode is serverless or instance."
  }
}

variable "migration_type" {
  description = "What the replication does: full-load-and-cdc (a full load, then ongoing changes: what convert expects), full-load, or cdc."
  type        = string
  default     = "full-load-and-cdc"

  validation {
    condition     = contains(["full-load-and-cdc", "full-load", "cdc"], var.migration_type)
    error_message = "migration_type is full-load-and-cdc, full-load or cdc."
  }
}

variable "source_endpoint" {
  description = "The source database. Its connection details (host, port, user name, password) are read by DMS from the Secrets Manager secret secret_arn (keys host, port, username, password) through an IAM role this module creates: no password is given to Terraform."
  type = object({
    engine_name        = string
    database_name      = string
    secret_arn         = string
    secret_kms_key_arn = optional(string)
    ssl_mode           = optional(string, "require")
  })

  validation {
    condition     = contains(["postgres", "aurora-postgresql", "mysql", "aurora", "mariadb"], var.source_endpoint.engine_name)
    error_message = "source_endpoint.engine_name is one of postgres, aurora-postgresql (PostgreSQL) or mysql, aurora, mariadb (MySQL)."
  }

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.source_endpoint.secret_arn))
    error_message = "source_endpoint.secret_arn must be a Secrets Manager secret ARN."
  }

  validation {
    condition     = contains(["none", "require", "verify-ca", "verify-full"], var.source_endpoint.ssl_mode)
    error_message = "source_endpoint.ssl_mode is none, require, verify-ca or verify-full."
  }
}

variable "subnet_ids" {
  description = "Subnets (at least two, in two availability zones) where DMS runs; they must reach the source database and S3 (a gateway endpoint or a NAT)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids lists at least two subnet ids (subnet-...)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the DMS replication (must be allowed into the source database). Empty: the VPC's default security group."
  type        = list(string)
  default     = []
}

variable "serverless" {
  description = "DMS Serverless capacity, in DMS capacity units (DCU: 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384), and placement."
  type = object({
    min_capacity_units           = optional(number, 1)
    max_capacity_units           = optional(number, 4)
    multi_az                     = optional(bool, false)
    preferred_maintenance_window = optional(string, "sun:03:00-sun:04:00")
  })
  default = {}

  validation {
    condition = alltrue([for c in [var.serverless.min_capacity_units, var.serverless.max_capacity_units] :
    contains([1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384], c)])
    error_message = "Capacity units are one of 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384."
  }

  validation {
    condition     = var.serverless.min_capacity_units <= var.serverless.max_capacity_units
    error_message = "serverless.min_capacity_units cannot exceed max_capacity_units."
  }
}

variable "instance" {
  description = "Classic replication instance (mode = instance): class, storage in GiB, DMS engine version (null: the current default), Multi-AZ."
  type = object({
    class             = optional(string, "dms.t3.medium")
    allocated_storage = optional(number, 50)
    engine_version    = optional(string)
    multi_az          = optional(bool, false)
  })
  default = {}

  validation {
    condition     = startswith(var.instance.class, "dms.")
    error_message = "instance.class is a DMS instance class such as dms.t3.medium."
  }
}

variable "start_replication" {
  description = "Start the replication (or task) when it is created. False: start it with lakehouse dms start (or the console) once the source is ready."
  type        = bool
  default     = false
}

variable "create_service_roles" {
  description = "Create the account-wide DMS service roles dms-vpc-role and dms-cloudwatch-logs-role. Set false when the account already has them (they have fixed names, so only one configuration per account may own them)."
  type        = bool
  default     = false
}

variable "raw_bucket_name" {
  description = "Name of the raw-zone bucket (the DMS S3 target)."
  type        = string
}

variable "raw_bucket_arn" {
  description = "ARN of the raw-zone bucket."
  type        = string
}

variable "raw_zone_prefix" {
  description = "Folder in the raw bucket where DMS writes <schema>/<table>/ (the target's bucket_folder; the raw_zone of the output lakehouse)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the raw bucket (DMS writes SSE-KMS with it) and of the DMS resources; null: SSE-S3 and AWS managed keys."
  type        = string
  default     = null
}

variable "tables" {
  description = "Source tables to replicate, keyed by schema.table (from the env's tables.yaml): schema, table, the change-sequence column DMS adds to each row ($AR_H_CHANGE_SEQ; null: none) and the table's timestamp column (must equal timestamp_column_name: DMS sets it per endpoint)."
  type = map(object({
    schema                 = string
    table                  = string
    change_sequence_column = optional(string)
    timestamp_column       = optional(string)
  }))

  validation {
    condition     = length(var.tables) > 0
    error_message = "tables names at least one source table (environments/ENV/tables.yaml: tables)."
  }
}

variable "timestamp_column_name" {
  description = "Name of the column DMS adds with each row's commit time (full load: transfer time), the timestamp_column of tables.yaml. Null: none."
  type        = string
  default     = "dms_commit_ts"
}

variable "data_format" {
  description = "Format of the raw files: parquet (carries types; recommended) or csv (needs columns: in tables.yaml)."
  type        = string
  default     = "parquet"

  validation {
    condition     = contains(["parquet", "csv"], var.data_format)
    error_message = "data_format is parquet or csv."
  }
}

variable "compression_type" {
  description = "NONE or GZIP. Parquet files compress inside the file either way; GZIP gzips whole CSV files (.csv.gz)."
  type        = string
  default     = "NONE"

  validation {
    condition     = contains(["NONE", "GZIP"], var.compression_type)
    error_message = "compression_type is NONE or GZIP."
  }
}

variable "csv_null_value" {
  description = "The NULL marker DMS writes in CSV files (csv_null_value of tables.yaml); unused for Parquet."
  type        = string
  default     = "NULL"
}

variable "tags" {
  description = "Tags for every resource of the module (the provider's default_tags are added too)."
  type        = map(string)
  default     = {}
}
