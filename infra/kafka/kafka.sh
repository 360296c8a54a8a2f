#!/usr/bin/env bash
# Apache Kafka in KRaft mode (no ZooKeeper, no Docker) for local runs, tests and
# the bench. The broker's jars come from Maven Central (infra/kafka/pom.xml pins
# the version) into infra/kafka/.cache/, fetched on first use.
#
#   kafka.sh fetch                      fetch the jars if missing; prints the cache folder
#   kafka.sh start [opts]               format (first time), start, wait, create the topics;
#                                       prints BOOTSTRAP=host:port[,...] then READY.
#                                       Safe to run again: running nodes are left alone.
#   kafka.sh stop  [--dir D]            SIGTERM every node (controlled shutdown), wait
#   kafka.sh kill  [--dir D] --node I   SIGKILL node I (a crash)
#   kafka.sh up    [--dir D] --node I   start node I again, wait until it serves (every partition led)
#   kafka.sh status [--dir D]           one line per node: id, port, running|down
#
# start options:
#   --dir D          cluster folder (config, data, logs, pids); default .run/kafka
#   --nodes N        number of nodes, each broker+controller (a quorum of N); default 1
#   --port P         node i listens on P+2(i-1) (clients) and P+2(i-1)+1 (controller); default 9092
#   --owner-pid PID  kill the nodes (SIGKILL) when that process is gone (tests: no stray JVMs)
#   --no-topics      don't create the manifest's topics
#
# Environment: KAFKA_HEAP_OPTS (default -Xms256m -Xmx1g), KAFKA_JVM_OPTS (GC and
# the rest), TOPIC_MANIFEST (default infra/kafka/topics.manifest).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")
CACHE="$HERE/.cache/kafka-$KAFKA_VERSION"

# Sized for a 2-core machine that also runs Postgres and five Node services:
# a small heap, the serial collector (no parallel GC threads competing for two
# cores) and few network/io threads (see node_config).
: "${KAFKA_HEAP_OPTS:=-Xms256m -Xmx1g}"
: "${KAFKA_JVM_OPTS:=-XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:CICompilerCount=2 -Djava.awt.headless=true -Dcom.sun.management.jmxremote=false}"

die() { echo "kafka.sh: $*" >&2; exit 1; }

fetch() {
  [ -f "$CACHE/.complete" ] && return 0
  command -v java >/dev/null || die "java not found (OpenJDK 17 is needed)"
  command -v mvn >/dev/null || die "mvn not found (Maven is needed once, to fetch the broker)"
  echo "kafka.sh: fetching Apache Kafka $KAFKA_VERSION from Maven Central (first run only)" >&2
  rm -rf "$CACHE"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$CACHE/libs" >&2 || die "mvn could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
  cat > "$CACHE/log4j2.properties" <<'EOF'
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ${sys:kafka.log.level:-INFO}
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = ${sys:kafka.log.level:-INFO}
logger.state.name = state.change.logger
logger.state.level = WARN
EOF
  touch "$CACHE/.complete"
}

DIR="$ROOT/.run/kafka"; NODES=""; PORT=""; OWNER=""; TOPICS=1; NODE=""
parse() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) DIR=$2; shift 2 ;;
      --nodes) NODES=$2; shift 2 ;;
      --port) PORT=$2; shift 2 ;;
      --owner-pid) OWNER=$2; shift 2 ;;
      --no-topics) TOPICS=0; shift ;;
      --node) NODE=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd)
  # The cluster's shape is fixed when it is first made; later calls read it back.
  if [ -f "$DIR/cluster.env" ]; then
    # shellcheck disable=SC1091
    . "$DIR/cluster.env"
    [ -z "${WANT_NODES:-}" ] || [ "$WANT_NODES" = "$CLUSTER_NODES" ] || die "$DIR holds a $CLUSTER_NODES-node cluster; --nodes $WANT_NODES needs another --dir"
  fi
}

