#!/usr/bin/env bash
# What a scrape of /metrics does to the requests beside it: ./bench/scrape-stall.sh [JAR] [SCRAPES_PER_SECOND]
# Starts JAR (default target/cqrs-books.jar) on its embedded defaults, creates 200 books, warms the query
# side's first page up with wrk, then measures it with wrk (1 thread, 4 connections, 20 s) in two rounds, each
# without scrapes and then while a client reads the query side's /metrics SCRAPES_PER_SECOND times a second
# (default 20: far more often than Prometheus's 15 s, so that a window holds hundreds of scrapes). Prints the
# latency distributions and writes bench/results/scrape-stall-<date>.json. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${1:-target/cqrs-books.jar}
RATE=${2:-20}
# shellcheck source=bench/embedded.sh
. bench/embedded.sh
WORK=$(mktemp -d /tmp/cqrs-books-scrape.XXXXXX)
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/scrape-stall-$STAMP.json"
SCRAPER_PID=""

cleanup() {
  [ -n "$SCRAPER_PID" ] && kill "$SCRAPER_PID" 2>/dev/null || true
  [ -n "$SYSTEM_PID" ] && kill "$SYSTEM_PID" 2>/dev/null && wait "$SYSTEM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

embedded_ports_free scrape-stall.sh
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } || true
command -v wrk >/dev/null || { echo "bench/scrape-stall.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "bench/scrape-stall.sh: $JAR not found (./run.sh build)" >&2; exit 1; }

mkdir -p "$WORK/data"
start_system "$JAR" "$WORK/data" 768m
TOKEN=$(curl -sf "http://127.0.0.1:$Q/api/config" | sed -n 's/.*"commandToken":"\([^"]*\)".*/\1/p')
for i in $(seq 1 200); do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"title\":\"Scrape book $i\",\"author\":\"Author $i\",\"category\":\"category-$((i % 20))\",\"pages\":100,\"price\":1000}" \
    "http://127.0.0.1:$C/api/books"
done
URL="http://127.0.0.1:$Q/api/books?limit=20"
# Warm both paths up: the page, and the scrape.
wrk -t1 -c4 -d20s "$URL" > /dev/null
for i in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$Q/metrics"; done

measure() { # $1 name: one wrk run, its latency percentiles as JSON
  wrk -t1 -c4 -d20s --latency -s /dev/stdin "$URL" > "$WORK/$1.txt" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests":%d,"p50Millis":%.3f,"p99Millis":%.3f,"p999Millis":%.3f,"maxMillis":%.3f}\n',
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000))
end
LUA
  sed -n 's/^RESULT //p' "$WORK/$1.txt"
}

scraping() { ( while true; do curl -sf -o /dev/null "http://127.0.0.1:$Q/metrics"; sleep "$(awk "BEGIN {print 1 / $RATE}")"; done ) & SCRAPER_PID=$!; }
# Two rounds, each without and then with scrapes, so that a launch still speeding up does not favour one side.
ROUNDS=""
for round in 1 2; do
  QUIET=$(measure "quiet-$round")
  echo "round $round, without scrapes:         $QUIET"
  scraping
  SCRAPED=$(measure "scraped-$round")
  kill "$SCRAPER_PID"; SCRAPER_PID=""
  echo "round $round, $RATE scrapes a second: $SCRAPED"
  ROUNDS="$ROUNDS${ROUNDS:+,}{\"withoutScrapes\": $QUIET, \"withScrapes\": $SCRAPED}"
done
SCRAPE_MS=$(for i in $(seq 1 20); do curl -sf -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$Q/metrics"; done \
  | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int(NR / 2) + 1] * 1000}')
echo "one scrape alone, median of 20: $SCRAPE_MS ms"

cat > "$OUT" <<JSON
{"date": "$STAMP", "jar": "$JAR", "machine": "$(nproc) cores, $(java -version 2>&1 | head -n 1 | tr -d '"')",
 "request": "GET /api/books?limit=20, wrk -t1 -c4 -d20s", "scrapesPerSecond": $RATE,
 "rounds": [$ROUNDS], "scrapeAloneMedianMillis": $SCRAPE_MS}
JSON
echo "== results written to $OUT"
