#!/usr/bin/env bash
# SSE fan-out alone: ./bench/fanout.sh [STREAMS] [SECONDS]
# One `servers` process, one command and one query process (each its own JVM), then STREAMS (default
# 1000) SSE streams on the query process while writes go at 200/s for SECONDS (default 20), after a
# warm-up of the same shape (WARMUP_SECONDS, default 120). Reports each change's delivery time on every stream (POST answer -> frame
# read), the query process's memory per open stream (from the warm-up's streams, the first opened: RSS
# does not shrink when they close), and each process's CPU in the middle of the measured window. Writes bench/results/fanout-<date>.json.
# The same measurement as the fan-out phase of bench/cluster.sh, without the other phases (minutes, not 20).
set -euo pipefail
cd "$(dirname "$0")/.."

STREAMS=${1:-1000}; SECONDS_PER_RUN=${2:-20}
# Four JVMs JIT-compile their hot paths for minutes after start (a C2 thread at half a core a minute in):
# the warm-up runs the same load long enough for that to settle.
WARMUP_SECONDS=${WARMUP_SECONDS:-120}
C1=18081; Q1=18080; MYSQL=13306; KAFKA=19092; MONGO=17017
WORK=$(mktemp -d /tmp/cqrs-books-fanout-bench.XXXXXX)
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/fanout-$STAMP.json"
SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48)
declare -A PIDS=()

cleanup() {
  for name in "${!PIDS[@]}"; do kill "${PIDS[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# CPU of each process over $1 seconds, in % of one core, from /proc/<pid>/stat (utime + stime, in ticks).
cpu_percent() {
  local seconds=$1 name pid; declare -A before=()
  local hz; hz=$(getconf CLK_TCK)
  for name in "${!PIDS[@]}"; do before[$name]=$(awk '{print $14 + $15}' "/proc/${PIDS[$name]}/stat"); done
  before[mariadbd]=$(awk '{print $14 + $15}' "/proc/$(pgrep -f "$WORK/data/mariadb" | head -n 1)/stat")
  sleep "$seconds"
  local out="" now
  for name in "${!before[@]}"; do
    pid=${PIDS[$name]:-$(pgrep -f "$WORK/data/mariadb" | head -n 1)}
    now=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    out="$out${out:+, }\"$name\": $(( (now - before[$name]) * 100 / hz / seconds ))"
  done
  echo "{$out}"
}
wait_http() { until curl -s -o /dev/null "http://127.0.0.1:$1$2" 2>/dev/null; do sleep 0.05; done; }
wait_ready() { until curl -sf "http://127.0.0.1:$1/ready" >/dev/null 2>&1; do sleep 0.05; done; }
bench() { java -Xmx2g -jar target/cqrs-books-bench.jar "$@" mysqlPort=$MYSQL mongo=mongodb://127.0.0.1:$MONGO; }

for port in $C1 $Q1 $MYSQL $KAFKA $MONGO; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench/fanout.sh: port $port is already in use; stop what runs there first" >&2; exit 1
  fi
done

echo "== building (mvn -Pbench package)"
mvn -B -q -DskipTests -Pbench package

echo "== servers, one command and one query process"
CQRS_DATA_DIR="$WORK/data" CQRS_EMBEDDED_SERVERS_MYSQL_PORT=$MYSQL CQRS_EMBEDDED_SERVERS_KAFKA_PORT=$KAFKA \
CQRS_EMBEDDED_SERVERS_MONGO_PORT=$MONGO java -Xmx4g -jar target/cqrs-books.jar servers > "$WORK/servers.log" 2>&1 &
PIDS[servers]=$!
until [ -f "$WORK/data/servers.env" ]; do sleep 0.2; done
# shellcheck disable=SC1091
. "$WORK/data/servers.env"
export CQRS_AUTH_JWT_SECRET=$SECRET
CQRS_COMMAND_HTTP_PORT=$C1 java -Xms64m -Xmx768m -jar target/cqrs-books.jar command > "$WORK/command.log" 2>&1 &
PIDS[command]=$!
CQRS_QUERY_HTTP_PORT=$Q1 java -Xms64m -Xmx768m -jar target/cqrs-books.jar query > "$WORK/query.log" 2>&1 &
PIDS[query]=$!
wait_http $C1 /health; wait_ready $Q1
TOKEN=$(java -jar target/cqrs-books.jar token 2>/dev/null | tail -n 1)

echo "== warm-up: $STREAMS streams, 200 writes/s, ${WARMUP_SECONDS}s"
bench fanout command=http://127.0.0.1:$C1 query=http://127.0.0.1:$Q1 clients="$STREAMS" queryPid="${PIDS[query]}" \
  token="$TOKEN" rate=200 seconds="$WARMUP_SECONDS" out="$WORK/warm.json" | grep -E "streams open|propagation at"

echo "== $STREAMS streams, 200 writes/s, ${SECONDS_PER_RUN}s"
bench fanout command=http://127.0.0.1:$C1 query=http://127.0.0.1:$Q1 clients="$STREAMS" queryPid="${PIDS[query]}" \
  token="$TOKEN" rate=200 seconds="$SECONDS_PER_RUN" out="$WORK/fanout.json" &
LOAD=$!
sleep 1; PIDS[bench]=$(pgrep -f "cqrs-books-bench.jar fanout" | head -n 1)
# The middle of the measured window: after the streams open (about 4 s), before the writes end.
sleep $(( 3 + SECONDS_PER_RUN / 4 ))
CPU=$(cpu_percent $(( SECONDS_PER_RUN / 2 )))
echo "CPU in % of one core, middle of the window (the load generator is 'bench'): $CPU"
wait $LOAD
unset 'PIDS[bench]'

cat > "$OUT" <<JSON
{
  "date": "$STAMP",
  "commit": "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')",
  "machine": "$(nproc) cores, $(java -version 2>&1 | head -n 1 | tr -d '"'); load generator on the same cores",
  "topology": "servers + 1 command + 1 query process",
  "warmUp": $(cat "$WORK/warm.json"),
  "cpuPercentOfOneCore": $CPU,
  "fanOut": $(cat "$WORK/fanout.json")
}
JSON
echo "== written to $OUT"
