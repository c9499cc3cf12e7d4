#!/usr/bin/env bash
# What the embedded launch costs doing nothing: ./bench/idle-cpu.sh [seconds]
# Starts target/cqrs-books.jar as ./run.sh does (fresh data folder, ports 28080/28081), waits for /ready and
# 20 s more, then reads the CPU time (utime + stime from /proc) of the JVM and of mariadbd over the window and
# prints each as % of one core. Extra configuration comes from the environment, e.g.
#   CQRS_COMMAND_OUTBOX_POLL_MILLIS=1000 ./bench/idle-cpu.sh
# Writes bench/results/idle-cpu-<date>.json. Needs the jars (./run.sh build).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_IDLE=${1:-60}
TICK=$(getconf CLK_TCK)
RESULTS=bench/results; mkdir -p "$RESULTS"
OUT="$RESULTS/idle-cpu-$(date -u +%Y-%m-%dT%H%M%SZ).json"
[ -f target/cqrs-books.jar ] || ./run.sh build

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
percent() { echo $(( ($2 - $1) * 1000 / TICK / SECONDS_IDLE )) | awk '{printf "%.1f", $1 / 10}'; }

data=$(mktemp -d /var/tmp/cqrs-idle.XXXXXX)
CQRS_DATA_DIR=$data CQRS_QUERY_HTTP_PORT=28080 CQRS_COMMAND_HTTP_PORT=28081 \
  java ${JAVA_OPTS:--Xms64m -Xmx768m} -jar target/cqrs-books.jar > "$data/app.log" 2>&1 &
app=$!
trap 'kill -TERM $app 2>/dev/null; wait $app 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf localhost:28080/ready >/dev/null && break; sleep 1; done
curl -sf localhost:28080/ready >/dev/null || { echo "bench/idle-cpu.sh: not ready; see $data/app.log" >&2; exit 1; }
sleep 20
mariadb=$(pgrep -f "mariadbd.*$data")
java_before=$(cpu_ticks $app); db_before=$(cpu_ticks "$mariadb")
sleep "$SECONDS_IDLE"
java_after=$(cpu_ticks $app); db_after=$(cpu_ticks "$mariadb")
java_pct=$(percent "$java_before" "$java_after"); db_pct=$(percent "$db_before" "$db_after")
poll=${CQRS_COMMAND_OUTBOX_POLL_MILLIS:-default}
echo "idle ${SECONDS_IDLE} s (outboxPollMillis: $poll): JVM ${java_pct}% of one core, mariadbd ${db_pct}%"
printf '{"seconds": %s, "outboxPollMillis": "%s", "jvmPercentOfOneCore": %s, "mariadbdPercentOfOneCore": %s}\n' \
  "$SECONDS_IDLE" "$poll" "$java_pct" "$db_pct" > "$OUT"
echo "written: $OUT"
