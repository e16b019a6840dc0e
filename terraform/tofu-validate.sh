#!/usr/bin/env bash
# Real validation of terraform/ with OpenTofu and the real AWS provider, with no provider registry:
# both are built from the Go module proxy into a cache outside the repository, reused on later runs.
#
#   terraform/tofu-validate.sh            (make tf-validate-real)
#   terraform/tofu-validate.sh --moto     then plan and apply on the moto AWS emulator (see below)
#
# 1. OpenTofu:      go build ./cmd/tofu of module github.com/opentofu/opentofu@$TOFU_VERSION
# 2. AWS provider:  module github.com/upbound/terraform-provider-aws (a mirror of
#    hashicorp/terraform-provider-aws on the proxy; $PROVIDER_PSEUDO = upstream $PROVIDER_VERSION),
#    built with only the service packages that hold the resource and data types used here, and
#    those whose AWS clients they call at run time (LAKEHOUSE_TOFU_ALL_SERVICES=1 builds the whole
#    provider: ~25 min with all cores, ~9 GB).
# 3. A filesystem mirror + CLI configuration file, so `tofu init` never contacts a registry.
# 4. For every env (dev, prod) and the bootstrap configuration: tofu init -backend=false, tofu
#    validate (with the env's terraform.tfvars), in a copy of the configuration under the cache, so
#    the repository gets no .terraform/ or lock file; then tofu fmt -check. Any error fails the script.
#
# --moto (a further step, not a gate): runs the configuration, unmodified, against moto_proxy (the
# tests' AWS emulator from .venv-moto, as an HTTPS proxy answering for the real AWS host names) in
# the dev account: applies terraform/bootstrap (state bucket + lock table of backend.conf), tofu init
# with the S3 backend of environments/dev/backend.conf, plan, apply (minus moto's gaps, listed at
# the step), reads the output lakehouse, and runs `lakehouse env show`, which reads that output from
# the state object exactly as on AWS. Results: docs/terraform-validation.md.
#
# Environment: LAKEHOUSE_TOFU_CACHE (default ~/.cache/lakehouse-tofu), TOFU_VERSION, GO_BUILD_P
# (go build -p, default 1: the machine is shared), NICE (default 10).
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
PROVIDER_MODULE="github.com/upbound/terraform-provider-aws"
PROVIDER_PSEUDO="v0.0.0-20260305123303-f7691456b787"
PROVIDER_VERSION="6.34.0"
CACHE="${LAKEHOUSE_TOFU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse-tofu}"
GO_BUILD_P="${GO_BUILD_P:-1}"
NICE="${NICE:-10}"

MOTO=0
for arg in "$@"; do
  case "$arg" in
    --moto) MOTO=1 ;;
    *) echo "usage: $0 [--moto]" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# the AWS envs, as terraform/tf.mk finds them: each environments/ENV with a backend.conf
