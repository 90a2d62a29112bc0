#!/usr/bin/env bash
# One-time set-up of a fresh Debian 12 machine for Greenhouse's tests and browser mode:
# Debian packages, a running Docker engine, and the local Python base image.
# Idempotent: what is already there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(docker.io chromium python3-sklearn python3-pandas python3-joblib mmdebstrap time
  python3-nbclient python3-nbformat python3-ipykernel jupyter-nbconvert python3-xgboost python3-onnx poppler-utils)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Docker engine: start our own when none answers. No bridge network and no iptables:
# test containers use host networking on loopback only.
if ! docker version >/dev/null 2>&1; then
  echo "setup: starting dockerd"
  setsid dockerd --bridge=none --iptables=false >/var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  docker version >/dev/null 2>&1 || { echo "setup: dockerd did not start; see /var/log/dockerd.log" >&2; exit 1; }
fi

bash scripts/base-image.sh
