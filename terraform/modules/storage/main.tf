# Buckets of the lakehouse: raw zone (DMS target), Iceberg warehouse, Athena results, access logs.
# Every bucket: owner-enforced (no ACLs), all public access blocked, versioned, encrypted by default,
# TLS-only (and TLS >= 1.2) bucket policy, lifecycle rules; the first three log to access_logs.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  buckets = tomap(var.bucket_names)

  # SSE-KMS needs a key; the access-log bucket must use SSE-S3 (log delivery does not support SSE-KMS).
  kms_key_arn = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn
  kms_buckets = local.kms_key_arn == null ? [] : ["raw", "warehouse", "athena_results"]

  logged_buckets = ["raw", "warehouse", "athena_results"]

  # Lifecycle rules per bucket. Every bucket: abort incomplete multipart uploads, expire non-current
  # versions. Raw zone: transition (and optional expiry). Results and logs: expiry.
  common_rules = [
    {
      id               = "abort-incomplete-multipart-uploads"
      prefix           = null
      abort_days       = var.abort_incomplete_multipart_upload_days
      noncurrent_days  = null
      transition_days  = null
      transition_class = null
      expiration_days  = null
    },
    {
      id               = "expire-noncurrent-versions"
      prefix           = null
      abort_days       = null
      noncurrent_days  = var.noncurrent_version_expiration_days
      transition_days  = null
      transition_class = null
      expiration_days  = null
    },
  ]
  lifecycle_rules = {
    raw = concat(local.common_rules,
      var.raw_zone_transition_days == null ? [] : [{
        id               = "raw-zone-to-standard-ia"
        prefix           = "${var.raw_zone_prefix}/"
        abort_days       = null
        noncurrent_days  = null
        transition_days  = var.raw_zone_transition_days
        transition_class = "STANDARD_IA"
        expiration_days  = null
      }],
      var.raw_zone_expiration_days == null ? [] : [{
        id               = "raw-zone-expiration"
        prefix           = "${var.raw_zone_prefix}/"
        abort_days       = null
        noncurrent_days  = null
        transition_days  = null
        transition_class = null
        expiration_days  = var.raw_zone_expiration_days
      }],
    )
    warehouse = local.common_rules
    athena_results = concat(local.common_rules, [{
      id               = "expire-query-results"
      prefix           = null
      abort_days       = null
      noncurrent_days  = null
      transition_days  = null
      transition_class = null
      expiration_days  = var.athena_results_expiration_days
    }])
    access_logs = concat(local.common_rules, [{
      id               = "expire-access-logs"
      prefix           = null
      abort_days       = null
      noncurrent_days  = null
      transition_days  = null
      transition_class = null
      expiration_days  = var.access_logs_expiration_days
    }])
  }
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "lakehouse: S3 raw zone, warehouse and Athena results"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  tags                    = var.tags

  lifecycle {
    precondition {
      condition     = var.kms_key_arn == null
      error_message = "Give either create_kms_key = true or kms_key_arn, not both."
    }
  }
}

resource "aws_kms_alias" "this" {
  count = var.create_kms_key ? 1 : 0

  name          = "alias/${var.kms_key_alias}"
  target_key_id = aws_kms_key.this[0].key_id
}

resource "aws_s3_bucket" "this" {
  for_each = local.buckets

  bucket        = each.value
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { "lakehouse:bucket" = each.key })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.buckets

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = contains(local.kms_buckets, each.key) ? "aws:kms" : "AES256"
      kms_master_key_id = contains(local.kms_buckets, each.key) ? local.kms_key_arn : null
    }
    bucket_key_enabled = contains(local.kms_buckets, each.key)
  }
}

data "aws_iam_policy_document" "bucket" {
  for_each = local.buckets

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "DenyOutdatedTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }

  # S3 server access logging writes as the logging service principal, for this account's buckets only.
  dynamic "statement" {
    for_each = each.key == "access_logs" ? [1] : []

    content {
      sid       = "AllowS3ServerAccessLogs"
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this[each.key].arn}/*"]

      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = [for k in local.logged_buckets : "arn:${data.aws_partition.current.partition}:s3:::${var.bucket_names[k]}"]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.bucket[each.key].json

  # A bucket policy is checked against the public access block: create that first.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_logging" "this" {
  for_each = toset(local.logged_buckets)

  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.this["access_logs"].id
  target_prefix = "${each.key}/"

  depends_on = [aws_s3_bucket_policy.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].id

  dynamic "rule" {
    for_each = local.lifecycle_rules[each.key]

    content {
      id     = rule.value.id
      status = "Enabled"

      filter {
        prefix = rule.value.prefix
      }

      dynamic "abort_incomplete_multipart_upload" {
        for_each = rule.value.abort_days == null ? [] : [rule.value.abort_days]
        content {
          days_after_initiation = abort_incomplete_multipart_upload.value
        }
      }

      dynamic "noncurrent_version_expiration" {
        for_each = rule.value.noncurrent_days == null ? [] : [rule.value.noncurrent_days]
        content {
          noncurrent_days = noncurrent_version_expiration.value
        }
      }

      dynamic "transition" {
        for_each = rule.value.transition_days == null ? [] : [rule.value]
        content {
          days          = transition.value.transition_days
          storage_class = transition.value.transition_class
        }
      }

      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [rule.value.expiration_days]
        content {
          days = expiration.value
        }
      }
    }
  }

  # Lifecycle rules on a versioned bucket need versioning configured first.
  depends_on = [aws_s3_bucket_versioning.this]
}
