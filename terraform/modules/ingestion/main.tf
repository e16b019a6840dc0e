# AWS DMS from the source database into the raw zone, in the layout `lakehouse iceberg convert`
# reads (docs/convert.md): Parquet, Op column on CDC rows only, a commit-time column, CDC files in
# date folders under each table's folder, and a change-sequence column added by the table mapping.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  identifier = "${var.name}-${var.replication_name}"
  postgres   = contains(["postgres", "aurora-postgresql"], var.source_endpoint.engine_name)

  # Table mappings: one selection rule per source table, then one add-column transformation per
  # table that has a change-sequence column: $AR_H_CHANGE_SEQ (commit time + a change counter,
  # increasing per task) is what convert orders CDC rows by.
  sources = sort(keys(var.tables))
  selection_rules = [for i, source in local.sources : {
    "rule-type"   = "selection"
    "rule-id"     = tostring(i + 1)
    "rule-name"   = "include-${replace(source, ".", "-")}"
    "rule-action" = "include"
    "object-locator" = {
      "schema-name" = var.tables[source].schema
      "table-name"  = var.tables[source].table
    }
    "filters" = []
  }]
  change_sequence_rules = [for i, source in local.sources : {
    "rule-type"   = "transformation"
    "rule-id"     = tostring(length(local.sources) + i + 1)
    "rule-name"   = "change-sequence-${replace(source, ".", "-")}"
    "rule-target" = "column"
    "rule-action" = "add-column"
    "object-locator" = {
      "schema-name" = var.tables[source].schema
      "table-name"  = var.tables[source].table
    }
    "value"      = var.tables[source].change_sequence_column
    "expression" = "$AR_H_CHANGE_SEQ"
    "data-type" = {
      "type"   = "string"
      "length" = 50
    }
  } if var.tables[source].change_sequence_column != null]
  table_mappings = jsonencode({ rules = concat(local.selection_rules, local.change_sequence_rules) })

  # Task settings: DDL is passed on (convert adds new columns), LOBs in limited mode, logs in CloudWatch.
  replication_settings = jsonencode({
    TargetMetadata = {
      SupportLobs        = true
      FullLobMode        = false
      LimitedSizeLobMode = true
      LobMaxSize         = 32
    }
    FullLoadSettings = {
      TargetTablePrepMode = "DROP_AND_CREATE"
    }
    ChangeProcessingDdlHandlingPolicy = {
      HandleSourceTableDropped   = true
      HandleSourceTableTruncated = true
      HandleSourceTableAltered   = true
    }
    Logging = {
      EnableLogging = true
    }
  })
}

# --- account-wide DMS service roles (fixed names; create once per account) ---------------------

