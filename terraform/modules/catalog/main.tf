# Glue Data Catalog: the database of the Iceberg tables, the database for raw-zone tables, and
# (optionally) AWS-run table optimizers for the Iceberg tables.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  optimizer_types = [for t, on in {
    compaction           = var.table_optimizers.compaction
    retention            = var.table_optimizers.retention
    orphan_file_deletion = var.table_optimizers.orphan_file_deletion
  } : t if on]
  optimizers = var.table_optimizers.enabled ? {
    for pair in setproduct(var.iceberg_tables, local.optimizer_types) : "${pair[0]}/${pair[1]}" => {
      database = split(".", pair[0])[0]
      table    = split(".", pair[0])[1]
      type     = pair[1]
    }
  } : {}
  warehouse_path  = trimprefix(replace(var.warehouse, "/^s3://[^/]+/", ""), "/")
  table_databases = distinct(concat([var.database_name], [for t in var.iceberg_tables : split(".", t)[0]]))
}

resource "aws_glue_catalog_database" "lakehouse" {
  name         = var.database_name
  description  = "lakehouse: Iceberg tables (written by lakehouse iceberg convert)"
  location_uri = "${var.warehouse}/${var.database_name}.db"
  tags         = var.tags
}

resource "aws_glue_catalog_database" "raw" {
  name         = var.raw_database_name
  description  = "lakehouse: tables over the DMS raw zone"
  location_uri = var.raw_zone
  tags         = var.tags
}

# --- table optimizers (optional) --------------------------------------------------------------

data "aws_iam_policy_document" "optimizer_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "optimizer" {
  count = var.table_optimizers.enabled ? 1 : 0

  name               = "${var.name}-glue-table-optimizer"
  description        = "Glue table optimizers of the lakehouse Iceberg tables"
  assume_role_policy = data.aws_iam_policy_document.optimizer_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "optimizer" {
  statement {
    sid       = "IcebergFiles"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.warehouse_bucket_arn}/${local.warehouse_path}/*"]
  }

  statement {
    sid       = "ListWarehouse"
    actions   = ["s3:ListBucket"]
    resources = [var.warehouse_bucket_arn]
  }

  statement {
    sid     = "IcebergTables"
    actions = ["glue:GetTable", "glue:UpdateTable", "glue:GetDatabase"]
    resources = concat(
      ["arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog"],
      [for d in local.table_databases : "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${d}"],
      [for d in local.table_databases : "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${d}/*"],
    )
  }

  statement {
    sid     = "OptimizerLogs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/iceberg-compaction/*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/iceberg-retention/*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/iceberg-orphan-file-deletion/*",
    ]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]

    content {
      sid       = "WarehouseKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "optimizer" {
  count = var.table_optimizers.enabled ? 1 : 0

  name   = "iceberg-table-maintenance"
  role   = aws_iam_role.optimizer[0].id
  policy = data.aws_iam_policy_document.optimizer.json
}

resource "aws_glue_catalog_table_optimizer" "this" {
  for_each = local.optimizers

  catalog_id    = local.account_id
  database_name = each.value.database
  table_name    = each.value.table
  type          = each.value.type

  configuration {
    role_arn = aws_iam_role.optimizer[0].arn
    enabled  = true

    dynamic "retention_configuration" {
      for_each = each.value.type == "retention" ? [1] : []

      content {
        iceberg_configuration {
          snapshot_retention_period_in_days = var.table_optimizers.snapshot_retention_period_in_days
          number_of_snapshots_to_retain     = var.table_optimizers.number_of_snapshots_to_retain
          clean_expired_files               = true
        }
      }
    }

    dynamic "orphan_file_deletion_configuration" {
      for_each = each.value.type == "orphan_file_deletion" ? [1] : []

      content {
        iceberg_configuration {
          orphan_file_retention_period_in_days = var.table_optimizers.orphan_file_retention_period_in_days
        }
      }
    }
  }

  depends_on = [aws_iam_role_policy.optimizer]
}
