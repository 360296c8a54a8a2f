#!/usr/bin/env bash
# Runs every test: unit specs, then the e2e specs (real Postgres, Apache Kafka,
# loopback fakes). Installs and starts what is missing on a Debian machine; the
# Kafka jars are fetched from Maven Central on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-tools.sh
bash infra/kafka/kafka.sh fetch >/dev/null
bash infra/kafka-mock/build.sh >/dev/null  # the one fault test that needs the mock's fault API
npx jest "$@" --selectProjects unit
npx jest "$@" --selectProjects e2e --runInBand --forceExit
