# terraform/ variables of the prod env (make tf-plan env=prod). Documented in terraform/variables.tf
# and terraform/README.md. Values marked REPLACE are placeholders for your own account.

env        = "prod"
account_id = "222222222222" # REPLACE: the account_id of environments/prod/lakehouse.yaml
region     = "eu-west-1"    # the region of environments/prod/lakehouse.yaml

# prod: buckets are never destroyed with data; a customer managed KMS key.
force_destroy  = false
create_kms_key = true

raw_zone_transition_days           = 30
noncurrent_version_expiration_days = 30
athena_results_expiration_days     = 30
access_logs_expiration_days        = 400

athena_bytes_scanned_cutoff_per_query = 107374182400 # 100 GiB per query

dms = {
  source = {
    engine_name   = "postgres"
    database_name = "shop"
    secret_arn    = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:lakehouse/prod/source-db-AbCdEf" # REPLACE
  }
  subnet_ids         = ["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002"] # REPLACE
  security_group_ids = ["sg-0b1c2d3e4f5a60001"]                                 # REPLACE
  serverless = {
    min_capacity_units = 2
    max_capacity_units = 8
    multi_az           = true
  }
}

# prod: the account's DMS service roles exist already (set true if they do not).
create_dms_service_roles = false

# AWS-run Iceberg maintenance; turn on after the first lakehouse iceberg convert created the tables.
glue_table_optimizers = {
  enabled = false
}

operator_attach_to_roles = []
