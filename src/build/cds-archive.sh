#!/usr/bin/env sh
# Class-data sharing for the packaged CLI (run by `mvn package`): archives the classes the common
# commands load (picocli, Jackson, Iceberg, Parquet, Avro, DuckDB's and SQLite's drivers) into
# target/lakehouse.jsa, listed by running them in one JVM on a throw-away local env
# (dev.lakehouse.cli.StartupTraining: sample, first convert, later convert, query, describe,
# compact), so each later start maps them instead of loading and verifying them again (about
# 0.8 s less per command). bin/lakehouse uses the archive when it is newer than the jar. Best
# effort: without it the CLI only starts slower.
# Usage: cds-archive.sh TARGET_DIR
set -u
target=$(cd "$1" && pwd)
home=$(cd "$target/.." && pwd)
java=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) native=linux_amd64 ;;
  Linux-aarch64|Linux-arm64) native=linux_arm64 ;;
  Darwin-*) native=osx_universal ;;
  *) native=none ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# its own env, not a copy of environments/local: that one may point at a real warehouse
mkdir -p "$work/environments/local"
cat > "$work/environments/local/lakehouse.yaml" <<'YAML'
type: local
namespace: lakehouse
warehouse: .lakehouse/warehouse
catalog: .lakehouse/catalog.db
raw_zone: .lakehouse/raw
YAML
cat > "$work/environments/local/tables.yaml" <<'YAML'
defaults:
  timestamp_column: dms_commit_ts
  change_sequence_column: dms_change_seq
tables:
  public.orders:
    table: orders
    key: [order_id]
    partition_by: ["month(ordered_at)"]
    sort_by: [order_id]
YAML
rm -f "$target/lakehouse.jsa"
# A static archive from the list of classes the training loaded, not a dynamic one written at its
# exit: picocli ships Java 5 class files, which JDK 17 keeps only in a static archive ("Pre JDK 6
# class not supported by CDS"), so with a dynamic one its ~180 classes were loaded and verified
# from the jar on every start (a static one: 30-50 ms less per command).
# -cp with the same jar path bin/lakehouse gives -jar: the archive is only used for that class path.
if "$java" -XX:+UseSerialGC -XX:DumpLoadedClassList="$work/classes.lst" -Xlog:cds=off \
    -Dlakehouse.home="$home" -Djava.library.path="$target/lib/native/$native" \
    -cp "$target/lakehouse.jar" dev.lakehouse.cli.StartupTraining "$work" "$work/.lakehouse/raw" >/dev/null 2>"$work/err" \
  && "$java" -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" \
    -XX:SharedArchiveFile="$target/lakehouse.jsa.tmp" -Xlog:cds=off -cp "$target/lakehouse.jar" >/dev/null 2>>"$work/err" \
  && [ -s "$target/lakehouse.jsa.tmp" ]; then
  mv "$target/lakehouse.jsa.tmp" "$target/lakehouse.jsa"
  echo "class-data archive: $target/lakehouse.jsa"
else
  rm -f "$target/lakehouse.jsa.tmp"
  echo "warning: no class-data archive (the CLI works, it starts slower): $(head -n 1 "$work/err")" >&2
fi
exit 0
