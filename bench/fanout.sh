#!/usr/bin/env bash
# SSE fan-out alone: ./bench/fanout.sh [STREAMS] [SECONDS]
# One `servers` process, one command and one query process (each its own JVM), then STREAMS (default
# 1000) SSE streams on the query process while writes go at 200/s for SECONDS (default 20), right after a
# warm-up of the same shape on the same streams (WARMUP_SECONDS, default 360; no pause between the two).
# Reports each change's delivery time on every stream (POST answer -> frame read), the query process's
# memory per open stream (RSS before and after they open), and each process's CPU at the end of the warm-up
# (the same load; a sample inside the window disturbs it). Writes bench/results/fanout-<date>.json.
# The same measurement as the fan-out phase of bench/cluster.sh, without the other phases (minutes, not 20).
set -euo pipefail
cd "$(dirname "$0")/.."

STREAMS=${1:-1000}; SECONDS_PER_RUN=${2:-20}
# The JVMs JIT-compile their hot paths for minutes after start (about 6 on these 2 cores, see cluster.sh):
# the warm-up runs the same load long enough for that to settle.
WARMUP_SECONDS=${WARMUP_SECONDS:-360}
C1=18081; Q1=18080
NAME=fanout
# shellcheck source=bench/processes.sh
. bench/processes.sh

ports_free $C1 $Q1
build

echo "== servers, one command and one query process"
start_servers
start command command $C1
start query query $Q1
wait_http $C1 /health; wait_ready $Q1
TOKEN=$(token)

echo "== $STREAMS streams, 200 writes/s, ${WARMUP_SECONDS}s of warm-up (in the measuring JVM), then ${SECONDS_PER_RUN}s"
bench_sampled $(( SECONDS_PER_RUN / 2 )) fanout command=http://127.0.0.1:$C1 \
  query=http://127.0.0.1:$Q1 clients="$STREAMS" queryPid="${PIDS[query]}" token="$TOKEN" rate=200 \
  warmUpLoadSeconds="$WARMUP_SECONDS" seconds="$SECONDS_PER_RUN" out="$WORK/fanout.json"
CPU=$MEASURED_CPU
grep -E "streams open|propagation at|RSS after" "$WORK/fanout.out"
echo "CPU in % of one core, end of the warm-up (the load generator is 'bench'; jit: its compiler threads): $CPU"

cat > "$OUT" <<JSON
{
  "date": "$STAMP",
  "commit": "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')",
  "machine": "$(nproc) cores, $(java -version 2>&1 | head -n 1 | tr -d '"'); load generator on the same cores",
  "topology": "servers + 1 command + 1 query process",
  "warmUpSeconds": $WARMUP_SECONDS,
  "cpuPercentOfOneCore": $CPU,
  "fanOut": $(cat "$WORK/fanout.json")
}
JSON
echo "== written to $OUT"
