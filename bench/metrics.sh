#!/usr/bin/env bash
# What metrics cost: ./bench/metrics.sh [rounds]
# Starts the whole system on embedded defaults with metrics on, then off, then on, then off (rounds=2), each
# on a fresh data folder, and measures POST /api/books (16 clients) and GET /api/books/{bid} (32 clients)
# at steady state beside their raw MySQL / MongoDB limits, as ./bench/run.sh does.
# Writes bench/results/metrics-<date>.json. About 4 minutes per start.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-2}
Q=18080; C=18081; MYSQL=13306; KAFKA=19092; MONGO=17017
WORK=$(mktemp -d /tmp/cqrs-books-metrics-bench.XXXXXX)
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/metrics-$STAMP.json"
SYSTEM_PID=""

cleanup() {
  [ -n "$SYSTEM_PID" ] && kill "$SYSTEM_PID" 2>/dev/null && wait "$SYSTEM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
wait_ready() { until curl -sf "http://127.0.0.1:$1/ready" >/dev/null 2>&1; do sleep 0.1; done; }

for port in $Q $C $MYSQL $KAFKA $MONGO; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench/metrics.sh: port $port is already in use; stop what runs there first" >&2; exit 1
  fi
done
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } || true

echo "== building (mvn -Pbench package)"
mvn -B -q -DskipTests -Pbench package

RUNS=""
for round in $(seq 1 "$ROUNDS"); do
  for metrics in true false; do
    echo "== round $round, metrics.enabled=$metrics: starting the system (fresh data folder)"
    rm -rf "$WORK/data"
    CQRS_METRICS_ENABLED=$metrics CQRS_DATA_DIR="$WORK/data" CQRS_QUERY_HTTP_PORT=$Q CQRS_COMMAND_HTTP_PORT=$C \
    CQRS_EMBEDDED_SERVERS_MYSQL_PORT=$MYSQL CQRS_EMBEDDED_SERVERS_KAFKA_PORT=$KAFKA CQRS_EMBEDDED_SERVERS_MONGO_PORT=$MONGO \
      java -Xms64m -Xmx3g -jar target/cqrs-books.jar > "$WORK/system.log" 2>&1 &
    SYSTEM_PID=$!
    wait_ready $Q
    curl -s -o /dev/null -w "   /metrics on the command port: %{http_code}\n" "http://127.0.0.1:$C/metrics"
    common=(command=http://127.0.0.1:$C query=http://127.0.0.1:$Q mysqlPort=$MYSQL mongo=mongodb://127.0.0.1:$MONGO
            seconds=10 firstWarmUpSeconds=60 commandClients=16)
    java -Xmx1g -jar target/cqrs-books-bench.jar queries "${common[@]}" out="$WORK/queries.json" > "$WORK/q.log"
    java -Xmx1g -jar target/cqrs-books-bench.jar commands "${common[@]}" out="$WORK/commands.json" > "$WORK/c.log"
    POST=$(python3 -c "import json;r=json.load(open('$WORK/commands.json'))['commands'][0];print(json.dumps({'app':r['app'],'limit':r['limit']}))")
    GET=$(python3 -c "import json;r=json.load(open('$WORK/queries.json'))['queries'][0];print(json.dumps({'app':r['app'],'limit':r['limit']}))")
    python3 -c "import json;p=json.loads('''$POST''');g=json.loads('''$GET''');print('   POST 16 clients: %.0f req/s (raw MySQL %.0f tx/s); GET by id 32 clients: %.0f req/s (raw findOne %.0f /s)' % (p['app']['perSecond'],p['limit']['perSecond'],g['app']['perSecond'],g['limit']['perSecond']))"
    RUNS="$RUNS${RUNS:+,}{\"round\":$round,\"metricsEnabled\":$metrics,\"post16\":$POST,\"getById32\":$GET}"
    kill $SYSTEM_PID; wait $SYSTEM_PID 2>/dev/null || true; SYSTEM_PID=""
  done
done

cat > "$OUT" <<JSON
{
  "date": "$STAMP",
  "commit": "$(git rev-parse --short HEAD)",
  "machine": "$(nproc) cores, $(java -version 2>&1 | head -n 1 | tr -d '"'); system, embedded servers and load generator on the same cores",
  "runs": [$RUNS]
}
JSON
echo "== results written to $OUT"
