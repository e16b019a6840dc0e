# Athena workgroup of the lakehouse: engine v3 (Iceberg MERGE INTO / OPTIMIZE / VACUUM), settings
# enforced for every query (clients cannot send results elsewhere or unencrypted), a per-query
# bytes-scanned cutoff, CloudWatch metrics.

resource "aws_athena_workgroup" "this" {
  name          = var.workgroup_name
  description   = "lakehouse: queries and Iceberg maintenance"
  state         = "ENABLED"
  force_destroy = var.force_destroy
  tags          = var.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    result_configuration {
      output_location       = var.result_location
      expected_bucket_owner = var.expected_bucket_owner

      encryption_configuration {
        encryption_option = var.kms_key_arn == null ? "SSE_S3" : "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}
