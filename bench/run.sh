#!/usr/bin/env bash
# The cqrs-books benchmark: ./bench/run.sh [quick]
# Starts the system on embedded defaults (a fresh data folder, ports 18080/18081), then measures
# start-up and memory, command/query throughput beside raw MySQL/MongoDB limits, propagation latency,
# and the query side's bootstrap of 100,000 and 1,000,000 books. Prints a table, writes
# bench/results/<date>.json. "quick" shortens every phase (for trying the script, not for figures).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=10
WARM_UP=""
BOOTSTRAP_SIZES="100000 1000000"; WARM_BOOTSTRAP=100000; MAX_WARMING=8
if [ "${1:-}" = quick ]; then SECONDS_PER_RUN=3; WARM_UP="warmUpSeconds=2 maxWarmUpSeconds=4 firstWarmUpSeconds=4"; BOOTSTRAP_SIZES="20000"; WARM_BOOTSTRAP=20000; MAX_WARMING=1; fi

Q=18080; C=18081; MYSQL=13306; KAFKA=19092; MONGO=17017; BOOT_Q=18090; ALONE_C=18085
WORK=$(mktemp -d /tmp/cqrs-books-bench.XXXXXX)
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/$STAMP.json"
SYSTEM_PID=""; BOOT_PID=""; ALONE_PID=""

