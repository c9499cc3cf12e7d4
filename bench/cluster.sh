#!/usr/bin/env bash
# The scale-out benchmark: ./bench/cluster.sh [quick]
# One `servers` process, two command and two query processes (each its own JVM, as ./run.sh servers and
# README's "Running several processes" describe), then: propagation at 200 writes/s through both command
# processes to both query processes; the failover gap when the relay's holder is SIGKILLed under that load;
# 1,000 SSE streams on one query process at 200 changes/s (with one command process, the other two having
# left); GET by id with one and with two query processes;
# a query process joining a current read model of 1,000,000 books. Writes bench/results/cluster-<date>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=20; JOIN_BOOKS=1000000; FANOUT=1000; WARMUP=360
if [ "${1:-}" = quick ]; then SECONDS_PER_RUN=5; JOIN_BOOKS=20000; FANOUT=100; WARMUP=20; fi
# Five JVMs JIT-compile their hot paths for minutes after start: at 200 writes/s their compiler threads
# together took 52% of a core in the 4th minute, 18% in the 5th, 7-13% in the 6th and 7th, then 0-4%
# (measured from /proc; docs/performance.md, "seventh run").
WARMUP_SECONDS=${WARMUP_SECONDS:-$WARMUP}
# ONLY_PROPAGATION=1 stops after the first phase (about 8 minutes); SERVERS_JAVA_OPTS replaces the servers
# JVM's options (default -Xmx4g); PROPAGATION_RATE sets that phase's writes a second (default 200).
# The query processes' MongoDB write guard (QUERY_GUARD=false to see what it costs on the stand-in).
QUERY_GUARD=${QUERY_GUARD:-true}
PROPAGATION_RATE=${PROPAGATION_RATE:-200}

C1=18081; C2=18083; Q1=18080; Q2=18090; Q3=18095
NAME=cluster
# shellcheck source=bench/processes.sh
. bench/processes.sh

