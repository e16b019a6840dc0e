output "replications" {
  description = "DMS Serverless replication configs: replication_name => ARN (empty in instance mode)."
  value       = { for c in aws_dms_replication_config.this : var.replication_name => c.arn }
}

output "replication_tasks" {
  description = "Classic DMS replication tasks: replication_name => ARN (empty in serverless mode)."
  value       = { for t in aws_dms_replication_task.this : var.replication_name => t.replication_task_arn }
}

output "replication_instance_arn" {
  description = "ARN of the classic replication instance; null in serverless mode."
  value       = try(aws_dms_replication_instance.this[0].replication_instance_arn, null)
}

output "source_endpoint_arn" {
  description = "ARN of the source endpoint."
  value       = aws_dms_endpoint.source.endpoint_arn
}

output "target_endpoint_arn" {
  description = "ARN of the S3 target endpoint (the raw zone)."
  value       = aws_dms_s3_endpoint.raw_zone.endpoint_arn
}

output "table_mappings" {
  description = "The DMS table mappings (JSON): a selection rule and a change-sequence add-column rule per table."
  value       = local.table_mappings
}

output "replication_subnet_group_id" {
  description = "Identifier of the DMS replication subnet group."
  value       = aws_dms_replication_subnet_group.this.replication_subnet_group_id
}

output "s3_target_role_arn" {
  description = "ARN of the role DMS assumes to write the raw zone."
  value       = aws_iam_role.s3_target.arn
}
