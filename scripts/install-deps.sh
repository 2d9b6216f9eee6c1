#!/usr/bin/env bash
# Installs what awsemu needs to build and test on Debian 12, and only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libssl-dev libpugixml-dev
  catch2
  postgresql          # RDS instances are real PostgreSQL servers
  awscli              # the AWS CLI v2 the integration tests drive
  python3
  wrk nginx-light     # bench/run.sh
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# boto3 (and the AWS CLI v1 as `python3 -m awscli`) come from pip where Python has them,
# else from Debian.
if ! python3 -c "import boto3" 2>/dev/null; then
  missing+=(python3-boto3)
fi

if ((${#missing[@]})); then
  echo "awsemu: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
