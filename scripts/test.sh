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
