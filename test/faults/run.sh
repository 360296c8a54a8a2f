#!/usr/bin/env bash
# The fault tests alone (docs/reliability.md), one file at a time, then their
# figures copied into docs/reliability.md. CI runs the same files in `npm test`.
# postgres-restart restarts the local Postgres server: run this when nothing else uses it.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci
bash scripts/ensure-postgres.sh
bash infra/kafka/kafka.sh fetch >/dev/null
bash infra/kafka-mock/build.sh >/dev/null  # consumer-crash needs the mock's fault API
rm -f test-artifacts/faults/figures.json
npx jest --selectProjects e2e --runInBand --forceExit test/faults "$@"
npx ts-node -T test/faults/support/docs.ts faults
echo "figures copied into docs/reliability.md"