ENVS=()
for conf in "$repo"/environments/*/backend.conf; do
  [ -e "$conf" ] && ENVS+=("$(basename "$(dirname "$conf")")")
done

log() { printf '[tofu-validate %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'tofu-validate: %s\n' "$*" >&2; exit 1; }
since() { echo "$(( $(date +%s) - $1 ))s"; }

command -v go >/dev/null || die "needs Go (>= 1.26) on PATH: https://go.dev/dl/"
mkdir -p "$CACHE/bin" "$CACHE/src" "$CACHE/logs"
export GOFLAGS="-buildvcs=false -mod=readonly"
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}$PROVIDER_MODULE"
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
build() { nice -n "$NICE" go build -p "$GO_BUILD_P" -trimpath "$@"; }

# Directory of a downloaded module in the module cache.
module_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# --- 1. OpenTofu ------------------------------------------------------------------------------
TOFU="$CACHE/bin/tofu-$TOFU_VERSION"
if [[ ! -x "$TOFU" ]]; then
  t0=$(date +%s)
  log "building OpenTofu $TOFU_VERSION from the Go module proxy (3-11 min, ~2 GB)"
  src="$(module_dir "github.com/opentofu/opentofu@$TOFU_VERSION")"
  [[ -n "$src" ]] || die "cannot download github.com/opentofu/opentofu@$TOFU_VERSION from the Go module proxy"
  (cd "$src" && build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$TOFU.tmp" ./cmd/tofu) \
    >"$CACHE/logs/tofu-build.log" 2>&1 \
    || { tail -20 "$CACHE/logs/tofu-build.log" >&2; die "building OpenTofu failed (log: $CACHE/logs/tofu-build.log)"; }
  mv "$TOFU.tmp" "$TOFU"
  log "OpenTofu built in $(since "$t0")"
fi

# --- 2. AWS provider --------------------------------------------------------------------------
psrc="$CACHE/src/terraform-provider-aws-$PROVIDER_PSEUDO"
if [[ ! -f "$psrc/.complete" ]]; then
  log "downloading $PROVIDER_MODULE@$PROVIDER_PSEUDO (AWS provider $PROVIDER_VERSION source, ~110 MB)"
  dir="$(module_dir "$PROVIDER_MODULE@$PROVIDER_PSEUDO")"
  [[ -n "$dir" ]] || die "cannot download $PROVIDER_MODULE@$PROVIDER_PSEUDO from the Go module proxy"
  rm -rf "$psrc"; cp -r "$dir" "$psrc"; chmod -R u+w "$psrc"
  cp "$psrc/internal/provider/sdkv2/service_packages_gen.go" "$psrc/.service_packages_gen.go.orig"
  grep -qx "$PROVIDER_VERSION" "$psrc/version/VERSION" \
    || die "$PROVIDER_MODULE@$PROVIDER_PSEUDO is not provider $PROVIDER_VERSION (version/VERSION: $(cat "$psrc/version/VERSION"))"
  touch "$psrc/.complete"
fi

# Resource and data types the configurations use -> the service packages that implement them, plus
# the packages whose AWS clients those need at run time (apply: e.g. s3 reads tags through
# s3control). A package's files that only define types not used here are not followed (meta's
# aws_regions would pull in all of ec2).
mapfile -t types < <(grep -rhoE '^[[:space:]]*(resource|data|ephemeral)[[:space:]]+"aws_[a-z0-9_]+"' "$here" --include='*.tf' \
  | sed -E 's/.*"(aws_[a-z0-9_]+)"/\1/' | sort -u)
if [[ "${LAKEHOUSE_TOFU_ALL_SERVICES:-0}" == 1 ]]; then
  services=(ALL)
else
  selected="$(python3 - "$psrc/internal/service" "${types[@]}" <<'PY'
import os, re, sys
root, used = sys.argv[1], set(sys.argv[2:])
entry = re.compile(r'\{[^{}]*?(?:Factory:\s*(\w+)[^{}]*?TypeName:\s*"(\w+)"|TypeName:\s*"(\w+)"[^{}]*?Factory:\s*(\w+))', re.S)
factories, owner = {}, {}   # package -> {factory: type}; type -> package
for pkg in sorted(os.listdir(root)):
    gen = os.path.join(root, pkg, "service_package_gen.go")
    if not os.path.isfile(gen):
        continue
    for m in entry.finditer(open(gen).read()):
        f, t = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        factories.setdefault(pkg, {})[f] = t
        owner.setdefault(t, pkg)
missing = sorted(t for t in used if t not in owner)
if missing:
    sys.exit("no service package of the provider implements " + ", ".join(missing))
todo, done = sorted({owner[t] for t in used}), set()
client = re.compile(r"\b([A-Z][A-Za-z0-9]*)Client\(ctx\)")
while todo:
    pkg = todo.pop()
    if pkg in done:
        continue
    done.add(pkg)
    d = os.path.join(root, pkg)
    for name in os.listdir(d):
        if not name.endswith(".go") or name.endswith("_test.go"):
            continue
        text = open(os.path.join(d, name)).read()
        defined = [t for f, t in factories.get(pkg, {}).items() if re.search(r"^func " + f + r"\(", text, re.M)]
        if defined and not any(t in used for t in defined):
            continue   # this file only implements types the configuration does not use
        for c in client.findall(text):
            dep = c.lower()
            if os.path.isfile(os.path.join(root, dep, "service_package_gen.go")) and dep not in done:
                todo.append(dep)
print("\n".join(sorted(done)))
PY
)" || die "cannot map the configuration's resource types to provider service packages"
  mapfile -t services <<<"$selected"
fi
key="$(printf '%s\n' "${services[@]}" | sha256sum | cut -c1-12)"
PROVIDER="$CACHE/providers/$key/terraform-provider-aws_v${PROVIDER_VERSION}_x5"
if [[ ! -x "$PROVIDER" ]]; then
  t0=$(date +%s)
  gen="$psrc/internal/provider/sdkv2/service_packages_gen.go"
  if [[ "${services[0]}" == ALL ]]; then
    cp "$psrc/.service_packages_gen.go.orig" "$gen"
    log "building AWS provider $PROVIDER_VERSION, all service packages (~25 min with all cores, ~9 GB)"
  else
    { echo '// Generated by terraform/tofu-validate.sh: only the service packages terraform/ uses.'
      echo
      echo 'package sdkv2'
      echo
      echo 'import ('
      echo '	"context"'
      echo '	"slices"'
      echo
      echo '	"github.com/hashicorp/terraform-provider-aws/internal/conns"'
      for s in "${services[@]}"; do echo "	\"github.com/hashicorp/terraform-provider-aws/internal/service/$s\""; done
      echo ')'
      echo
      echo 'func servicePackages(ctx context.Context) []conns.ServicePackage {'
      echo '	v := []conns.ServicePackage{'
      for s in "${services[@]}"; do echo "		$s.ServicePackage(ctx),"; done
      echo '	}'
      echo
      echo '	return slices.Clone(v)'
      echo '}'
    } >"$gen"
    log "building AWS provider $PROVIDER_VERSION with service packages: ${services[*]} (~40 min with -p 1 the first time, ~3.5 GB; minutes after)"
  fi
  mkdir -p "$(dirname "$PROVIDER")"
  (cd "$psrc" && build -ldflags "-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$PROVIDER_VERSION" \
     -o "$PROVIDER.tmp" .) >"$CACHE/logs/provider-build.log" 2>&1 \
    || { tail -20 "$CACHE/logs/provider-build.log" >&2; die "building the AWS provider failed (log: $CACHE/logs/provider-build.log)"; }
  mv "$PROVIDER.tmp" "$PROVIDER"
  log "AWS provider built in $(since "$t0")"
fi

# --- 3. Filesystem mirror and CLI configuration -----------------------------------------------
mirror="$CACHE/mirror/$key"
for host in registry.opentofu.org registry.terraform.io; do
  d="$mirror/$host/hashicorp/aws/$PROVIDER_VERSION/linux_amd64"
  mkdir -p "$d"; ln -sf "$PROVIDER" "$d/terraform-provider-aws_v${PROVIDER_VERSION}_x5"
done
export TF_CLI_CONFIG_FILE="$CACHE/tofurc-$key"
cat >"$TF_CLI_CONFIG_FILE" <<RC
# Written by terraform/tofu-validate.sh: providers come only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws"]
  }
}
RC
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_PLUGIN_CACHE_DIR=

# --- 4. init + validate -----------------------------------------------------------------------
work="$CACHE/work"
rm -rf "$work"; mkdir -p "$work"
cp -r "$repo/terraform" "$repo/environments" "$work/"
find "$work" -name .terraform -prune -exec rm -rf {} + -o -name '.terraform.lock.hcl' -exec rm -f {} + 2>/dev/null || true

echo "OpenTofu:     $("$TOFU" version | head -1)"
echo "AWS provider: $PROVIDER_VERSION ($PROVIDER_MODULE@$PROVIDER_PSEUDO), service packages: ${services[*]}"
failed=()
run() { # name dir [validate args...]
  local name="$1" dir="$2"; shift 2
  local t0; t0=$(date +%s)
  echo "== $name: tofu init -backend=false && tofu validate $*"
  if ! "$TOFU" -chdir="$dir" init -backend=false -input=false -no-color >"$CACHE/logs/init-$name.log" 2>&1; then
    cat "$CACHE/logs/init-$name.log"; failed+=("$name (init)"); return
  fi
  if "$TOFU" -chdir="$dir" validate -no-color "$@"; then
    echo "   ok ($(since "$t0"))"
  else
    failed+=("$name")
  fi
}
for env in "${ENVS[@]}"; do
  run "$env" "$work/terraform" -var-file="../environments/$env/terraform.tfvars"
done
run bootstrap "$work/terraform/bootstrap"

echo "== tofu fmt -check -recursive terraform/ environments/"
if "$TOFU" fmt -check -recursive -diff -no-color "$work/terraform" "$work/environments"; then
  echo "   ok"
else
  failed+=("fmt")
fi

# The offline check's schema extract against the real provider's schema (not a gate: it prints how
# far the extraction method agrees; docs/terraform-validation.md).
if command -v node >/dev/null; then
  echo "== schema cross-check: tofu providers schema -json vs src/test/terraform/aws-provider-schema.json.gz"
  sdir="$CACHE/schema"; rm -rf "$sdir"; mkdir -p "$sdir"
  cp "$here/modules/storage/versions.tf" "$sdir/"
  if "$TOFU" -chdir="$sdir" init -input=false -no-color >"$CACHE/logs/init-schema.log" 2>&1 \
     && "$TOFU" -chdir="$sdir" providers schema -json >"$CACHE/provider-schema.json"; then
    PROVIDER_VERSION="$PROVIDER_VERSION" node "$repo/src/test/terraform/compare-schema.js" "$CACHE/provider-schema.json" \
      --write-deprecations="$CACHE/aws-provider-real-schema.json" | sed 's/^/   /'
    if ! cmp -s "$CACHE/aws-provider-real-schema.json" "$repo/src/test/terraform/aws-provider-real-schema.json"; then
      echo "   src/test/terraform/aws-provider-real-schema.json (deprecated and too-new arguments for check.js) is out of date:"
      echo "   cp $CACHE/aws-provider-real-schema.json src/test/terraform/"
    fi
  else
    echo "   (could not dump the provider schema: $CACHE/logs/init-schema.log)"
  fi
fi

if ((${#failed[@]})); then
  echo "tofu validate FAILED: ${failed[*]}"
  exit 1
fi
echo "tofu validate passed: ${ENVS[*]} bootstrap"
((MOTO)) || exit 0

# --- 5. (--moto) plan and apply on moto ---------------------------------------------------------
# moto_proxy (moto as an HTTPS proxy, with its own CA) answers for the real AWS host names, so the
# configuration runs unmodified: no endpoint overrides (S3 Control's account-id host prefix would
# defeat them), the S3 backend of backend.conf as it is.
env=dev
account="$(sed -n 's/^account_id:[[:space:]]*"\{0,1\}\([0-9]\{12\}\)"\{0,1\}.*/\1/p' "$repo/environments/$env/lakehouse.yaml")"
"$repo/src/test/moto/install.sh" "$repo/.venv-moto"
ca="$(ls "$repo"/.venv-moto/lib/python3*/site-packages/moto/moto_proxy/ca.crt)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
MOTO_ACCOUNT_ID="$account" MOTO_IAM_LOAD_MANAGED_POLICIES=true "$repo/.venv-moto/bin/moto_proxy" -H 127.0.0.1 -p "$port" >"$CACHE/logs/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "Serving HTTP Proxy" "$CACHE/logs/moto.log" 2>/dev/null && break; sleep 0.2; done
export HTTPS_PROXY="http://127.0.0.1:$port" AWS_CA_BUNDLE="$ca" NO_PROXY= no_proxy=
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
echo "== moto_proxy 127.0.0.1:$port (account $account): bootstrap, init (backend.conf), plan, apply, lakehouse env show"