cleanup() {
  [ -n "$BOOT_PID" ] && kill "$BOOT_PID" 2>/dev/null || true
  [ -n "$ALONE_PID" ] && kill "$ALONE_PID" 2>/dev/null || true
  [ -n "$SYSTEM_PID" ] && kill "$SYSTEM_PID" 2>/dev/null && wait "$SYSTEM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
heap_mb() { jstat -gc "$1" 2>/dev/null | awk 'NR==2 {printf "%d", ($3+$4+$6+$8)/1024}' || echo 0; }
old_mb() { jstat -gc "$1" 2>/dev/null | awk 'NR==2 {printf "%d", $8/1024}' || echo 0; }
wait_ready() { until curl -sf "http://127.0.0.1:$1/ready" >/dev/null 2>&1; do sleep 0.05; done; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

if ! command -v wrk >/dev/null; then
  # Debian's native HTTP load generator: far lighter than the JVM driver on the shared cores.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing wrk (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } \
      || echo "   wrk could not be installed; the JVM driver generates the HTTP load instead"
  else
    echo "== wrk not installed (apt-get install wrk); the JVM driver generates the HTTP load instead"
  fi
fi

echo "== building (mvn -Pbench package)"
mvn -B -q -DskipTests -Pbench package

for port in $Q $C $MYSQL $KAFKA $MONGO $ALONE_C; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench/run.sh: port $port is already in use (another benchmark or system still running?); stop it first" >&2
    exit 1
  fi
done

echo "== starting the system on embedded defaults (fresh data folder)"
t0=$(now)
CQRS_DATA_DIR="$WORK/data" CQRS_QUERY_HTTP_PORT=$Q CQRS_COMMAND_HTTP_PORT=$C \
CQRS_EMBEDDED_SERVERS_MYSQL_PORT=$MYSQL CQRS_EMBEDDED_SERVERS_KAFKA_PORT=$KAFKA CQRS_EMBEDDED_SERVERS_MONGO_PORT=$MONGO \
  java -Xms64m -Xmx3g -jar target/cqrs-books.jar > "$WORK/system.log" 2>&1 &
SYSTEM_PID=$!
wait_ready $Q
START_SECONDS=$(since "$t0")
sleep 5
MARIADB_PID=$(pgrep -f "mariadbd.*--port=$MYSQL" | head -n 1)
IDLE_JAVA=$(rss_mb $SYSTEM_PID); IDLE_MARIADB=$(rss_mb "$MARIADB_PID")
echo "   ready in ${START_SECONDS}s; idle RSS: JVM ${IDLE_JAVA} MB + mariadbd ${IDLE_MARIADB} MB"

if [ -n "${SKIP_LOAD:-}" ]; then
  echo "== load phase skipped (SKIP_LOAD set)"; echo '{}' > "$WORK/load.json"; LOAD_JAVA=0; LOAD_MARIADB=0
else
echo "== load: commands, queries, propagation (${SECONDS_PER_RUN}s per run)"
PEAK_FILE="$WORK/peak"; echo "0 0" > "$PEAK_FILE"
( while kill -0 $SYSTEM_PID 2>/dev/null; do
    read -r pj pm < "$PEAK_FILE"; j=$(rss_mb $SYSTEM_PID); m=$(rss_mb "$MARIADB_PID")
    echo "$(( j > pj ? j : pj )) $(( m > pm ? m : pm ))" > "$PEAK_FILE"; sleep 0.5; done ) &
SAMPLER=$!
java -Xmx1g -jar target/cqrs-books-bench.jar load command=http://127.0.0.1:$C query=http://127.0.0.1:$Q \
  mysqlPort=$MYSQL mongo=mongodb://127.0.0.1:$MONGO seconds=$SECONDS_PER_RUN $WARM_UP out="$WORK/load.json" \
  systemPid=$SYSTEM_PID mariadbPid="$MARIADB_PID" clockTicks="$(getconf CLK_TCK)"
kill $SAMPLER 2>/dev/null || true
read -r LOAD_JAVA LOAD_MARIADB < "$PEAK_FILE"
echo "   peak RSS under load: JVM ${LOAD_JAVA} MB + mariadbd ${LOAD_MARIADB} MB"

# The same commands against a command side with no pipeline behind it: its own database, and no relay
# (the system's relay holds the MySQL lease), so no Kafka, projection or MongoDB work shares the cores.
echo "== commands without the pipeline: a command-only JVM on its own database, not relaying"
java -jar target/cqrs-books-bench.jar createdb bench_commands mysqlPort=$MYSQL >/dev/null 2>&1
ALONE_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48)
ALONE_ENV=(CQRS_ROLES=command CQRS_EMBEDDED=false CQRS_COMMAND_HTTP_PORT=$ALONE_C CQRS_MYSQL_PORT=$MYSQL
           CQRS_MYSQL_DATABASE=bench_commands CQRS_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA
           CQRS_AUTH_JWT_SECRET=$ALONE_SECRET)
env "${ALONE_ENV[@]}" java -Xms64m -Xmx1g -jar target/cqrs-books.jar > "$WORK/command-alone.log" 2>&1 &
ALONE_PID=$!
until curl -s "http://127.0.0.1:$ALONE_C/api/books" -o /dev/null 2>&1; do
  kill -0 $ALONE_PID 2>/dev/null || { cat "$WORK/command-alone.log"; exit 1; }; sleep 0.1; done
ALONE_TOKEN=$(env "${ALONE_ENV[@]}" java -jar target/cqrs-books.jar token 2>/dev/null | tail -n 1)
java -Xmx1g -jar target/cqrs-books-bench.jar commands command=http://127.0.0.1:$ALONE_C token="$ALONE_TOKEN" \
  mysqlPort=$MYSQL seconds=$SECONDS_PER_RUN $WARM_UP out="$WORK/command-alone.json" \
  systemPid=$ALONE_PID mariadbPid="$MARIADB_PID" clockTicks="$(getconf CLK_TCK)" | { grep -vE '^\s*[{}"\[\]]' || true; }
kill $ALONE_PID; wait $ALONE_PID 2>/dev/null || true; ALONE_PID=""
fi

BOOTSTRAP_JSON=""; BOOT_RUN=0
# One bootstrap of $1 books by a fresh query-side JVM into an empty read model; $2 names the MongoDB-wire
# server's state. Sets $rate (books/s) and adds the run to $BOOTSTRAP_JSON.
bootstrap_once() {
  local size=$1 server=$2
  BOOT_RUN=$((BOOT_RUN + 1))
  echo "== bootstrap of $size books by a separate query-side JVM ($server MongoDB-wire server)"
  java -jar target/cqrs-books-bench.jar fill "$size" mysqlPort=$MYSQL fillDatabase=bench_bootstrap
  java -jar target/cqrs-books-bench.jar drop mongo=mongodb://127.0.0.1:$MONGO database=bootstrap >/dev/null 2>&1 || true
  local log="$WORK/bootstrap-$BOOT_RUN.log" t0; t0=$(now)
  CQRS_ROLES=query CQRS_EMBEDDED=false CQRS_QUERY_HTTP_PORT=$BOOT_Q CQRS_MYSQL_PORT=$MYSQL CQRS_MYSQL_DATABASE=bench_bootstrap \
  CQRS_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA CQRS_KAFKA_GROUP_ID=bench-bootstrap-$BOOT_RUN-$STAMP \
  CQRS_MONGO_CONNECTION_STRING=mongodb://127.0.0.1:$MONGO CQRS_MONGO_DATABASE=bootstrap CQRS_MONGO_ATOMIC_VERSION_GUARD=false \
    java -Xms64m -Xmx512m -jar target/cqrs-books.jar > "$log" 2>&1 &
  BOOT_PID=$!
  local peak_rss=0 peak_heap=0 peak_old=0 r h o
  until curl -sf "http://127.0.0.1:$BOOT_Q/ready" >/dev/null 2>&1; do
    r=$(rss_mb $BOOT_PID); h=$(heap_mb $BOOT_PID); o=$(old_mb $BOOT_PID)
    [ "$r" -gt "$peak_rss" ] && peak_rss=$r; [ "$h" -gt "$peak_heap" ] && peak_heap=$h; [ "$o" -gt "$peak_old" ] && peak_old=$o
    kill -0 $BOOT_PID 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.2
  done
  local secs copied books millis; secs=$(since "$t0")
  copied=$(grep -o 'bootstrapped from MySQL: [0-9]* books in [0-9]* ms' "$log" | head -n 1)
  books=$(echo "$copied" | awk '{print $4}'); millis=$(echo "$copied" | awk '{print $7}')
  rate=$(awk -v b="$books" -v m="$millis" 'BEGIN { printf "%d", b * 1000 / m }')
  echo "   start to ready ${secs}s; bootstrap copied $books books in $millis ms = $rate books/s;" \
       "peak RSS $peak_rss MB, peak heap used $peak_heap MB, of it old generation $peak_old MB (-Xmx512m)"
  kill $BOOT_PID; wait $BOOT_PID 2>/dev/null || true; BOOT_PID=""
  BOOTSTRAP_JSON="$BOOTSTRAP_JSON${BOOTSTRAP_JSON:+,}{\"books\":$books,\"mongoServer\":\"$server\",\"startToReadySeconds\":$secs,\"copyMillis\":$millis,\"booksPerSecond\":$rate,\"peakRssMb\":$peak_rss,\"peakHeapUsedMb\":$peak_heap,\"peakOldGenMb\":$peak_old}"
}

# The MongoDB-wire server is a JVM standing in for a native mongod, and its JIT warm-up slows the first
# bootstraps after a start. The first run is reported as "first" (against a cold server when the load
# phase was skipped); then runs "warming" until two in a row agree within 5% (at most $MAX_WARMING); then
# the measured "warm" runs. The query-side JVM is started cold every time.
bootstrap_once "$WARM_BOOTSTRAP" first
previous=$rate
for ((i = 1; i <= MAX_WARMING; i++)); do
  bootstrap_once "$WARM_BOOTSTRAP" warming
  awk -v a="$previous" -v b="$rate" 'BEGIN { exit !(b < a * 1.05 && b > a * 0.95) }' && break
  previous=$rate
done
for size in $BOOTSTRAP_SIZES; do
  bootstrap_once "$size" warm
done

cat > "$OUT" <<JSON
{
  "date": "$STAMP",
  "machine": "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1 | tr -d '"'); load generator on the same cores",
  "secondsPerRun": $SECONDS_PER_RUN,
  "startup": {"startToReadySeconds": $START_SECONDS, "idleRssMb": {"jvm": $IDLE_JAVA, "mariadbd": $IDLE_MARIADB},
              "peakRssUnderLoadMb": {"jvm": $LOAD_JAVA, "mariadbd": $LOAD_MARIADB}},
  "load": $(cat "$WORK/load.json"),
  "commandServiceAlone": $(cat "$WORK/command-alone.json" 2>/dev/null || echo '{}'),
  "bootstrap": [$BOOTSTRAP_JSON]
}
JSON
echo "== results written to $OUT"
