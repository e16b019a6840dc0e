#!/usr/bin/env bash
# The convert benchmark (docs/performance.md): a 1M-row full load + 200k CDC changes (20% deletes)
# converted into an Iceberg table by `lakehouse iceberg convert` (-Xmx512m), against, in the same
# run, (a) the floor: DuckDB SQL reading the same raw Parquet and writing the final state once as
# plain Parquet, and (b) Apache Spark local[2] doing the job with MERGE INTO on an Iceberg table.
# Usage: make bench-convert [ROWS=1000000 CHANGES=200000 RUNS=3]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
ROWS=${ROWS:-1000000}
CHANGES=${CHANGES:-200000}
RUNS=${RUNS:-3}
work="$root/target/bench-convert"
mkdir -p "$work"

echo "== building: the CLI, the test classpath (DuckDB floor), the Spark anchor (first time: ~330 MB download)"
mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
mvn -B -q -f src/bench/spark/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
test_cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
# The floor starts DuckDB the way the packaged CLI does (native library unpacked by the build, not
# copied out of the jar on every start), so it is not charged a cost the CLI does not pay.
floor_cp="$(printf '%s' "$test_cp" | tr ':' '\n' | grep -v duckdb_jdbc | paste -sd:):$(ls target/lib/duckdb_jdbc-*.jar)"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) native=linux_amd64 ;; Linux-aarch64|Linux-arm64) native=linux_arm64 ;; *) native=osx_universal ;;
esac
spark_cp="src/bench/spark/target/classes:$(cat src/bench/spark/target/classpath.txt)"

raw="$work/raw-$ROWS-$CHANGES"

# A fresh local env in HOME over the raw zone RAW, with the repo's tables.yaml (orders' partitioning).
local_env() { # HOME RAW
  rm -rf "$1" && mkdir -p "$1/environments/local"
  printf 'type: local\nraw_zone: %s\n' "$2" > "$1/environments/local/lakehouse.yaml"
  cp environments/local/tables.yaml "$1/environments/local/"
}

if [ ! -d "$raw/public/orders" ]; then
  echo "== generating $ROWS rows + $CHANGES changes (20% deletes) of DMS output into $raw"
  gen="$work/gen"
  local_env "$gen" "$raw"
  LAKEHOUSE_HOME="$gen" bin/lakehouse sample dms --tables orders --rows "$ROWS" --changes "$CHANGES" --deletes 20 -q
fi
table="$raw/public/orders"
total=$((ROWS + CHANGES))

# Peak heap in MiB from a GC log: the largest occupancy before a collection, or the heap in use at
# exit if that is larger (a run may end before its first collection).
peak_heap() {
  local before exit_used
  before=$(grep -oE '[0-9]+M->[0-9]+M' "$1" | cut -dM -f1 | sort -n | tail -1 || true)
  exit_used=$(grep 'gc,heap,exit' "$1" | grep ' total ' | grep -oE 'used [0-9]+K' | awk '{s += $2} END {printf "%d", s / 1024}')
  echo $(( ${before:-0} > ${exit_used:-0} ? ${before:-0} : ${exit_used:-0} ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
calc() { awk "BEGIN {printf \"%.4f\", $1}"; }

conv=(); floor=(); spark=(); peaks=(); incr=(); incpeaks=()
for run in $(seq 1 "$RUNS"); do
  home="$work/convert-$run"
  local_env "$home" "$raw"
  gclog="$home/gc.log"
  t=$(now)
  LAKEHOUSE_HOME="$home" LAKEHOUSE_JAVA_OPTS="-Xmx512m -Xlog:gc,gc+heap+exit:file=$gclog" bin/lakehouse iceberg convert --all -q -o csv > "$home/result.csv"
  conv+=("$(calc "$(now) - $t")")
  peaks+=("$(peak_heap "$gclog")")

  # incremental: the same changes applied by a later convert onto the converted full load, as a
  # scheduled convert meets new CDC files (the Java path: changes must meet rows already in the table)
  inc="$work/incremental-$run"
  local_env "$inc" "$inc/raw"
  mkdir -p "$inc/raw/public/orders"
  cp -p "$table"/LOAD* "$inc/raw/public/orders/"
  LAKEHOUSE_HOME="$inc" bin/lakehouse iceberg convert orders -q -o csv > /dev/null
  find "$table" -mindepth 1 -maxdepth 1 -type d -exec cp -rp {} "$inc/raw/public/orders/" \;
  t=$(now)
  LAKEHOUSE_HOME="$inc" LAKEHOUSE_JAVA_OPTS="-Xmx512m -Xlog:gc,gc+heap+exit:file=$inc/gc.log" bin/lakehouse iceberg convert orders -q -o csv > "$inc/result.csv"
  incr+=("$(calc "$(now) - $t")")
  incpeaks+=("$(peak_heap "$inc/gc.log")")

  rm -f "$work/floor.parquet"
  t=$(now)
  java -Djava.library.path="target/lib/native/$native" -cp "$floor_cp" dev.lakehouse.bench.ConvertFloor "$table" order_id "$work/floor.parquet" > "$work/floor-$run.txt"
  floor+=("$(calc "$(now) - $t")")

  rm -rf "$work/spark-warehouse"
  t=$(now)
  java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
    --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
    -cp "$spark_cp" dev.lakehouse.bench.SparkMergeBench "$table" "$work/spark-warehouse" > "$work/spark-$run.txt" 2> "$work/spark-$run.err"
  spark+=("$(calc "$(now) - $t")")
  echo "run $run: convert ${conv[-1]}s (peak heap ${peaks[-1]} MiB), floor ${floor[-1]}s, spark ${spark[-1]}s," \
    "incremental ${incr[-1]}s (peak heap ${incpeaks[-1]} MiB)"
done

c=$(printf '%s\n' "${conv[@]}" | median); f=$(printf '%s\n' "${floor[@]}" | median); s=$(printf '%s\n' "${spark[@]}" | median)
peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
i=$(printf '%s\n' "${incr[@]}" | median); ipeak=$(printf '%s\n' "${incpeaks[@]}" | sort -n | tail -1)
rows_table=$(tail -1 "$home/result.csv")
echo
echo "== $ROWS-row full load + $CHANGES changes (20% deletes), $RUNS runs, whole processes, median seconds"
echo "convert result (csv): $rows_table"
cat "$work/floor-$RUNS.txt" "$work/spark-$RUNS.txt"
printf '%-34s %8s %12s %10s\n' "job" "seconds" "rows/s" "ratio"
printf '%-34s %8.2f %12.0f %10s\n' "lakehouse iceberg convert" "$c" "$(calc "$total / $c")" "1.00"
printf '%-34s %8.2f %12.0f %9.2fx\n' "floor: DuckDB SQL -> Parquet" "$f" "$(calc "$total / $f")" "$(calc "$c / $f")"
printf '%-34s %8.2f %12.0f %9.2fx\n' "anchor: Spark local MERGE INTO" "$s" "$(calc "$total / $s")" "$(calc "$c / $s")"
echo "convert peak heap (-Xmx512m): ${peak} MiB"
echo
echo "incremental: the $CHANGES changes converted onto the converted full load (the Java path), median"
echo "incremental result (csv): $(tail -1 "$inc/result.csv")"
printf '%-34s %8.2f %12.0f changes/s, peak heap %s MiB\n' "lakehouse iceberg convert (incr.)" "$i" "$(calc "$CHANGES / $i")" "$ipeak"
echo "(ratio = convert time / job time: below 1 means convert is faster)"