mwork="$CACHE/moto-work"
rm -rf "$mwork"; mkdir -p "$mwork"
cp -r "$repo/terraform" "$repo/environments" "$mwork/"
find "$mwork" -name '.terraform*' -prune -exec rm -rf {} + 2>/dev/null || true
rm -rf "$mwork/terraform/bootstrap/state"
# moto evaluates bucket policies without their conditions (its documented restriction), so the
# TLS-only Deny of the state bucket would refuse every request; for moto only, an override file
# gives that bucket a policy moto ignores (the data buckets' policies stay: apply only
# configures them, and the CLI reads only the state bucket).
cat >"$mwork/terraform/bootstrap/moto_override.tf" <<'OVR'
resource "aws_s3_bucket_policy" "state" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "MotoIgnoresConditions", Effect = "Deny", Principal = { AWS = "arn:aws:iam::999999999999:root" }, Action = "s3:DeleteBucket", Resource = "arn:aws:s3:::${var.bucket}" }]
  })
}
OVR

step() { # name command...
  local name="$1"; shift
  local t0; t0=$(date +%s)
  if timeout 600 "$@" >"$CACHE/logs/moto-$name.log" 2>&1; then
    echo "   $name: ok ($(since "$t0"))"
  else
    echo "   $name: FAILED ($(since "$t0")), log $CACHE/logs/moto-$name.log:"
    grep -E '^(Error|  with|  on) ' "$CACHE/logs/moto-$name.log" | head -30 | sed 's/^/     /'
    return 1
  fi
}
mfailed=()
bs="$mwork/terraform/bootstrap"
root="$mwork/terraform"
vars=(-var-file=../environments/$env/terraform.tfvars)
step bootstrap-init "$TOFU" -chdir="$bs" init -input=false -no-color -backend-config=path=state/$env.tfstate || mfailed+=(bootstrap-init)
step bootstrap-apply "$TOFU" -chdir="$bs" apply -input=false -no-color -auto-approve \
  -var-file=../../environments/$env/backend.conf -var=account_id="$account" || mfailed+=(bootstrap-apply)
