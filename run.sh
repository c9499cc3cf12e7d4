#!/usr/bin/env bash
# cqrs-books, one command for each thing a newcomer does:
#   ./run.sh                 build if needed, then run everything on embedded servers (UI on :8080)
#   ./run.sh test            install what the tests need (Debian's chromium), then run every test
#   ./run.sh build           build the two jars only
#   ./run.sh command|query   run one role (any other arguments go to the jar, e.g. --conf file.json)
#   ./run.sh servers         only the embedded MariaDB, Kafka and MongoDB-wire servers, for several processes
#   ./run.sh soak [N] [SEED] the long fault-injection soak (default 100000 operations; CI runs 10000)
#   ./run.sh token [--admin] print a command token (books:write; --admin: books:admin), signed with the configured
#                            key or the embedded one in data/
#   ./run.sh admin ...       the query side's admin API: `admin rebuild`, `admin dead-letters list|show|retry|discard`
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/cqrs-books.jar
EMBEDDED_JAR=target/cqrs-books-embedded.jar
: "${JAVA_OPTS:=-Xms64m -Xmx768m}"

die() { echo "run.sh: $*" >&2; exit 1; }

check_prerequisites() {
  command -v java >/dev/null || die "Java 17 or newer is needed (java not found)"
  local java_major
  java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}')
  [ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed (found $java_major)"
  command -v mvn >/dev/null || die "Maven 3.8 or newer is needed (mvn not found)"
  command -v node >/dev/null || die "Node.js 20 or newer is needed to build the web UI (node not found)"
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (found $(node --version))"
  command -v npm >/dev/null || die "npm is needed to build the web UI"
}

needs_build() {
  [ -f "$JAR" ] && [ -f "$EMBEDDED_JAR" ] || return 0
  # Rebuild when any source, pom or default configuration is newer than the jar.
  [ -n "$(find pom.xml conf ./*/pom.xml ./*/src webroot/index.html webroot/package.json webroot/vite.config.js \
          -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]
}

build() {
  echo "run.sh: building (Maven, npm for the UI); the first build downloads dependencies..."
  mvn -B -q -DskipTests package
  echo "run.sh: built $JAR ($(du -h "$JAR" | cut -f1)) and $EMBEDDED_JAR ($(du -h "$EMBEDDED_JAR" | cut -f1))"
}

ensure_chromium() {
  command -v chromium >/dev/null && return 0
  echo "run.sh: installing Debian's chromium for the browser test..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null || die "chromium could not be installed"
}

command=${1:-run}
case "$command" in
  test)
    check_prerequisites
    ensure_chromium
    exec mvn -B verify
    ;;
  build)
    check_prerequisites
    build
    ;;
  soak)
    check_prerequisites
    exec mvn -B verify -pl system-tests -am -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dsoak.operations="${2:-100000}" ${3:+-Dsoak.seed="$3"}
    ;;
  token | admin)
    # Only the token (or the admin command's output) on standard output, so TOKEN=$(./run.sh token) works even when a build runs first.
    check_prerequisites
    if needs_build; then build >&2; fi
    exec java $JAVA_OPTS -jar "$JAR" "$@"
    ;;
  run | all | command | query | servers | -*)
    check_prerequisites
    if needs_build; then build; fi
    if [ "$command" = run ] && [ $# -gt 0 ]; then shift; fi
    # shellcheck disable=SC2086
    exec java $JAVA_OPTS -jar "$JAR" "$@"
    ;;
  *)
    die "unknown command '$command'; use ./run.sh [test|build|soak|command|query|servers|token|admin]"
    ;;
esac
