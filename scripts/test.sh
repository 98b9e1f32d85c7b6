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

# RabbitMQ for the notification tests: a private node of our own (see the sourced file).
# shellcheck source=scripts/lib/test-rabbitmq.sh
. "$root/scripts/lib/test-rabbitmq.sh"
start_rabbitmq

# Debian packages the tests drive, installed when absent.
# shellcheck source=scripts/lib/test-packages.sh
. "$root/scripts/lib/test-packages.sh"
ensure_package /usr/bin/vitrage python3-vitrageclient   # the real OpenStack client against the API
ensure_package /usr/bin/systemd-analyze systemd          # verifies the unit file
ensure_package /usr/lib/python3/dist-packages/oslo_config/iniparser.py python3-oslo.config   # config files read as oslo.config reads them

# Headless chromium and its driver for the web view's tests.
# shellcheck source=scripts/lib/test-chromium.sh
. "$root/scripts/lib/test-chromium.sh"
ensure_chromium

# Vitrage's own datasource values files for the values tests.
# shellcheck source=scripts/lib/test-vitrage-values.sh
. "$root/scripts/lib/test-vitrage-values.sh"
ensure_vitrage_values

if ! dotnet build PluginHost.sln -c "$configuration" --nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# One run per test project, each with its own TRX file, so no result file can overwrite another.
test_args() {
  local name
  name=$(basename "$1" .csproj)
  args=(test "$1" -c "$configuration" --no-build --nologo
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results")
}

# The host's tests (PluginHost.Tests) take longer than all the other projects together, and much of
# every project's time is spent waiting (timeouts, snapshot intervals, other processes), not computing;
# so the other projects run one after another beside them, in the background. That lane has a private
# RabbitMQ node of its own: its BrokerOutageTests stop and start their broker, which must not be the
# one the host's notification tests are using at that moment. Its console output is kept in a file
# and printed once the host's tests are done, so the two never interleave.
lane_log="$root/out/test-lane.log"
(
  started_services=()
  # Stopped early (see stop_lane): its broker is stopped on the way out. Not an EXIT trap: with one,
  # bash starts this lane's commands with SIGINT ignored, and the tests that send SIGINT to a process
  # they start would have to skip themselves.
  trap 'stop_services; exit 143' TERM
  # Never the other lane's broker, even when this one fails to start.
  unset PLUGINHOST_TEST_RABBITMQ PLUGINHOST_TEST_RABBITMQ_NODE
  start_rabbitmq
  lane_exit=0
  for project in tests/*.Tests/*.Tests.csproj; do
    [ "$(basename "$project" .csproj)" = PluginHost.Tests ] && continue
    test_args "$project"
    # In the foreground of this lane, for the same reason: a command put in the background starts with SIGINT ignored.
    dotnet "${args[@]}" || lane_exit=1
  done
  stop_services
  exit "$lane_exit"
) > "$lane_log" 2>&1 &
lane_pid=$!
# The script stopped early (interrupted, or a failed step): the lane's running command is stopped by
# its PID, then the lane itself, which stops its broker.
stop_lane() {
  if [ -n "${lane_pid:-}" ]; then
    kill "$lane_pid" 2> /dev/null
    pkill -TERM -P "$lane_pid" 2> /dev/null
    wait "$lane_pid" 2> /dev/null
    lane_pid=""
  fi
  stop_services
}
trap stop_lane EXIT

test_exit=0
test_args tests/PluginHost.Tests/PluginHost.Tests.csproj
dotnet "${args[@]}" || test_exit=1
wait "$lane_pid" || test_exit=1
lane_pid=""
cat "$lane_log"

passed=0 failed=0 skipped=0 total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(value total) p=$(value passed)
  f=$(( $(value failed) + $(value error) + $(value timeout) + $(value aborted) ))
  total=$((total + t))
  passed=$((passed + p))
  failed=$((failed + f))
  # Skipped tests: the xunit v3 logger counts them in total but not in executed, and leaves
  # notExecuted at 0, so they are what neither passed nor failed.
  skipped=$((skipped + t - p - f))
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
