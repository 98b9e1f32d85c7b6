# Sourced by scripts/test.sh. The datasource values tests parse the real files Vitrage ships
# (Debian's vitrage-common, /etc/vitrage/datasources_values): the package is downloaded and
# unpacked into out/, never installed (installing it would create /etc/vitrage on this machine).
ensure_vitrage_values() {
  local target="$root/out/vitrage-common"
  local values="$target/etc/vitrage/datasources_values"
  if [ ! -f "$values/default.yaml" ]; then
    echo "unpacking Vitrage's datasource values files (Debian package vitrage-common)"
    rm -rf "$target" && mkdir -p "$target/deb"
    if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    { [ -n "$(ls /var/lib/apt/lists/*_Packages 2>/dev/null)" ] || $sudo_cmd apt-get update -qq > /dev/null; } \
      && (cd "$target/deb" && apt-get download -qq vitrage-common > /dev/null 2>&1) \
      && dpkg-deb -x "$target"/deb/vitrage-common_*.deb "$target" \
      || echo "could not unpack vitrage-common; the datasource values tests will fail" >&2
  fi
  export PLUGINHOST_TEST_VITRAGE_VALUES="$values"
}
