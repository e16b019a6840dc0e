terraform {
  # Terraform >= 1.6 or OpenTofu >= 1.6. The backend is configured per env:
  # terraform init -backend-config=../environments/ENV/backend.conf (make tf-init env=ENV).
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.34"
    }
  }

  backend "s3" {}
}
