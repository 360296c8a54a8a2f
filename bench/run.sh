#!/usr/bin/env bash
# The benchmark (bench/README.md): every service as its own process, Postgres
# and Apache Kafka (one KRaft node, infra/kafka/kafka.sh) on this machine. Not
# part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/ensure-postgres.sh
bash infra/kafka/kafka.sh fetch >/dev/null
export TS_NODE_TRANSPILE_ONLY=true
node --max-old-space-size=4096 -r ts-node/register -r tsconfig-paths/register bench/bench.ts "$@"
# bench/README.md keeps the figures this run printed.
node -r ts-node/register test/faults/support/docs.ts bench
