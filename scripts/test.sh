#!/usr/bin/env bash
# Runs every test of the solution, the README's test command and what CI runs.
# Builds in Release, starts the services the tests need (and stops what it started),
# runs all test projects, and ends with the plain line "N passed, N failed[, N skipped]"
# counted from the TRX results. Exits non-zero when a test failed or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/out/test-results"
configuration=${CONFIGURATION:-Release}
rm -rf "$results"
mkdir -p "$results"

started_services=()
stop_services() {
  for service in "${started_services[@]}"; do
    "stop_$service" || true
  done
}
trap stop_services EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# RabbitMQ for the notification tests: installed from Debian's packages when absent, started
# here unless one already answers, and stopped at the end only if this script started it.
start_rabbitmq() {
  if ! command -v rabbitmq-server > /dev/null 2>&1; then
    echo "installing rabbitmq-server (Debian package)"
    if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq rabbitmq-server > /dev/null \
      || { echo "could not install rabbitmq-server; the notification tests will fail" >&2; return 0; }
  fi
  if rabbitmqctl -q status > /dev/null 2>&1; then
    echo "using the RabbitMQ that is already running"
    return 0
  fi
  echo "starting rabbitmq-server"
  rabbitmq-server -detached > /dev/null 2>&1
  started_services+=(rabbitmq)
  # await_startup fails at once while the node is not registered yet: ask again until it answers.
  for _ in $(seq 1 45); do
    if rabbitmqctl -q --timeout 60 await_startup > /dev/null 2>&1; then
      return 0
    fi
    sleep 2
  done
  echo "rabbitmq-server did not start; the notification tests will fail" >&2
}
stop_rabbitmq() {
  echo "stopping rabbitmq-server"
  rabbitmqctl -q stop > /dev/null 2>&1
  # rabbitmq-server -detached also started the Erlang port mapper; stop it by its PID.
  for pid in $(pgrep -x epmd); do kill "$pid" 2> /dev/null; done
}
start_rabbitmq
export PLUGINHOST_TEST_RABBITMQ="rabbit://guest:guest@127.0.0.1:5672/"

if ! dotnet build PluginHost.sln -c "$configuration" --nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# One run per test project, each with its own TRX file, so no result file can overwrite another.
test_exit=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c "$configuration" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" \
    || test_exit=1
done

passed=0 failed=0 skipped=0 total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(value total)))
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
if [ "$total" -eq 0 ] || [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
if [ "$failed" -gt 0 ] || [ "$test_exit" -ne 0 ]; then
  exit 1
fi
exit 0