step init "$TOFU" -chdir="$root" init -input=false -no-color -backend-config=../environments/$env/backend.conf || mfailed+=(init)
step plan "$TOFU" -chdir="$root" plan -input=false -no-color "${vars[@]}" || mfailed+=(plan)
grep -E '^Plan:' "$CACHE/logs/moto-plan.log" | sed 's/^/     /' || true
# moto's gaps, excluded from the applies (the plan above covers them):
# - PutBucketLogging fails on the request provider 6.34 sends (HTTP 500, "'str' object has no
#   attribute 'get'"), which the provider retries for its whole timeout;
# - DMS Serverless: CreateReplicationConfig is not implemented (HTTP 500, retried likewise).
moto_gaps=(-exclude='module.storage.aws_s3_bucket_logging.this')
step apply "$TOFU" -chdir="$root" apply -input=false -no-color -auto-approve "${vars[@]}" "${moto_gaps[@]}" \
  -exclude=module.ingestion || mfailed+=(apply)
grep -E '^Apply complete' "$CACHE/logs/moto-apply.log" | sed 's/^/     /' || true
# DMS: roles, subnet group, source endpoint (Secrets Manager), S3 target endpoint.
step apply-dms "$TOFU" -chdir="$root" apply -input=false -no-color -auto-approve "${vars[@]}" "${moto_gaps[@]}" \
  -exclude='module.ingestion[0].aws_dms_replication_config.this' || mfailed+=(apply-dms)
