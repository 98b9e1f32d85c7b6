# Sourced by scripts/test.sh: the Debian packages the tests drive (the vitrage client, systemd's
# systemd-analyze, ...) are installed when absent, with one apt-get update for all of them.
apt_updated=0
ensure_package() {
  local file=$1 package=$2
  if [ -e "$file" ]; then
    return 0
  fi
  echo "installing $package (Debian package) for the tests"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  if [ "$apt_updated" -eq 0 ]; then
    $sudo_cmd apt-get update -qq > /dev/null && apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$package" > /dev/null \
    || echo "could not install $package; the tests that need $file will fail" >&2
}
