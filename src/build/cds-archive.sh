#!/usr/bin/env sh
# Class-data sharing for the packaged CLI (run by `mvn package`): records the classes a typical
# command loads (picocli, Jackson, Iceberg, Parquet, DuckDB's driver) into target/lakehouse.jsa
# by running a small query on a throw-away local env, so each later start maps them instead of
# loading and verifying them again (about 0.8 s less per command). bin/lakehouse uses the archive
# when it is newer than the jar. Best effort: without it the CLI only starts slower.
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
run() { # JVM_OPTION COMMAND...
  jvm=$1
  shift
  "$java" -XX:+UseSerialGC $jvm -Dlakehouse.home="$home" -Djava.library.path="$target/lib/native/$native" \
    -jar "$target/lakehouse.jar" "$@" --config-dir "$work" -q
}
rm -f "$target/lakehouse.jsa"
if run -Xshare:auto sample dms --tables orders --rows 2000 --changes 500 >/dev/null 2>"$work/err" \
  && run -Xshare:auto iceberg convert --all >/dev/null 2>>"$work/err" \
  && run -XX:ArchiveClassesAtExit="$target/lakehouse.jsa.tmp" query "SELECT status, count(*) AS n FROM orders WHERE order_id > 10 GROUP BY status" >/dev/null 2>>"$work/err"; then
  mv "$target/lakehouse.jsa.tmp" "$target/lakehouse.jsa"
  echo "class-data archive: $target/lakehouse.jsa"
else
  rm -f "$target/lakehouse.jsa.tmp"
  echo "warning: no class-data archive (the CLI works, it starts slower): $(head -n 1 "$work/err")" >&2
fi
exit 0
