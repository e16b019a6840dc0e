terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.34"
    }
  }

  # The bootstrap's own state stays local, one file per env (make tf-bootstrap env=ENV passes
  # -backend-config=path=state/ENV.tfstate): the bucket it creates cannot hold it before it exists.
  backend "local" {}
}