now_ms() { date +%s%3N; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

ports_free $C1 $C2 $Q1 $Q2 $Q3
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } || true
command -v wrk >/dev/null || { echo "bench/cluster.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
build

echo "== ./run.sh servers equivalent, then 2 command and 2 query processes"
start_servers
start command-1 command $C1; wait_http $C1 /health
start command-2 command $C2
start query-1 query $Q1 CQRS_MONGO_ATOMIC_VERSION_GUARD=$QUERY_GUARD
start query-2 query $Q2 CQRS_MONGO_ATOMIC_VERSION_GUARD=$QUERY_GUARD
wait_http $C2 /health; wait_ready $Q1; wait_ready $Q2
TOKEN=$(token)
COMMANDS=http://127.0.0.1:$C1,http://127.0.0.1:$C2

echo "== propagation at $PROPAGATION_RATE writes/s, 2 command + 2 query processes (${WARMUP_SECONDS}s warm-up, ${SECONDS_PER_RUN}s)"
# The warm-up runs in the measuring JVM too, so that its own JIT is done before the measured window, and the
# writes go on from it into the window without a pause.
bench_sampled $(( SECONDS_PER_RUN * 3 / 4 )) cluster-propagation command=$COMMANDS \
  query=http://127.0.0.1:$Q1,http://127.0.0.1:$Q2 token="$TOKEN" rate=$PROPAGATION_RATE warmUpLoadSeconds=$WARMUP_SECONDS \
  seconds=$SECONDS_PER_RUN ${SCRAPE_AT:+scrapeAtSeconds=$SCRAPE_AT} out="$WORK/propagation.json"
PROPAGATION_CPU=$MEASURED_CPU
echo "   CPU in % of one core at the end of the warm-up (jit: the share its compilers took): $PROPAGATION_CPU"
grep -v "^\[" "$WORK/cluster-propagation.out" | grep -E "^(measuring|propagation|arrivals|slow arrivals|of [0-9]+ (arrivals|books)|read every|command|commit|sent|batch|offset)"

if [ -n "${ONLY_PROPAGATION:-}" ]; then
  cat > "$OUT" <<JSON
{"date": "$STAMP", "warmUpSeconds": $WARMUP_SECONDS, "rate": $PROPAGATION_RATE, "serversJavaOptions": "${SERVERS_JAVA_OPTS:--Xmx4g}",
 "propagation": $(cat "$WORK/propagation.json"), "propagationCpuPercentOfOneCore": $PROPAGATION_CPU}
JSON
  echo "== results written to $OUT (ONLY_PROPAGATION set: the other phases skipped)"; exit 0
fi

echo "== failover: SIGKILL of the relay holder during 200 writes/s"
HOLDER=$(grep -l "now relays the outbox" "$WORK"/command-*.log | head -n 1 | xargs basename | sed 's/\.log$//')
SURVIVOR=$([ "$HOLDER" = command-1 ] && echo "http://127.0.0.1:$C2" || echo "http://127.0.0.1:$C1")
bench cluster-propagation command=$SURVIVOR query=http://127.0.0.1:$Q1 token="$TOKEN" rate=200 seconds=15 \
  out="$WORK/during-failover.json" &
LOAD=$!
sleep 5
kill -9 "${PIDS[$HOLDER]}"; KILLED=$(now_ms); unset "PIDS[$HOLDER]"
wait $LOAD
bench failover-gap "$KILLED" out="$WORK/failover.json"

# The fan-out target names one query process: query-2 leaves (query-1 takes its partitions) and the killed
# command process stays down, so this phase runs what bench/fanout.sh runs (servers + 1 command + 1 query).
# Beside the whole cluster on these 2 cores the other JVMs' work lands in the same tail (p99 297 ms against
# fanout.sh's 80 ms on 2026-11-27; docs/performance.md).
kill "${PIDS[query-2]}"; wait "${PIDS[query-2]}" 2>/dev/null || true; unset "PIDS[query-2]"
echo "== $FANOUT SSE streams on query-1 at 200 changes/s, one command and one query process (${SECONDS_PER_RUN}s)"
bench fanout command=$SURVIVOR query=http://127.0.0.1:$Q1 clients=$FANOUT queryPid="${PIDS[query-1]}" token="$TOKEN" \
  rate=200 warmUpLoadSeconds=$((WARMUP_SECONDS / 2)) seconds=$SECONDS_PER_RUN out="$WORK/fanout.json"
start query-2 query $Q2 CQRS_MONGO_ATOMIC_VERSION_GUARD=$QUERY_GUARD; wait_ready $Q2

echo "== GET by id: one query process, then two (wrk, 10 s each, 2 threads 32 connections per process)"
BID=$(curl -s "http://127.0.0.1:$Q1/api/books?limit=1" | sed -n 's/.*"bid":\([0-9]*\).*/\1/p' | head -n 1)
wrk_rate() { wrk -t2 -c32 -d10s "http://127.0.0.1:$1/api/books/$BID" | awk '/Requests\/sec/ {printf "%d", $2}'; }
wrk_rate $Q1 > /dev/null # warm-up
wrk_rate $Q2 > /dev/null # query-2 has just started again: its JIT is cold (2026-11-27: 1,693 req/s unwarmed)
ONE=$(wrk_rate $Q1)
wrk_rate $Q1 > "$WORK/two-a" & OTHER=$!
wrk_rate $Q2 > "$WORK/two-b"; wait $OTHER
TWO_A=$(cat "$WORK/two-a"); TWO_B=$(cat "$WORK/two-b"); TWO=$((TWO_A + TWO_B))
echo "   one query process: $ONE req/s; two: $TWO req/s ($TWO_A + $TWO_B)"

echo "== joining a current read model of $JOIN_BOOKS books"
bench fill "$JOIN_BOOKS" > /dev/null
kill "${PIDS[query-1]}" "${PIDS[query-2]}"; wait "${PIDS[query-1]}" "${PIDS[query-2]}" 2>/dev/null || true
unset "PIDS[query-1]" "PIDS[query-2]"
# One process copies alone into a fresh database (no atomic guard needed, as in the embedded launch) ...
JOIN_ENV=(CQRS_MONGO_DATABASE=join CQRS_KAFKA_GROUP_ID=join-$STAMP)
T0=$(now_ms); start query-1 query $Q1 "${JOIN_ENV[@]}" CQRS_MONGO_ATOMIC_VERSION_GUARD=false; wait_ready $Q1
COPY_S=$(awk -v a="$T0" -v b="$(now_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
COPIED=$(curl -s "http://127.0.0.1:$Q1/ready" | sed -n 's/.*"bootstrapCopied":\([0-9]*\).*/\1/p')
echo "   query-1 copied $COPIED books: start to ready ${COPY_S}s"
# ... and a second one joins it, three times (one start is one sample of a JVM start), each once the machine
# is quiet: right after a copy of 1M books the servers JVM and the copier go on collecting garbage for a while.
JOINS=(); MODES=()
for attempt in 1 2 3; do
  QUIET=$(wait_quiet 120)
  echo "   the machine was quiet after ${QUIET}s"
  T0=$(now_ms); start query-3 query $Q3 "${JOIN_ENV[@]}"; wait_ready $Q3
  JOINS+=("$(awk -v a="$T0" -v b="$(now_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }')")
  MODES+=("\"$(curl -s "http://127.0.0.1:$Q3/ready" | sed -n 's/.*"bootstrapMode":"\([a-z]*\)".*/\1/p')\"")
  echo "   query-3, start $attempt: bootstrapMode ${MODES[-1]}, start to ready ${JOINS[-1]}s;" \
    "$(grep -o 'joined it without a copy in [0-9]* ms' "$WORK/query-3.log" || echo 'no join logged')"
  kill "${PIDS[query-3]}"; wait "${PIDS[query-3]}" 2>/dev/null || true; unset "PIDS[query-3]"
done
JOIN_S=$(printf '%s\n' "${JOINS[@]}" | sort -n | sed -n 2p)
echo "   joining: median start to ready ${JOIN_S}s of ${JOINS[*]}"

cat > "$OUT" <<JSON
{
  "date": "$STAMP",
  "machine": "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1 | tr -d '"'); servers, 4-5 service JVMs and the load generator on the same cores",
  "secondsPerRun": $SECONDS_PER_RUN,
  "warmUpSeconds": $WARMUP_SECONDS,
  "atomicVersionGuard": $QUERY_GUARD,
  "propagation": $(cat "$WORK/propagation.json"),
  "propagationCpuPercentOfOneCore": $PROPAGATION_CPU,
  "duringFailover": $(cat "$WORK/during-failover.json"),
  "failover": $(cat "$WORK/failover.json"),
  "fanOutTopology": "servers + 1 command + 1 query process (the others stopped for this phase)",
  "fanOut": $(cat "$WORK/fanout.json"),
  "getById": {"oneQueryProcess": $ONE, "twoQueryProcesses": $TWO},
  "join": {"books": $COPIED, "copyStartToReadySeconds": $COPY_S, "joinModes": [$(IFS=,; echo "${MODES[*]}")],
           "joinStartToReadySeconds": [$(IFS=,; echo "${JOINS[*]}")], "medianJoinStartToReadySeconds": $JOIN_S}
}
JSON
echo "== results written to $OUT"
