# The operator policy: what the lakehouse CLI does on AWS, on this env's resources only.
# Each statement names the commands that need it. Actions are listed one by one (no wildcards);
# the only statement on "*" holds read-only metadata actions that IAM cannot scope to a resource.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  glue       = "arn:${local.partition}:glue:${local.region}:${local.account_id}"
}

data "aws_iam_policy_document" "operator" {
  # env show / every AWS command: the output lakehouse in the Terraform state.
  dynamic "statement" {
    for_each = var.terraform_state == null ? [] : [var.terraform_state]

    content {
      sid       = "ReadTerraformState"
      actions   = ["s3:GetObject"]
      resources = ["arn:${local.partition}:s3:::${statement.value.bucket}/${statement.value.key}"]
    }
  }

  # iceberg convert: list and read the DMS raw files.
  statement {
    sid       = "ListRawZone"
    actions   = ["s3:ListBucket"]
    resources = [var.raw_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.raw_zone_prefix, "${var.raw_zone_prefix}/*"]
    }
  }

  statement {
    sid       = "ReadRawZone"
    actions   = ["s3:GetObject"]
    resources = ["${var.raw_bucket_arn}/${var.raw_zone_prefix}/*"]
  }

  # iceberg convert / compact / expire / orphans / snapshot / add-files, and Athena queries:
  # Iceberg data and metadata files in the warehouse.
  statement {
    sid       = "ListWarehouse"
    actions   = ["s3:ListBucket"]
    resources = [var.warehouse_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.warehouse_prefix, "${var.warehouse_prefix}/*"]
    }
  }

  statement {
    sid       = "ReadWriteWarehouse"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${var.warehouse_bucket_arn}/${var.warehouse_prefix}/*"]
  }

  # Athena checks where the buckets it reads and writes are.
  statement {
    sid       = "LocateBuckets"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.raw_bucket_arn, var.warehouse_bucket_arn, var.athena_results_bucket_arn]
  }

  # Every iceberg command: the Glue catalog (Iceberg's GlueCatalog: tables are created, committed
  # with UpdateTable, dropped).
  statement {
    sid = "IcebergCatalog"
    actions = [
      "glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
      "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable",
    ]
    resources = [
      "${local.glue}:catalog",
      "${local.glue}:database/${var.glue_database_name}",
      "${local.glue}:table/${var.glue_database_name}/*",
    ]
  }

  # Athena queries over raw-zone tables.
  statement {
    sid = "RawCatalog"
    actions = [
      "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions", "glue:BatchGetPartition",
    ]
    resources = [
      "${local.glue}:catalog",
      "${local.glue}:database/${var.glue_raw_database_name}",
      "${local.glue}:table/${var.glue_raw_database_name}/*",
    ]
  }

  # Queries and pushed-down maintenance (MERGE INTO / OPTIMIZE / VACUUM) in the env's workgroup.
  statement {
    sid = "AthenaQueries"
    actions = [
      "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
      "athena:StopQueryExecution", "athena:ListQueryExecutions", "athena:BatchGetQueryExecution",
      "athena:GetWorkGroup",
    ]
    resources = [var.athena_workgroup_arn]
  }

  statement {
    sid       = "ListAthenaResults"
    actions   = ["s3:ListBucket"]
    resources = [var.athena_results_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.athena_results_prefix, "${var.athena_results_prefix}/*"]
    }
  }

  statement {
    sid       = "AthenaResults"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${var.athena_results_bucket_arn}/${var.athena_results_prefix}/*"]
  }

  # dms start / stop / reload / tables: classic tasks ...
  dynamic "statement" {
    for_each = length(var.dms_task_arns) == 0 ? [] : [var.dms_task_arns]

    content {
      sid       = "ControlDmsTasks"
      actions   = ["dms:StartReplicationTask", "dms:StopReplicationTask", "dms:ReloadTables", "dms:DescribeTableStatistics"]
      resources = statement.value
    }
  }

  # ... and DMS Serverless replications.
  dynamic "statement" {
    for_each = length(var.dms_replication_config_arns) == 0 ? [] : [var.dms_replication_config_arns]

    content {
      sid = "ControlDmsReplications"
      actions = [
        "dms:StartReplication", "dms:StopReplication", "dms:ReloadReplicationTables",
        "dms:DescribeReplicationTableStatistics",
      ]
      resources = statement.value
    }
  }

  # dms status / lag: DMS Describe calls and CloudWatch metric reads cannot be scoped to a
  # resource in IAM; they return metadata and metrics, never table data.
  # dms test-connection (classic tasks): TestConnection names both the endpoint and the instance.
  dynamic "statement" {
    for_each = length(var.dms_connection_test_arns) == 0 ? [] : [var.dms_connection_test_arns]

    content {
      sid       = "TestDmsEndpoints"
      actions   = ["dms:TestConnection"]
      resources = statement.value
    }
  }

  # Describe and metric calls take no resource ARNs; dms lag lists the metrics to find a Serverless
  # replication's dimension.
  statement {
    sid = "ReadDmsStatusAndMetrics"
    actions = [
      "dms:DescribeReplicationTasks", "dms:DescribeReplications", "dms:DescribeReplicationConfigs",
      "dms:DescribeReplicationInstances", "dms:DescribeConnections",
      "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
    ]
    resources = ["*"]
  }

  # SSE-KMS buckets: S3 (for the CLI and Athena) encrypts and decrypts with the env's key.
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]

    content {
      sid       = "UseBucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_policy" "operator" {
  name        = "${var.name}-operator"
  description = "lakehouse CLI operator for ${var.name}: the actions the CLI uses, on this env's resources"
  policy      = data.aws_iam_policy_document.operator.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "operator" {
  for_each = toset(var.attach_to_roles)

  role       = each.value
  policy_arn = aws_iam_policy.operator.arn
}

resource "aws_iam_group_policy_attachment" "operator" {
  for_each = toset(var.attach_to_groups)

  group      = each.value
  policy_arn = aws_iam_policy.operator.arn
}

resource "aws_iam_user_policy_attachment" "operator" {
  for_each = toset(var.attach_to_users)

  user       = each.value
  policy_arn = aws_iam_policy.operator.arn
}
