# lakehouse: build, test, demo. (Terraform targets: see docs/deploy.md.)
SHELL := /bin/bash
MVN   ?= mvn -B -q

.PHONY: help build test demo generated bench-compact bench-convert bench-query bench-athena-results clean

# benchmark sizes (make bench-compact FILES=2000 ROWS=500 RUNS=3)
FILES ?= 1000
ROWS  ?= 500
RUNS  ?= 3

help:
	@echo "make demo        build, then run the lakehouse end to end on the local env"
	@echo "make test        the whole test suite (what CI runs)"
	@echo "make build       target/lakehouse.jar for bin/lakehouse"
	@echo "make generated   regenerate completions/ and docs/cli/ from the command tree"
	@echo "make bench-compact  compaction throughput (docs/performance.md)"
	@echo "make bench-convert  convert vs a DuckDB floor and Spark MERGE INTO (docs/performance.md)"
	@echo "make bench-query    the local query engine vs DuckDB read_parquet and IcebergGenerics"
	@echo "make bench-athena-results  Athena results by GetQueryResults pages vs the S3 result file"

build:
	$(MVN) package -DskipTests

test:
	mvn -B -ntp verify

demo:
	bin/demo

generated:
	$(MVN) test -Dtest=GeneratedFilesTest -Dlakehouse.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false

target/test-classpath.txt: pom.xml
	$(MVN) test-compile dependency:build-classpath -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt

bench-compact: target/test-classpath.txt
	$(MVN) test-compile -DskipTests
	java -Xmx2g -cp target/classes:target/test-classes:$$(cat target/test-classpath.txt) \
	  dev.lakehouse.bench.CompactionBenchmark $(FILES) $(ROWS) $(RUNS)

# Terraform targets (tf-bootstrap, tf-init, tf-plan, tf-apply, tf-destroy, tf-validate-real): terraform/tf.mk
-include terraform/tf.mk

bench-convert:
	src/bench/bench-convert.sh

# queries take tens of milliseconds on a shared machine: many runs for a steady median
QROWS ?= 10000000
QRUNS ?= 21
bench-query: target/test-classpath.txt
	$(MVN) package -DskipTests
	java -Xmx4g -cp target/classes:target/test-classes:$$(cat target/test-classpath.txt) \
	  dev.lakehouse.bench.QueryBenchmark $(QROWS) $(QRUNS)

bench-athena-results: target/test-classpath.txt
	$(MVN) test-compile -DskipTests
	java -Dlakehouse.test.motoServer=$(CURDIR)/.venv-moto/bin/moto_server \
	  -cp target/classes:target/test-classes:$$(cat target/test-classpath.txt) \
	  dev.lakehouse.bench.AthenaResultsBenchmark $(RUNS)

clean:
	$(MVN) clean
	rm -rf .lakehouse
