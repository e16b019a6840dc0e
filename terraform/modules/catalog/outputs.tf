output "database_name" {
  description = "Glue database of the Iceberg tables."
  value       = aws_glue_catalog_database.lakehouse.name
}

output "database_arn" {
  description = "ARN of the Glue database of the Iceberg tables."
  value       = aws_glue_catalog_database.lakehouse.arn
}

output "raw_database_name" {
  description = "Glue database for raw-zone tables."
  value       = aws_glue_catalog_database.raw.name
}

output "raw_database_arn" {
  description = "ARN of the Glue database for raw-zone tables."
  value       = aws_glue_catalog_database.raw.arn
}

output "table_optimizers" {
  description = "Glue table optimizers created, as database.table/type."
  value       = sort(keys(aws_glue_catalog_table_optimizer.this))
}

output "optimizer_role_arn" {
  description = "ARN of the role the table optimizers run as; null when they are disabled."
  value       = try(aws_iam_role.optimizer[0].arn, null)
}
