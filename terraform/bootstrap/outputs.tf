output "state_bucket" {
  description = "The state bucket (backend.conf: bucket)."
  value       = aws_s3_bucket.state.id
}

output "state_object" {
  description = "Where the env's state will be: s3://BUCKET/KEY."
  value       = "s3://${aws_s3_bucket.state.id}/${var.key}"
}

output "lock_table" {
  description = "The DynamoDB lock table (backend.conf: dynamodb_table); null with S3-native locking only."
  value       = try(aws_dynamodb_table.lock[0].name, null)
}
