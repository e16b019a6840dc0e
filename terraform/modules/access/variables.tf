variable "name" {
  description = "Name prefix, e.g. lakehouse-dev: the policy is <name>-operator."
  type        = string
}

variable "terraform_state" {
  description = "The env's Terraform state object (bucket and key of backend.conf), which the CLI reads for the output lakehouse. Null: no access to it."
  type = object({
    bucket = string
    key    = string
  })
  default = null
}

variable "raw_bucket_arn" {
  description = "ARN of the raw-zone bucket."
  type        = string
}

variable "raw_zone_prefix" {
  description = "Prefix of the raw zone in the raw bucket."
  type        = string
}

variable "warehouse_bucket_arn" {
  description = "ARN of the warehouse bucket."
  type        = string
}

variable "warehouse_prefix" {
  description = "Prefix of the Iceberg warehouse in the warehouse bucket."
  type        = string
}

variable "athena_results_bucket_arn" {
  description = "ARN of the Athena results bucket."
  type        = string
}

variable "athena_results_prefix" {
  description = "Prefix of the query results in the Athena results bucket."
  type        = string
}

variable "glue_database_name" {
  description = "Glue database of the Iceberg tables (read and write)."
  type        = string
}

variable "glue_raw_database_name" {
  description = "Glue database of the raw-zone tables (read)."
  type        = string
}

variable "athena_workgroup_arn" {
  description = "ARN of the lakehouse Athena workgroup."
  type        = string
}

variable "dms_task_arns" {
  description = "ARNs of the classic DMS replication tasks the CLI starts, stops and reloads."
  type        = list(string)
  default     = []
}

variable "dms_replication_config_arns" {
  description = "ARNs of the DMS Serverless replication configs the CLI starts, stops and reloads."
  type        = list(string)
  default     = []
}

variable "dms_connection_test_arns" {
  description = "ARNs of the classic DMS replication instance and endpoints that dms test-connection tests (empty in serverless mode)."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "KMS key of the buckets (used through S3 only); null for SSE-S3."
  type        = string
  default     = null
}

variable "attach_to_roles" {
  description = "IAM role names to attach the operator policy to (e.g. a CI role, an SSO permission-set role)."
  type        = list(string)
  default     = []
}

variable "attach_to_groups" {
  description = "IAM group names to attach the operator policy to."
  type        = list(string)
  default     = []
}

variable "attach_to_users" {
  description = "IAM user names to attach the operator policy to."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource of the module (the provider's default_tags are added too)."
  type        = map(string)
  default     = {}
}
