#!/usr/bin/env bash
# Runs every test: unit specs, then the e2e specs (real Postgres, the mock Kafka
# broker, loopback fakes). Installs and starts what is missing on a Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh
bash infra/kafka-mock/build.sh >/dev/null
npx jest "$@" --selectProjects unit
npx jest "$@" --selectProjects e2e --runInBand --forceExit