grep -E '^Apply complete' "$CACHE/logs/moto-apply-dms.log" | sed 's/^/     /' || true
# A complete apply, so the state gets the output lakehouse: without DMS (dms = null), which also
# destroys what the previous step created of it.
step apply-no-dms "$TOFU" -chdir="$root" apply -input=false -no-color -auto-approve "${vars[@]}" "${moto_gaps[@]}" \
  -var=dms=null || mfailed+=(apply-no-dms)
grep -E '^Apply complete' "$CACHE/logs/moto-apply-no-dms.log" | sed 's/^/     /' || true
step output "$TOFU" -chdir="$root" output -no-color -json lakehouse || mfailed+=(output)
sed 's/^/     /' "$CACHE/logs/moto-output.log"
# The CLI reads the output lakehouse from the state object of backend.conf, through the same proxy.
if [[ -f "$repo/target/lakehouse.jar" ]] && command -v keytool >/dev/null; then
  rm -f "$CACHE/moto-ca.p12"
  keytool -importcert -noprompt -alias moto -file "$ca" -keystore "$CACHE/moto-ca.p12" -storetype PKCS12 \
    -storepass changeit >/dev/null 2>&1
  step cli-env-show env LAKEHOUSE_JAVA_OPTS="-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=$port -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=$port \
-Djavax.net.ssl.trustStore=$CACHE/moto-ca.p12 -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12" \
    "$repo/bin/lakehouse" env show --env "$env" --config-dir "$mwork" || mfailed+=(cli-env-show)
  sed 's/^/     /' "$CACHE/logs/moto-cli-env-show.log"
else
  echo "   cli-env-show: skipped (needs target/lakehouse.jar, make build, and keytool)"
fi
if ((${#mfailed[@]})); then
  echo "moto stage FAILED: ${mfailed[*]}"
  exit 1
fi
echo "moto stage passed"
