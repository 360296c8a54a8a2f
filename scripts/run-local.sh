#!/usr/bin/env bash
# Runs the whole system locally: Postgres (started if needed), Apache Kafka
# (infra/kafka/kafka.sh, jars fetched by Maven on the first run), a fake Shopify / SMTP sink / demo supplier, all five services;
# then plays a demo return through and prints where to watch it.
# Ctrl-C (or SIGTERM to npm) stops everything: the services first, then the
# broker and the world. `--exit-after-demo` stops after the demo (smoke test).
# Ports: API_PORT (3000; the other services take the next four), KAFKA_PORT (9092
# and 9093), DEMO_SHOP_PORT (4010), DEMO_SMTP_PORT (2525), DEMO_SUPPLIER_PORT
# (4020), DEMO_CONTROL_PORT (4030). KAFKA_DIR: the broker's data (.run/kafka).
set -euo pipefail
cd "$(dirname "$0")/.."
EXIT_AFTER_DEMO=${1:-}
export API_PORT=${API_PORT:-3000} DEMO_SHOP_PORT=${DEMO_SHOP_PORT:-4010} DEMO_SMTP_PORT=${DEMO_SMTP_PORT:-2525} \
  DEMO_SUPPLIER_PORT=${DEMO_SUPPLIER_PORT:-4020} DEMO_CONTROL_PORT=${DEMO_CONTROL_PORT:-4030}
export API_URL="http://127.0.0.1:$API_PORT"

# One folder of JSON-line logs per run; .run/logs/latest points at the newest.
RUN=.run
LOG_ROOT=${RUN_LOG_ROOT:-$RUN/logs}
LOGS="$LOG_ROOT/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir -p "$LOGS"
ln -sfn "$(basename "$LOGS")" "$LOG_ROOT/latest"

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-postgres.sh
DB=${DB_NAME:-returns}
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
npm run -s build

# Each child runs in its own process group (setsid), so a terminal's Ctrl-C
# reaches only this script, which then stops them in order: services first
# (they still reach the broker while shutting down), then broker and world.
services=(); infra=()
started=
start() { # start <log name> <command…>: its output, as JSON lines, to $LOGS/<name>.log; $started = its group id
  local name=$1 pgid_file="$LOGS/.$1.pgid"; shift
  # the group leader writes its own id: setsid forks (and $! is not the group) when it has to
  setsid bash -c 'echo $$ > "$1"; name=$2; shift 2; exec "$@" 2>&1 | node scripts/local/jsonl.js "$name"' _ "$pgid_file" "$name" "$@" >> "$LOGS/$name.log" 2>&1 &
  for _ in $(seq 1 100); do [ -s "$pgid_file" ] && break; sleep 0.05; done
  started=$(cat "$pgid_file")
}
stop_groups() { # stop_groups <seconds> <group ids…>: SIGTERM, then SIGKILL what is left after the grace period
  local grace=$1; shift
  [ $# -gt 0 ] || return 0
  for g in "$@"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for _ in $(seq 1 $((grace * 10))); do
    local alive=0
    for g in "$@"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.1
  done
  for g in "$@"; do kill -KILL -- "-$g" 2>/dev/null || true; done
}
stop_kafka() { :; }
stopping=
cleanup() {
  [ -n "$stopping" ] && return; stopping=1
  trap '' INT TERM
  echo "stopping: services, then broker and world"
  stop_groups 15 ${services[@]+"${services[@]}"}
  stop_kafka
  stop_groups 5 ${infra[@]+"${infra[@]}"}
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
# npm runs this script under `sh -c`; should either go (npm killed, even with
# SIGKILL, or a signal npm did not pass on), stop too rather than leave the system running.
parent=$PPID; grandparent=$(ps -o ppid= -p "$PPID" | tr -d ' ')
( while kill -0 "$parent" 2>/dev/null && kill -0 "${grandparent:-$parent}" 2>/dev/null; do sleep 1; done; kill -TERM $$ 2>/dev/null ) & watchdog=$!
trap 'kill $watchdog 2>/dev/null || true; cleanup' EXIT

# Apache Kafka, one KRaft node on KAFKA_PORT (default 9092), its data kept in .run/kafka between runs.
# kafka.log: the launcher's output and the broker's own log (from this run on), as JSON lines.
KAFKA_PORT=${KAFKA_PORT:-9092}; KAFKA_DIR=${KAFKA_DIR:-$RUN/kafka}
start kafka tail -n 0 -F "$KAFKA_DIR/node-1/server.log"; infra+=("$started")
bash infra/kafka/kafka.sh start --dir "$KAFKA_DIR" --port "$KAFKA_PORT" 2>&1 | node scripts/local/jsonl.js kafka >> "$LOGS/kafka.log" \
  || { echo "Kafka did not start"; cat "$LOGS/kafka.log"; exit 1; }
stop_kafka() { bash infra/kafka/kafka.sh stop --dir "$KAFKA_DIR" >/dev/null 2>&1 || true; }
BOOTSTRAP=$(grep -o 'BOOTSTRAP=[^"]*' "$LOGS/kafka.log" | head -1 | cut -d= -f2)

start world node node_modules/.bin/ts-node --transpile-only scripts/local/world.ts; infra+=("$started")
for _ in $(seq 1 600); do grep -q '"msg":"READY' "$LOGS/world.log" && break; sleep 0.1; done
grep -q '"msg":"READY' "$LOGS/world.log" || { echo "the local world did not start"; tail -20 "$LOGS/world.log"; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" KAFKA_BROKERS="$BOOTSTRAP" PUBLIC_API_URL="$API_URL" \
  WEBHOOK_ALLOW_HOSTS="127.0.0.1,localhost" STORE_ALLOW_HOSTS="127.0.0.1,localhost" HTTP_HOST=127.0.0.1 SMTP_HOST=127.0.0.1 SMTP_PORT=$DEMO_SMTP_PORT TS_NODE_BASEURL=dist LOG_LEVEL=${LOG_LEVEL:-info}
port=$API_PORT
for svc in api orchestrator suppliers refunds notifications; do
  export HTTP_PORT=$port
  start "$svc" node -r tsconfig-paths/register "dist/apps/$svc/src/main.js"; services+=("$started")
  port=$((port + 1))
done
for _ in $(seq 1 150); do curl -sf -m 5 "$API_URL/health" >/dev/null && break; sleep 0.2; done
curl -sf -m 5 "$API_URL/health" >/dev/null || { echo "api did not become healthy"; tail -20 "$LOGS/api.log"; exit 1; }
echo "all services up (broker $BOOTSTRAP, logs $LOGS)"

node node_modules/.bin/ts-node --transpile-only scripts/local/demo.ts
if [ "$EXIT_AFTER_DEMO" = "--exit-after-demo" ]; then exit 0; fi
echo "Running. Ctrl-C to stop."
# `wait` returns when a signal arrives, so the traps run at once.
while true; do wait || true; sleep 0.2; done
