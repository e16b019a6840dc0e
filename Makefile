# lakehouse: build, test, demo. (Terraform targets: see docs/deploy.md.)
SHELL := /bin/bash
MVN   ?= mvn -B -q

.PHONY: help build test demo generated clean

help:
	@echo "make demo        build, then run the lakehouse end to end on the local env"
	@echo "make test        the whole test suite (what CI runs)"
	@echo "make build       target/lakehouse.jar for bin/lakehouse"
	@echo "make generated   regenerate completions/ and docs/cli/ from the command tree"

build:
	$(MVN) package -DskipTests

test:
	mvn -B -ntp verify

demo:
	bin/demo

generated:
	$(MVN) test -Dtest=GeneratedFilesTest -Dlakehouse.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false

clean:
	$(MVN) clean
	rm -rf .lakehouse
