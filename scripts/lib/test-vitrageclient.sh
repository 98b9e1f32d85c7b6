# Sourced by scripts/test.sh. The API tests run the real OpenStack client (python3-vitrageclient,
# Debian's package, run with the system Python) against the host: installed here when absent.
ensure_vitrageclient() {
  if [ -x /usr/bin/vitrage ]; then
    return 0
  fi
  echo "installing python3-vitrageclient (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-vitrageclient > /dev/null \
    || echo "could not install python3-vitrageclient; the vitrage client tests will fail" >&2
}
