# The serverless lakehouse of one env (dev, prod): buckets, DMS into the raw zone, Glue catalog,
# Athena, and the operator policy. The CLI reads everything it needs from the output lakehouse.

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge({
      "lakehouse:env"        = var.env
      "lakehouse:managed-by" = "terraform"
    }, var.tags)
  }
}

data "aws_caller_identity" "current" {}

locals {
  name    = "${var.name}-${var.env}"
  db_name = replace(local.name, "-", "_")
  env_dir = "${path.root}/../environments/${var.env}"

  # environments/ENV/tables.yaml, the file the CLI reads (format: src/main/java/dev/lakehouse/env/TablesFile.java).
  tables_doc     = yamldecode(file(coalesce(var.tables_file, "${local.env_dir}/tables.yaml")))
  table_defaults = try(local.tables_doc.defaults, {})
  glue_database  = coalesce(var.glue_database_name, local.db_name)
  tables = {
    for source, t in local.tables_doc.tables : source => {
      schema                 = split(".", source)[0]
      table                  = split(".", source)[1]
      change_sequence_column = try(t.change_sequence_column, local.table_defaults.change_sequence_column, null)
      timestamp_column       = try(t.timestamp_column, local.table_defaults.timestamp_column, null)
      # the Iceberg table: `table` (default: the source table) in the env's database, or db.table
      iceberg = (strcontains(try(t.table, ""), ".") ? t.table
      : "${local.glue_database}.${coalesce(try(t.table, null), split(".", source)[1])}")
    }
  }

  # The state object the CLI reads (backend.conf: bucket = "...", key = "...").
  backend_file = "${local.env_dir}/backend.conf"
  backend      = fileexists(local.backend_file) ? file(local.backend_file) : ""
  terraform_state = var.terraform_state != null ? var.terraform_state : (
    can(regex("(?m)^\\s*bucket\\s*=\\s*\"([^\"]+)\"", local.backend)) ? {
      bucket = regex("(?m)^\\s*bucket\\s*=\\s*\"([^\"]+)\"", local.backend)[0]
      key    = regex("(?m)^\\s*key\\s*=\\s*\"([^\"]+)\"", local.backend)[0]
  } : null)

  bucket_suffix = "${var.account_id}-${var.region}"
}

module "storage" {
  source = "./modules/storage"

  bucket_names = {
    raw            = "${local.name}-raw-${local.bucket_suffix}"
    warehouse      = "${local.name}-warehouse-${local.bucket_suffix}"
    athena_results = "${local.name}-athena-${local.bucket_suffix}"
    access_logs    = "${local.name}-logs-${local.bucket_suffix}"
  }
  raw_zone_prefix                    = var.raw_zone_prefix
  warehouse_prefix                   = var.warehouse_prefix
  create_kms_key                     = var.create_kms_key
  kms_key_arn                        = var.kms_key_arn
  kms_key_alias                      = local.name
  force_destroy                      = var.force_destroy
  raw_zone_transition_days           = var.raw_zone_transition_days
  raw_zone_expiration_days           = var.raw_zone_expiration_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  athena_results_expiration_days     = var.athena_results_expiration_days
  access_logs_expiration_days        = var.access_logs_expiration_days
}

module "catalog" {
  source = "./modules/catalog"

  name                 = local.name
  database_name        = local.glue_database
  raw_database_name    = coalesce(var.glue_raw_database_name, "${local.db_name}_raw")
  warehouse            = module.storage.warehouse
  warehouse_bucket_arn = module.storage.bucket_arns["warehouse"]
  raw_zone             = module.storage.raw_zone
  iceberg_tables       = sort([for t in values(local.tables) : t.iceberg])
  table_optimizers     = var.glue_table_optimizers
  kms_key_arn          = module.storage.kms_key_arn
}

module "query" {
  source = "./modules/query"

  workgroup_name                 = local.name
  result_location                = module.storage.athena_result_location
  kms_key_arn                    = module.storage.kms_key_arn
  bytes_scanned_cutoff_per_query = var.athena_bytes_scanned_cutoff_per_query
  expected_bucket_owner          = data.aws_caller_identity.current.account_id
  force_destroy                  = var.force_destroy
}

module "ingestion" {
  source = "./modules/ingestion"
  count  = var.dms == null ? 0 : 1

  name                  = local.name
  replication_name      = var.dms.replication_name
  mode                  = var.dms.mode
  migration_type        = var.dms.migration_type
  source_endpoint       = var.dms.source
  subnet_ids            = var.dms.subnet_ids
  security_group_ids    = var.dms.security_group_ids
  serverless            = var.dms.serverless
  instance              = var.dms.instance
  start_replication     = var.dms.start_replication
  create_service_roles  = var.create_dms_service_roles
  raw_bucket_name       = module.storage.bucket_names["raw"]
  raw_bucket_arn        = module.storage.bucket_arns["raw"]
  raw_zone_prefix       = module.storage.raw_zone_prefix
  kms_key_arn           = module.storage.kms_key_arn
  tables                = local.tables
  timestamp_column_name = try(local.table_defaults.timestamp_column, null)
  csv_null_value        = try(local.table_defaults.csv_null_value, "NULL")
  data_format           = var.dms.data_format
  compression_type      = var.dms.compression_type
}

module "access" {
  source = "./modules/access"

  name                        = local.name
  terraform_state             = local.terraform_state
  raw_bucket_arn              = module.storage.bucket_arns["raw"]
  raw_zone_prefix             = module.storage.raw_zone_prefix
  warehouse_bucket_arn        = module.storage.bucket_arns["warehouse"]
  warehouse_prefix            = module.storage.warehouse_prefix
  athena_results_bucket_arn   = module.storage.bucket_arns["athena_results"]
  athena_results_prefix       = module.storage.athena_results_prefix
  glue_database_name          = module.catalog.database_name
  glue_raw_database_name      = module.catalog.raw_database_name
  athena_workgroup_arn        = module.query.workgroup_arn
  dms_task_arns               = values(local.dms_tasks)
  dms_replication_config_arns = values(local.dms_replications)
  # classic mode only: TestConnection needs a replication instance
  dms_connection_test_arns = try(module.ingestion[0].replication_instance_arn, null) == null ? [] : [
    module.ingestion[0].replication_instance_arn, module.ingestion[0].source_endpoint_arn, module.ingestion[0].target_endpoint_arn,
  ]
  kms_key_arn      = module.storage.kms_key_arn
  attach_to_roles  = var.operator_attach_to_roles
  attach_to_groups = var.operator_attach_to_groups
  attach_to_users  = var.operator_attach_to_users
}

locals {
  dms_tasks        = try(module.ingestion[0].replication_tasks, {})
  dms_replications = try(module.ingestion[0].replications, {})
}
