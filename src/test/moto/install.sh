#!/usr/bin/env bash
# Installs the pinned moto server into a project-local virtualenv, once.
# Usage: install.sh VENV_DIR     (called by `mvn test`/`make test`; safe to run again)
set -euo pipefail
venv=${1:?usage: install.sh VENV_DIR}
here=$(cd "$(dirname "$0")" && pwd)
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)

if [ -x "$venv/bin/moto_server" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
    python=$candidate; break
  fi
done
if [ -z "$python" ]; then
  echo "error: the tests need Python 3.9+ with venv and pip to run the moto AWS emulator; install it (Debian/Ubuntu: apt-get install python3 python3-venv) and run the tests again" >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "error: $python has no venv/ensurepip module; install it (Debian/Ubuntu: apt-get install python3-venv) and run the tests again" >&2
  exit 1
fi

echo "Installing the moto AWS emulator into $venv (once; about 20 s)" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
