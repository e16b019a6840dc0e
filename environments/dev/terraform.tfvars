# terraform/ variables of the dev env (make tf-plan env=dev). Documented in terraform/variables.tf
# and terraform/README.md. Values marked REPLACE are placeholders for your own account.

env        = "dev"
account_id = "111111111111" # REPLACE: the account_id of environments/dev/lakehouse.yaml
region     = "eu-west-1"    # the region of environments/dev/lakehouse.yaml

# dev: buckets may be destroyed with their data; SSE-S3 (no KMS key to pay for).
force_destroy  = true
create_kms_key = false

raw_zone_transition_days           = 30
noncurrent_version_expiration_days = 7
athena_results_expiration_days     = 7

athena_bytes_scanned_cutoff_per_query = 1073741824 # 1 GiB per query

# DMS Serverless from the source PostgreSQL into the raw zone. The tables come from
# environments/dev/tables.yaml. The connection (host, port, username, password) is in the
# Secrets Manager secret; Terraform never sees the password.
dms = {
  source = {
    engine_name   = "postgres"
    database_name = "shop"
    secret_arn    = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:lakehouse/dev/source-db-AbCdEf" # REPLACE
  }
  subnet_ids         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] # REPLACE: two AZs, reaching the source and S3
  security_group_ids = ["sg-0a1b2c3d4e5f60001"]                                 # REPLACE: allowed into the source database
  serverless = {
    min_capacity_units = 1
    max_capacity_units = 2
  }
}

# The account's DMS service roles (dms-vpc-role, dms-cloudwatch-logs-role): dev creates them.
create_dms_service_roles = true

# Who gets the CLI's permissions on this env (IAM role names).
operator_attach_to_roles = []
