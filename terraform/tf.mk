# Terraform targets, included by the top-level Makefile (run make from the repository root):
#
#   make tf-bootstrap env=dev    state bucket + lock table of the env (once; terraform/bootstrap)
#   make tf-init      env=dev    terraform init with environments/dev/backend.conf
#   make tf-plan      env=dev    plan with environments/dev/terraform.tfvars
#   make tf-apply     env=dev    apply (asks for confirmation; TF_ARGS=-auto-approve in CI)
#   make tf-destroy   env=dev    destroy
#   make tf-output    env=dev    the output lakehouse (JSON), what the CLI reads
#   make tf-check                offline validation of terraform/ (also run by the test suite)
#   make tf-docs                 rewrite the inputs/outputs tables of the module READMEs
#   make tf-validate-real        tofu init + validate with the real AWS provider (terraform/tofu-validate.sh)
#   make tf-validate-moto        the same, then plan + apply on moto and read the output with the CLI
#
# TF=tofu uses OpenTofu instead of terraform. Each env has its own data directory
# (terraform/.terraform-ENV), so an env's plan can never run against another env's backend.

TF       ?= terraform
TF_ARGS  ?=
TF_ENVS  := $(sort $(patsubst environments/%/backend.conf,%,$(wildcard environments/*/backend.conf)))
TF_RUN    = TF_DATA_DIR=.terraform-$(env) $(TF) -chdir=terraform
TF_VARS   = -var-file=../environments/$(env)/terraform.tfvars
# the account the env may change: account_id of environments/ENV/lakehouse.yaml
TF_ACCOUNT = $(shell sed -n 's/^account_id:[[:space:]]*"\{0,1\}\([0-9]\{12\}\)"\{0,1\}.*/\1/p' environments/$(env)/lakehouse.yaml 2>/dev/null)

# One line naming the envs when env= is missing or unknown (make stops before running anything).
tf-env-check = $(if $(and $(filter 1,$(words $(env))),$(filter $(env),$(TF_ENVS))),,$(error make $@: \
  $(if $(env),unknown env '$(env)',env= is missing): use env=$(subst $() ,|,$(TF_ENVS)) \
  (envs with Terraform have environments/ENV/backend.conf), e.g. make $@ env=$(firstword $(TF_ENVS))))

.PHONY: tf-bootstrap tf-init tf-plan tf-apply tf-destroy tf-output tf-check tf-docs tf-validate-real tf-validate-moto

tf-bootstrap:
	$(tf-env-check)
	TF_DATA_DIR=.terraform-$(env) $(TF) -chdir=terraform/bootstrap init -input=false -backend-config=path=state/$(env).tfstate
	TF_DATA_DIR=.terraform-$(env) $(TF) -chdir=terraform/bootstrap apply -input=false \
	  -var-file=../../environments/$(env)/backend.conf -var=account_id=$(TF_ACCOUNT) $(TF_ARGS)

tf-init:
	$(tf-env-check)
	$(TF_RUN) init -input=false -backend-config=../environments/$(env)/backend.conf $(TF_ARGS)

terraform/.terraform-%:
	$(MAKE) --no-print-directory tf-init env=$*

tf-plan:
	$(tf-env-check)
	@$(MAKE) --no-print-directory terraform/.terraform-$(env) env=$(env)
	$(TF_RUN) plan -input=false $(TF_VARS) $(TF_ARGS)

tf-apply:
	$(tf-env-check)
	@$(MAKE) --no-print-directory terraform/.terraform-$(env) env=$(env)
	$(TF_RUN) apply -input=false $(TF_VARS) $(TF_ARGS)

tf-destroy:
	$(tf-env-check)
	@$(MAKE) --no-print-directory terraform/.terraform-$(env) env=$(env)
	$(TF_RUN) destroy -input=false $(TF_VARS) $(TF_ARGS)

tf-output:
	$(tf-env-check)
	@$(MAKE) --no-print-directory terraform/.terraform-$(env) env=$(env)
	@$(TF_RUN) output -json lakehouse

tf-check:
	@cd src/test/terraform && { [ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund; }
	node src/test/terraform/check.js --root terraform \
	  $(foreach e,$(TF_ENVS),--var-file environments/$(e)/terraform.tfvars) --root terraform/bootstrap

tf-validate-real:
	terraform/tofu-validate.sh

# tf-validate-real, then plan and apply on the moto AWS emulator and read the output with the CLI.
tf-validate-moto:
	terraform/tofu-validate.sh --moto

# Rewrite the inputs/outputs tables of terraform/**/README.md (the check fails when they drift).
tf-docs:
	@cd src/test/terraform && { [ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund; }
	node src/test/terraform/check.js --update-readmes --root terraform --root terraform/bootstrap
