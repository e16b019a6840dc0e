# The contract with the CLI (src/main/java/dev/lakehouse/env/EnvironmentLoader.java, OUTPUT_KEYS;
# docs/configuration.md): one object with every name the CLI reads. A test
# (TerraformCheckTest) checks that every key the CLI reads is produced here.
output "lakehouse" {
  description = "Everything the lakehouse CLI reads about this env (the contract between terraform/ and the CLI)."
  value = {
    env                    = var.env
    region                 = var.region
    account_id             = data.aws_caller_identity.current.account_id
    raw_zone               = module.storage.raw_zone
    warehouse              = module.storage.warehouse
    glue_database          = module.catalog.database_name
    glue_raw_database      = module.catalog.raw_database_name
    athena_workgroup       = module.query.workgroup_name
    athena_result_location = module.query.result_location
    dms_tasks              = local.dms_tasks
    dms_replications       = local.dms_replications
    raw_bucket             = module.storage.bucket_names["raw"]
    warehouse_bucket       = module.storage.bucket_names["warehouse"]
    athena_results_bucket  = module.storage.bucket_names["athena_results"]
    access_logs_bucket     = module.storage.bucket_names["access_logs"]
    kms_key_arn            = module.storage.kms_key_arn
    operator_policy_arn    = module.access.policy_arn
  }
}

output "dms_table_mappings" {
  description = "The DMS table mappings generated from tables.yaml (JSON); null without DMS."
  value       = try(module.ingestion[0].table_mappings, null)
}

output "operator_policy_json" {
  description = "The operator policy (JSON), for review."
  value       = module.access.policy_json
}
