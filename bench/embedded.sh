# Sourced by the bench scripts that measure one embedded launch (list-pages.sh, scrape-stall.sh): its fixed
# ports, checking they are free, and starting and stopping it. The script sets WORK (a folder for the launch's log).
Q=18080; C=18081; MYSQL=13306; KAFKA=19092; MONGO=17017
SYSTEM_PID=""

embedded_ports_free() { # $1 the calling script's name, for the message
  local port
  for port in $Q $C $MYSQL $KAFKA $MONGO; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "bench/$1: port $port is already in use; stop what runs there first" >&2; exit 1
    fi
  done
}

start_system() { # $1 launch jar (cqrs-books-embedded.jar beside it), $2 data folder, $3 heap (-Xmx)
  CQRS_DATA_DIR="$2" CQRS_QUERY_HTTP_PORT=$Q CQRS_COMMAND_HTTP_PORT=$C \
  CQRS_EMBEDDED_SERVERS_MYSQL_PORT=$MYSQL CQRS_EMBEDDED_SERVERS_KAFKA_PORT=$KAFKA CQRS_EMBEDDED_SERVERS_MONGO_PORT=$MONGO \
    java -Xms64m "-Xmx$3" -jar "$1" > "$WORK/system.log" 2>&1 &
  SYSTEM_PID=$!
  until curl -sf "http://127.0.0.1:$Q/ready" >/dev/null 2>&1; do
    kill -0 $SYSTEM_PID 2>/dev/null || { tail -n 40 "$WORK/system.log"; exit 1; }; sleep 0.2; done
}

stop_system() { kill "$SYSTEM_PID"; wait "$SYSTEM_PID" 2>/dev/null || true; SYSTEM_PID=""; }
