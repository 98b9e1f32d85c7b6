# Sourced by scripts/test.sh. The web view's tests drive Debian's chromium headless through
# Debian's chromedriver (the two packages come in matching versions): installed here when absent.
ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  echo "installing chromium and chromium-driver (Debian packages)"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver > /dev/null \
    || echo "could not install chromium and chromium-driver; the web view tests will fail" >&2
}
