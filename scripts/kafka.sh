#!/usr/bin/env bash
# Kafka for tests and development, fetched from Maven Central (infra/kafka/pom.xml) into .kafka/libs.
#   scripts/kafka.sh fetch   copy the broker's jars (idempotent: skipped when they are already there)
#   scripts/kafka.sh path    print the classpath glob (java -cp "$(scripts/kafka.sh path)" kafka.Kafka ...)
# Tests start their own single-node KRaft broker from these jars (tests/kafka_server.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
POM="$ROOT/infra/kafka/pom.xml"
LIBS="$ROOT/.kafka/libs"
STAMP="$LIBS/.fetched"

fetch() {
  # The stamp records the pom it was fetched for: a changed pom (new Kafka version) fetches again.
  local want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
    echo "kafka: jars present in .kafka/libs"
    return 0
  fi
  command -v java >/dev/null || { echo "kafka: java (17+) is required" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "kafka: maven (mvn) is required" >&2; exit 1; }
  echo "kafka: fetching jars with maven (infra/kafka/pom.xml) ..."
  local tmp="$ROOT/.kafka/libs.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! mvn -q -B --no-transfer-progress -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" \
    >"$ROOT/.kafka/fetch.log" 2>&1; then
    cat "$ROOT/.kafka/fetch.log" >&2
    exit 1
  fi
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  echo "$want" >"$STAMP"
  echo "kafka: $(find "$LIBS" -name '*.jar' | wc -l) jars in .kafka/libs"
}

case "${1:-}" in
  fetch) fetch ;;
  path) echo "$LIBS/*" ;;
  *) echo "usage: $0 fetch|path" >&2; exit 2 ;;
esac
