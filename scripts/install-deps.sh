#!/usr/bin/env bash
# Installs what awsemu needs to build and test on Debian 12, and only what is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libssl-dev libpugixml-dev
  libmimalloc-dev     # the server's malloc
  postgresql          # the servers behind RDS instances (initdb, postgres, psql, pg_dump)
  catch2
  awscli              # the AWS CLI v2 the integration tests drive (/usr/bin/aws)
  python3 curl
  python3-cryptography  # SNS tests verify message signatures and serve HTTPS subscribers
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# The tests also drive boto3 (a current one: Debian's 1.26 lacks newer operations such as
# BatchGetSecretValue) and the AWS CLI v1 as `python3 -m awscli`.
python_clients_ok() {
  python3 - <<'PY' 2>/dev/null
import sys
import boto3, awscli
def version(text):
    return tuple(int(part) for part in text.split(".")[:2])
sys.exit(0 if version(boto3.__version__) >= (1, 34) and awscli.__version__.startswith("1.") else 1)
PY
}
if ! python_clients_ok; then
  missing+=(python3-pip)
fi

# The tests also drive the AWS SDK for JavaScript v3 (tests/integration/js). Debian's nodejs and
# npm only when no node or npm is on the PATH, so that a newer Node.js shipping its own npm (as
# NodeSource's does) is kept as it is.
if ! command -v node >/dev/null; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  echo "awsemu: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! python_clients_ok; then
  echo "awsemu: installing boto3 and the AWS CLI v1 with pip"
  python3 -m pip install -q --break-system-packages 'boto3>=1.34' 'awscli>=1.32,<2' || {
    echo "awsemu: could not install boto3 >= 1.34 and the AWS CLI v1 (pip needs PyPI)" >&2
    exit 1
  }
fi

# The SDK clients, exactly as package-lock.json pins them, again whenever the lock file changes.
js_dir="$root/tests/integration/js"
if [[ ! -d "$js_dir/node_modules" || "$js_dir/package-lock.json" -nt "$js_dir/node_modules" ]]; then
  echo "awsemu: installing the JavaScript SDK clients (npm ci)"
  npm ci --prefix "$js_dir" --no-audit --no-fund --loglevel=error >/dev/null
  touch "$js_dir/node_modules"
fi
