output "policy_arn" {
  description = "ARN of the operator policy."
  value       = aws_iam_policy.operator.arn
}

output "policy_name" {
  description = "Name of the operator policy."
  value       = aws_iam_policy.operator.name
}

output "policy_json" {
  description = "The operator policy document (JSON), for review."
  value       = data.aws_iam_policy_document.operator.json
}
