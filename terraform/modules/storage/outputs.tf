output "bucket_names" {
  description = "Bucket names by role (raw, warehouse, athena_results, access_logs)."
  value       = { for k, b in aws_s3_bucket.this : k => b.id }
}

output "bucket_arns" {
  description = "Bucket ARNs by role (raw, warehouse, athena_results, access_logs)."
  value       = { for k, b in aws_s3_bucket.this : k => b.arn }
}

output "raw_zone" {
  description = "Where DMS writes: s3://RAW_BUCKET/RAW_ZONE_PREFIX (the CLI reads RAW_ZONE/<schema>/<table>/)."
  value       = "s3://${aws_s3_bucket.this["raw"].id}/${var.raw_zone_prefix}"
}

output "raw_zone_prefix" {
  description = "Prefix of the raw zone in the raw bucket (the DMS S3 target's bucket_folder)."
  value       = var.raw_zone_prefix
}

output "warehouse" {
  description = "Location of the Iceberg warehouse: s3://WAREHOUSE_BUCKET/WAREHOUSE_PREFIX."
  value       = "s3://${aws_s3_bucket.this["warehouse"].id}/${var.warehouse_prefix}"
}

output "warehouse_prefix" {
  description = "Prefix of the Iceberg warehouse in the warehouse bucket."
  value       = var.warehouse_prefix
}

output "athena_result_location" {
  description = "Where Athena writes query results: s3://ATHENA_RESULTS_BUCKET/PREFIX/."
  value       = "s3://${aws_s3_bucket.this["athena_results"].id}/${var.athena_results_prefix}/"
}

output "athena_results_prefix" {
  description = "Prefix of Athena query results in the athena_results bucket."
  value       = var.athena_results_prefix
}

output "kms_key_arn" {
  description = "KMS key encrypting the raw, warehouse and Athena results buckets; null when they use SSE-S3."
  value       = local.kms_key_arn
}