# A freshly formatted N-node cluster, kept in the cache: new clusters of that
# size copy it (same cluster id, which is harmless for separate clusters on
# their own ports) instead of running the storage tool, a JVM start per node.
template() { echo "$CACHE/formatted/n$1"; }
save_template() {
  local t; t=$(template "$CLUSTER_NODES")
  [ -d "$DIR/template" ] || return 0
  if [ ! -f "$t/.complete" ]; then
    echo "$CLUSTER_ID" > "$DIR/template/cluster.id"; touch "$DIR/template/.complete"
    mkdir -p "$(dirname "$t")"
    # Atomic: a concurrent start either sees the whole template or none.
    mv -T "$DIR/template" "$t" 2>/dev/null || true
  fi
  rm -rf "$DIR/template"
}

broker_port() { echo $((CLUSTER_PORT + 2 * ($1 - 1))); }
controller_port() { echo $((CLUSTER_PORT + 2 * ($1 - 1) + 1)); }
bootstrap() { local i out=""; for i in $(seq 1 "$CLUSTER_NODES"); do out+="${out:+,}127.0.0.1:$(broker_port "$i")"; done; echo "$out"; }
pid_of() { local f="$DIR/node-$1/pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

node_config() {
  local i=$1 voters="" j rf=$((CLUSTER_NODES < 3 ? CLUSTER_NODES : 3)) isr
  isr=$((rf < 2 ? 1 : 2))
  for j in $(seq 1 "$CLUSTER_NODES"); do voters+="${voters:+,}$j@127.0.0.1:$(controller_port "$j")"; done
  mkdir -p "$DIR/node-$i"
  cat > "$DIR/node-$i/server.properties" <<EOF
# Written by infra/kafka/kafka.sh. Node $i of $CLUSTER_NODES, broker and controller in one process.
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(broker_port "$i"),CONTROLLER://127.0.0.1:$(controller_port "$i")
advertised.listeners=PLAINTEXT://127.0.0.1:$(broker_port "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/node-$i/data
auto.create.topics.enable=false
# Internal topics replicated like ours: min(3, nodes) copies, 2 in sync.
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
transaction.state.log.num.partitions=6
default.replication.factor=$rf
min.insync.replicas=$isr
unclean.leader.election.enable=false
# A new group starts at once (no 3 s wait for more members).
group.initial.rebalance.delay.ms=0
# A crashed node is fenced, and leaves every ISR, within 6 s (default 9 s).
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1000
replica.lag.time.max.ms=10000
# Two cores: fewer threads than the defaults (3 network, 8 io).
num.network.threads=2
num.io.threads=4
num.replica.fetchers=1
background.threads=4
log.cleaner.threads=1
num.recovery.threads.per.data.dir=1
EOF
}

start_node() {
  local i=$1 pid
  if pid=$(pid_of "$i"); then return 0; fi
  [ -f "$DIR/node-$i/server.properties" ] || node_config "$i"
  if [ ! -f "$DIR/node-$i/data/meta.properties" ]; then
    local tpl; tpl=$(template "$CLUSTER_NODES")
    if [ -f "$tpl/.complete" ] && [ "$(cat "$tpl/cluster.id")" = "$CLUSTER_ID" ]; then
      mkdir -p "$DIR/node-$i/data" && cp -r "$tpl/node-$i/." "$DIR/node-$i/data/"
    else
      java $KAFKA_JVM_OPTS -Xmx256m -cp "$CACHE/libs/*" -Dlog4j2.configurationFile="$CACHE/log4j2.properties" \
        -Dkafka.logs.dir="$DIR/node-$i" kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" \
        --config "$DIR/node-$i/server.properties" --ignore-formatted > "$DIR/node-$i/format.log" 2>&1 \
        || { cat "$DIR/node-$i/format.log" >&2; die "formatting node $i failed"; }
      mkdir -p "$DIR/template/node-$i" && cp -r "$DIR/node-$i/data/." "$DIR/template/node-$i/"
    fi
  fi
  # setsid: the node outlives this script; --owner-pid ties it to a test process instead.
  setsid nohup java $KAFKA_HEAP_OPTS $KAFKA_JVM_OPTS -cp "$CACHE/libs/*" \
    -Dlog4j2.configurationFile="$CACHE/log4j2.properties" -Dkafka.logs.dir="$DIR/node-$i" \
    kafka.Kafka "$DIR/node-$i/server.properties" > "$DIR/node-$i/stdout.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$DIR/node-$i/pid"
  if [ -n "$OWNER" ]; then
    ( trap '' HUP; while kill -0 "$OWNER" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done; kill -9 "$pid" 2>/dev/null ) \
      > /dev/null 2>&1 < /dev/null &
    disown
  fi
}

wait_port() {
  local i=$1 port; port=$(broker_port "$i")
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    pid_of "$i" >/dev/null || { tail -30 "$DIR/node-$i/stdout.log" "$DIR/node-$i/server.log" >&2 2>/dev/null; die "node $i exited while starting"; }
    sleep 0.1
  done
  die "node $i did not open port $port within 60 s (see $DIR/node-$i/server.log)"
}

cmd=${1:-}; shift || true
case "$cmd" in
  fetch) fetch; echo "$CACHE" ;;
  start)
    WANT_NODES=""; for a in "$@"; do [ "${prev:-}" = "--nodes" ] && WANT_NODES=$a; prev=$a; done
    parse "$@"
    fetch
    if [ ! -f "$DIR/cluster.env" ]; then
      CLUSTER_NODES=${NODES:-1}; CLUSTER_PORT=${PORT:-9092}
      tpl=$(template "$CLUSTER_NODES")
      if [ -f "$tpl/.complete" ]; then CLUSTER_ID=$(cat "$tpl/cluster.id")
      # A KRaft cluster id is 16 random bytes in URL-safe base64 (what `kafka-storage random-uuid` prints).
      else CLUSTER_ID=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); fi
      printf 'CLUSTER_NODES=%s\nCLUSTER_PORT=%s\nCLUSTER_ID=%s\n' "$CLUSTER_NODES" "$CLUSTER_PORT" "$CLUSTER_ID" > "$DIR/cluster.env"
    fi
    [ -z "$PORT" ] || [ "$PORT" = "$CLUSTER_PORT" ] || die "$DIR was made with --port $CLUSTER_PORT"
    for i in $(seq 1 "$CLUSTER_NODES"); do start_node "$i" & done; wait
    save_template
    for i in $(seq 1 "$CLUSTER_NODES"); do wait_port "$i"; done
    if [ "$TOPICS" = 1 ]; then
      node "$HERE/create-topics.js" --brokers "$(bootstrap)" --expect-brokers "$CLUSTER_NODES" >&2 || die "topic creation failed"
    fi
    echo "BOOTSTRAP=$(bootstrap)"
    echo "READY"
    ;;
  stop)
    parse "$@"
    [ -f "$DIR/cluster.env" ] || exit 0
    for i in $(seq 1 "$CLUSTER_NODES"); do pid=$(pid_of "$i") && kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 300); do
      alive=0; for i in $(seq 1 "$CLUSTER_NODES"); do pid_of "$i" >/dev/null && alive=1; done
      [ $alive = 0 ] && exit 0; sleep 0.1
    done
    for i in $(seq 1 "$CLUSTER_NODES"); do pid=$(pid_of "$i") && kill -9 "$pid" 2>/dev/null || true; done
    ;;
  kill)
    parse "$@"; [ -n "$NODE" ] || die "kill needs --node"
    if pid=$(pid_of "$NODE"); then kill -9 "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done; fi
    ;;
  up)
    parse "$@"; [ -n "$NODE" ] || die "up needs --node"
    fetch; start_node "$NODE"; wait_port "$NODE"
    # Serving means more than an open port: registered with the controller, and every partition led again.
    up=""; n=0; for i in $(seq 1 "$CLUSTER_NODES"); do pid_of "$i" >/dev/null && { up+="${up:+,}127.0.0.1:$(broker_port "$i")"; n=$((n + 1)); }; done
    node "$HERE/create-topics.js" --brokers "$up" --expect-brokers "$n" --wait-only >&2 || die "node $NODE did not become ready"
    ;;
  status)
    parse "$@"
    [ -f "$DIR/cluster.env" ] || { echo "no cluster in $DIR"; exit 0; }
    for i in $(seq 1 "$CLUSTER_NODES"); do
      if pid=$(pid_of "$i"); then echo "$i 127.0.0.1:$(broker_port "$i") running $pid"; else echo "$i 127.0.0.1:$(broker_port "$i") down"; fi
    done
    ;;
  *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
