#!/usr/bin/env bash
# Runs the whole system locally: Postgres (started if needed), Apache Kafka
# (infra/kafka/kafka.sh, jars fetched by Maven on the first run), a fake Shopify / SMTP sink / demo supplier, all five services;
# then plays a demo return through and prints where to watch it.
# Ctrl-C stops everything. `--exit-after-demo` stops after the demo (smoke test).
set -euo pipefail
cd "$(dirname "$0")/.."
EXIT_AFTER_DEMO=${1:-}
RUN=.run; mkdir -p "$RUN/logs"
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-postgres.sh
DB=${DB_NAME:-returns}
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
npm run -s build

pids=()
stop_kafka() { :; }
# Services first, then the broker they talk to.
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; stop_kafka; }
trap cleanup EXIT INT TERM

# Apache Kafka, one KRaft node on KAFKA_PORT (default 9092), its data kept in .run/kafka between runs.
KAFKA_PORT=${KAFKA_PORT:-9092}
bash infra/kafka/kafka.sh start --dir "$RUN/kafka" --port "$KAFKA_PORT" > "$RUN/logs/kafka.log" 2>&1 \
  || { echo "Kafka did not start"; cat "$RUN/logs/kafka.log"; exit 1; }
stop_kafka() { bash infra/kafka/kafka.sh stop --dir "$RUN/kafka" >/dev/null 2>&1 || true; }
BOOTSTRAP=$(grep '^BOOTSTRAP=' "$RUN/logs/kafka.log" | head -1 | cut -d= -f2)

node node_modules/.bin/ts-node --transpile-only scripts/local/world.ts > "$RUN/logs/world.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do grep -q '^READY' "$RUN/logs/world.log" && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" KAFKA_BROKERS="$BOOTSTRAP" PUBLIC_API_URL="http://127.0.0.1:3000" \
  WEBHOOK_ALLOW_HOSTS="127.0.0.1,localhost" STORE_ALLOW_HOSTS="127.0.0.1,localhost" HTTP_HOST=127.0.0.1 SMTP_HOST=127.0.0.1 SMTP_PORT=2525 POLL_INTERVAL_MS=50 TS_NODE_BASEURL=dist LOG_LEVEL=${LOG_LEVEL:-info}
port=3000
for svc in api orchestrator suppliers refunds notifications; do
  HTTP_PORT=$port node -r tsconfig-paths/register "dist/apps/$svc/src/main.js" > "$RUN/logs/$svc.log" 2>&1 & pids+=($!)
  port=$((port + 1))
done
for _ in $(seq 1 150); do curl -sf -m 5 http://127.0.0.1:3000/health >/dev/null && break; sleep 0.2; done
curl -sf -m 5 http://127.0.0.1:3000/health >/dev/null || { echo "api did not become healthy"; tail -20 "$RUN/logs/api.log"; exit 1; }
echo "all services up (broker $BOOTSTRAP)"

node node_modules/.bin/ts-node --transpile-only scripts/local/demo.ts
if [ "$EXIT_AFTER_DEMO" = "--exit-after-demo" ]; then exit 0; fi
echo "Running. Ctrl-C to stop."
wait