data "aws_iam_policy_document" "dms_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["dms.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "dms_vpc" {
  count = var.create_service_roles ? 1 : 0

  name               = "dms-vpc-role"
  description        = "DMS: manage network interfaces in the VPC (name fixed by AWS DMS)"
  assume_role_policy = data.aws_iam_policy_document.dms_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "dms_vpc" {
  count = var.create_service_roles ? 1 : 0

  role       = aws_iam_role.dms_vpc[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"
}

resource "aws_iam_role" "dms_cloudwatch_logs" {
  count = var.create_service_roles ? 1 : 0

  name               = "dms-cloudwatch-logs-role"
  description        = "DMS: write replication logs to CloudWatch Logs (name fixed by AWS DMS)"
  assume_role_policy = data.aws_iam_policy_document.dms_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "dms_cloudwatch_logs" {
  count = var.create_service_roles ? 1 : 0

  role       = aws_iam_role.dms_cloudwatch_logs[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole"
}

# --- network ----------------------------------------------------------------------------------

resource "aws_dms_replication_subnet_group" "this" {
  replication_subnet_group_id          = var.name
  replication_subnet_group_description = "lakehouse ${var.name}: subnets of the DMS replication"
  subnet_ids                           = var.subnet_ids
  tags                                 = var.tags

  # DMS needs dms-vpc-role to create the subnet group.
  depends_on = [aws_iam_role_policy_attachment.dms_vpc]
}

# --- source endpoint: credentials from Secrets Manager ----------------------------------------

data "aws_iam_policy_document" "secrets_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["dms.${local.region}.amazonaws.com", "dms.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "secrets" {
  name               = "${var.name}-dms-source-secret"
  description        = "DMS: read the source database secret"
  assume_role_policy = data.aws_iam_policy_document.secrets_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "secrets" {
  statement {
    sid       = "ReadSourceSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.source_endpoint.secret_arn]
  }

  dynamic "statement" {
    for_each = var.source_endpoint.secret_kms_key_arn == null ? [] : [var.source_endpoint.secret_kms_key_arn]

    content {
      sid       = "DecryptSourceSecret"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "secrets" {
  name   = "read-source-secret"
  role   = aws_iam_role.secrets.id
  policy = data.aws_iam_policy_document.secrets.json
}

resource "aws_dms_endpoint" "source" {
  endpoint_id                     = "${var.name}-source"
  endpoint_type                   = "source"
  engine_name                     = var.source_endpoint.engine_name
  database_name                   = var.source_endpoint.database_name
  secrets_manager_arn             = var.source_endpoint.secret_arn
  secrets_manager_access_role_arn = aws_iam_role.secrets.arn
  ssl_mode                        = var.source_endpoint.ssl_mode
  kms_key_arn                     = var.kms_key_arn
  tags                            = var.tags

  dynamic "postgres_settings" {
    for_each = local.postgres ? [1] : []

    content {
      # Keeps the replication slot's position moving when the replicated tables are quiet.
      heartbeat_enable = true
      capture_ddls     = true
    }
  }

  depends_on = [aws_iam_role_policy.secrets]
}

# --- S3 target: the raw zone ------------------------------------------------------------------

resource "aws_iam_role" "s3_target" {
  name               = "${var.name}-dms-raw-zone"
  description        = "DMS: write the raw zone"
  assume_role_policy = data.aws_iam_policy_document.dms_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "s3_target" {
  statement {
    sid       = "WriteRawZone"
    actions   = ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"]
    resources = ["${var.raw_bucket_arn}/${var.raw_zone_prefix}/*"]
  }

  statement {
    sid       = "ListRawZone"
    actions   = ["s3:ListBucket"]
    resources = [var.raw_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.raw_zone_prefix}/*", var.raw_zone_prefix]
    }
  }

  statement {
    sid       = "LocateRawBucket"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.raw_bucket_arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]

    content {
      sid       = "EncryptRawZone"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "s3_target" {
  name   = "write-raw-zone"
  role   = aws_iam_role.s3_target.id
  policy = data.aws_iam_policy_document.s3_target.json
}

resource "aws_dms_s3_endpoint" "raw_zone" {
  endpoint_id             = "${var.name}-raw-zone"
  endpoint_type           = "target"
  bucket_name             = var.raw_bucket_name
  bucket_folder           = var.raw_zone_prefix
  service_access_role_arn = aws_iam_role.s3_target.arn
  expected_bucket_owner   = local.account_id

  # The layout convert expects (docs/convert.md, "The DMS target settings convert expects").
  data_format                                 = var.data_format
  parquet_version                             = "parquet-2-0"
  parquet_timestamp_in_millisecond            = false
  enable_statistics                           = true
  compression_type                            = var.compression_type
  include_op_for_full_load                    = false
  cdc_inserts_only                            = false
  cdc_inserts_and_updates                     = false
  preserve_transactions                       = false
  timestamp_column_name                       = var.timestamp_column_name
  use_task_start_time_for_full_load_timestamp = false
  date_partition_enabled                      = true
  date_partition_sequence                     = "YYYYMMDD"
  date_partition_delimiter                    = "SLASH"
  cdc_max_batch_interval                      = 60
  cdc_min_file_size                           = 32000
  add_column_name                             = var.data_format == "csv"
  csv_null_value                              = var.data_format == "csv" ? var.csv_null_value : null

  encryption_mode                   = var.kms_key_arn == null ? "SSE_S3" : "SSE_KMS"
  server_side_encryption_kms_key_id = var.kms_key_arn
  tags                              = var.tags

  lifecycle {
    precondition {
      condition     = alltrue([for t in values(var.tables) : t.timestamp_column == var.timestamp_column_name])
      error_message = "Every table of tables.yaml must use the same timestamp_column (${coalesce(var.timestamp_column_name, "none")}): DMS sets TimestampColumnName once per S3 endpoint."
    }
  }

  depends_on = [aws_iam_role_policy.s3_target]
}

# --- the replication: DMS Serverless (default) or a classic instance + task -------------------

resource "aws_dms_replication_config" "this" {
  count = var.mode == "serverless" ? 1 : 0

  replication_config_identifier = local.identifier
  resource_identifier           = local.identifier
  replication_type              = var.migration_type
  source_endpoint_arn           = aws_dms_endpoint.source.endpoint_arn
  target_endpoint_arn           = aws_dms_s3_endpoint.raw_zone.endpoint_arn
  table_mappings                = local.table_mappings
  replication_settings          = local.replication_settings
  start_replication             = var.start_replication
  tags                          = var.tags

  compute_config {
    replication_subnet_group_id  = aws_dms_replication_subnet_group.this.replication_subnet_group_id
    vpc_security_group_ids       = var.security_group_ids
    min_capacity_units           = var.serverless.min_capacity_units
    max_capacity_units           = var.serverless.max_capacity_units
    multi_az                     = var.serverless.multi_az
    preferred_maintenance_window = var.serverless.preferred_maintenance_window
    kms_key_id                   = var.kms_key_arn
  }

  depends_on = [aws_iam_role_policy_attachment.dms_cloudwatch_logs]
}

resource "aws_dms_replication_instance" "this" {
  count = var.mode == "instance" ? 1 : 0

  replication_instance_id     = var.name
  replication_instance_class  = var.instance.class
  allocated_storage           = var.instance.allocated_storage
  engine_version              = var.instance.engine_version
  multi_az                    = var.instance.multi_az
  publicly_accessible         = false
  auto_minor_version_upgrade  = true
  replication_subnet_group_id = aws_dms_replication_subnet_group.this.replication_subnet_group_id
  vpc_security_group_ids      = var.security_group_ids
  kms_key_arn                 = var.kms_key_arn
  tags                        = var.tags
}

resource "aws_dms_replication_task" "this" {
  count = var.mode == "instance" ? 1 : 0

  replication_task_id       = local.identifier
  resource_identifier       = local.identifier
  migration_type            = var.migration_type
  replication_instance_arn  = aws_dms_replication_instance.this[0].replication_instance_arn
  source_endpoint_arn       = aws_dms_endpoint.source.endpoint_arn
  target_endpoint_arn       = aws_dms_s3_endpoint.raw_zone.endpoint_arn
  table_mappings            = local.table_mappings
  replication_task_settings = local.replication_settings
  start_replication_task    = var.start_replication
  tags                      = var.tags

  depends_on = [aws_iam_role_policy_attachment.dms_cloudwatch_logs]
}
