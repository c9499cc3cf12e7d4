# Shared by the benchmarks that run each process in its own JVM (cluster.sh, fanout.sh); sourced, not run.
# The script sets NAME (its results' prefix) and calls, in order: ports_free PORT..., build, start_servers,
# then start NAME ROLE PORT [ENV...] per process. Processes are stopped and WORK removed on exit.
MYSQL=13306; KAFKA=19092; MONGO=17017
WORK=$(mktemp -d "/tmp/cqrs-books-$NAME-bench.XXXXXX")
RESULTS=bench/results; mkdir -p "$RESULTS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
OUT="$RESULTS/$NAME-$STAMP.json"
SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48)
declare -A PIDS=()

cleanup() {
  for name in "${!PIDS[@]}"; do kill "${PIDS[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_http() { until curl -s -o /dev/null "http://127.0.0.1:$1$2" 2>/dev/null; do sleep 0.05; done; }
wait_ready() { until curl -sf "http://127.0.0.1:$1/ready" >/dev/null 2>&1; do sleep 0.05; done; }
bench() { java -Xmx2g -jar target/cqrs-books-bench.jar "$@" mysqlPort=$MYSQL mongo=mongodb://127.0.0.1:$MONGO; }

ports_free() { # port...
  local port
  for port in "$@" $MYSQL $KAFKA $MONGO; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "bench/$NAME.sh: port $port is already in use; stop what runs there first" >&2; exit 1
    fi
  done
}

build() {
  echo "== building (mvn -Pbench package)"
  mvn -B -q -DskipTests -Pbench package
}

# The equivalent of ./run.sh servers; then the environment every process needs to attach to it.
start_servers() {
  # shellcheck disable=SC2086 # SERVERS_JAVA_OPTS holds several options
  CQRS_DATA_DIR="$WORK/data" CQRS_EMBEDDED_SERVERS_MYSQL_PORT=$MYSQL CQRS_EMBEDDED_SERVERS_KAFKA_PORT=$KAFKA \
  CQRS_EMBEDDED_SERVERS_MONGO_PORT=$MONGO java ${SERVERS_JAVA_OPTS:--Xmx4g} -jar target/cqrs-books.jar servers > "$WORK/servers.log" 2>&1 &
  PIDS[servers]=$!
  until [ -f "$WORK/data/servers.env" ]; do sleep 0.2; done
  # shellcheck disable=SC1091
  . "$WORK/data/servers.env"
  export CQRS_AUTH_JWT_SECRET=$SECRET
}

start() { # name role port [extra env...]
  local name=$1 role=$2 port=$3; shift 3
  env "$@" "CQRS_$(echo "$role" | tr a-z A-Z)_HTTP_PORT=$port" java -Xms64m -Xmx768m -jar target/cqrs-books.jar "$role" \
    > "$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # CPU time used so far (utime + stime, in clock ticks)
# CPU a JVM's JIT compiler threads have used so far, in clock ticks (0 for a process that is not a JVM).
# Their names hold one space, which moves utime and stime one field to the right.
jit_ticks() { cat /proc/"$1"/task/*/stat 2>/dev/null | awk '/\(C[12] CompilerThre\)/ {t += $15 + $16} END {print t + 0}'; }

# The run's processes by name, mariadbd among them, in the associative array RUN_PIDS.
collect_pids() {
  local name
  declare -gA RUN_PIDS=()
  for name in "${!PIDS[@]}"; do RUN_PIDS[$name]=${PIDS[$name]}; done
  RUN_PIDS[mariadbd]=$(pgrep -f "$WORK/data/mariadb" | head -n 1)
}

# CPU of each process (and mariadbd) over $1 seconds, in % of one core; for each, also the part its JIT
# compiler threads took ("jit"): a JVM still compiling its hot paths is not at steady state yet.
cpu_percent() {
  local seconds=$1 hz name out=""; hz=$(getconf CLK_TCK)
  declare -A before=() jit=()
  collect_pids
  for name in "${!RUN_PIDS[@]}"; do before[$name]=$(ticks "${RUN_PIDS[$name]}"); jit[$name]=$(jit_ticks "${RUN_PIDS[$name]}"); done
  sleep "$seconds"
  for name in "${!RUN_PIDS[@]}"; do
    out="$out${out:+, }\"$name\": {\"cpu\": $(( ($(ticks "${RUN_PIDS[$name]}") - before[$name]) * 100 / hz / seconds )),"
    out="$out \"jit\": $(( ($(jit_ticks "${RUN_PIDS[$name]}") - jit[$name]) * 100 / hz / seconds ))}"
  done
  echo "{$out}"
}

# Runs `bench MODE ARGS...` in the background (its output in $WORK/MODE.out) and samples every process's CPU
# (the bench JVM's too) for $1 s into MEASURED_CPU, then waits for it. The sample is taken in the last part of
# the warm-up (WARMUP_SECONDS, which must be the bench's warm-up), ending 8 s before the measured window:
# reading every thread's /proc/<pid>/task/*/stat of seven processes is a burst of CPU on cores already 85%
# busy, and a sample taken inside the window put a bunch of slow arrivals into it. The warm-up runs the same
# load, so its last seconds cost what the window costs. Without a warm-up that long, the sample starts 1 s
# into the window.
bench_sampled() {
  local seconds=$1 mode=$2 load marker="^warm-up" delay; shift
  delay=$(( ${WARMUP_SECONDS:-0} - seconds - 8 ))
  if [ "$delay" -lt 0 ]; then marker="^measuring"; delay=1; fi
  bench "$@" > "$WORK/$mode.out" 2>&1 &
  load=$!
  until grep -q "$marker" "$WORK/$mode.out" || ! kill -0 $load 2>/dev/null; do sleep 0.5; done
  PIDS[bench]=$(pgrep -n -f "^java.*cqrs-books-bench.jar $mode")
  sleep "$delay"
  MEASURED_CPU=$(cpu_percent "$seconds")
  wait $load
  unset 'PIDS[bench]'
}

# Waits (at most $1 seconds) until every process of the run together uses under 30% of one core over
# 2 s, so that a measurement of one start is not one of what the machine still does after the phase before.
wait_quiet() {
  local limit=$1 waited=0 hz before now name; hz=$(getconf CLK_TCK)
  collect_pids
  while [ "$waited" -lt "$limit" ]; do
    before=0; for name in "${!RUN_PIDS[@]}"; do before=$((before + $(ticks "${RUN_PIDS[$name]}"))); done
    sleep 2; waited=$((waited + 2))
    now=0; for name in "${!RUN_PIDS[@]}"; do now=$((now + $(ticks "${RUN_PIDS[$name]}"))); done
    [ $(( (now - before) * 100 / hz / 2 )) -lt 30 ] && break
  done
  echo "$waited"
}

token() { java -jar target/cqrs-books.jar token 2>/dev/null | tail -n 1; }
