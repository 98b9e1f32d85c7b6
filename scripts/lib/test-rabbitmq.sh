# Sourced by scripts/test.sh (and usable by hand: `. scripts/lib/test-rabbitmq.sh; start_rabbitmq`).
# RabbitMQ for the notification tests: installed from Debian's packages when absent, then a
# private node of our own is started (own node name, AMQP and distribution ports, data and log
# folders under a temporary folder) and stopped at the end by its PID. A broker the user runs
# (say a controller's production RabbitMQ) is never stopped, restarted or written to, even by the
# tests that restart their broker.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
start_rabbitmq() {
  if ! command -v rabbitmq-server > /dev/null 2>&1; then
    echo "installing rabbitmq-server (Debian package)"
    if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq rabbitmq-server > /dev/null \
      || { echo "could not install rabbitmq-server; the notification tests will fail" >&2; return 0; }
  fi
  rabbit_dir=$(mktemp -d /tmp/pluginhost-rabbitmq.XXXXXX)
  mkdir -p "$rabbit_dir/mnesia" "$rabbit_dir/log"
  echo "[]." > "$rabbit_dir/enabled_plugins"
  # As root, Debian's rabbitmq-server runs the node as the rabbitmq user: it must own its folder.
  [ "$(id -u)" -eq 0 ] && chown -R rabbitmq:rabbitmq "$rabbit_dir"
  # An Erlang port mapper of our own, on a port of our own (ERL_EPMD_PORT, which the node, rabbitmqctl
  # and the tests' rabbitmqctl inherit): the usual shared one on 4369 was stopped under our node by
  # another test run's clean-up (the node then failed with no_epmd_port), and stopping it ourselves
  # would pull it from under a user's own node. Ours is stopped by its PID at the end.
  export ERL_EPMD_PORT=$(free_port)
  epmd -port "$ERL_EPMD_PORT" -daemon
  epmd_pid=""
  for _ in $(seq 1 50); do
    epmd_pid=$(pgrep -f -x "(/usr/lib/erlang/erts-[^ ]*/bin/)?epmd -port $ERL_EPMD_PORT -daemon" || true)
    [ -n "$epmd_pid" ] && break
    sleep 0.1
  done
  export RABBITMQ_NODENAME="pluginhost-test-$BASHPID@localhost"
  export RABBITMQ_NODE_PORT=$(free_port) RABBITMQ_DIST_PORT=$(free_port)
  export RABBITMQ_MNESIA_BASE="$rabbit_dir/mnesia" RABBITMQ_LOG_BASE="$rabbit_dir/log" RABBITMQ_PID_FILE="$rabbit_dir/pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit_dir/enabled_plugins" RABBITMQ_FEATURE_FLAGS_FILE="$rabbit_dir/feature_flags"
  export ERL_CRASH_DUMP="$rabbit_dir/erl_crash.dump"
  echo "starting a private RabbitMQ node $RABBITMQ_NODENAME on 127.0.0.1:$RABBITMQ_NODE_PORT"
  (cd "$rabbit_dir" && rabbitmq-server -detached > /dev/null 2>&1)
  started_services+=(rabbitmq)
  for _ in $(seq 1 60); do
    if rabbitmqctl -n "$RABBITMQ_NODENAME" -q --timeout 60 await_startup > /dev/null 2>&1; then
      export PLUGINHOST_TEST_RABBITMQ="rabbit://guest:guest@127.0.0.1:$RABBITMQ_NODE_PORT/"
      export PLUGINHOST_TEST_RABBITMQ_NODE="$RABBITMQ_NODENAME"
      return 0
    fi
    sleep 1
  done
  echo "the private RabbitMQ node did not start; the notification tests will fail (logs: $rabbit_dir/log)" >&2
}
stop_rabbitmq() {
  echo "stopping the private RabbitMQ node $RABBITMQ_NODENAME"
  local pid
  pid=$(cat "$rabbit_dir/pid" 2> /dev/null || true)
  rabbitmqctl -n "$RABBITMQ_NODENAME" -q --timeout 30 stop > /dev/null 2>&1 || true
  if [ -n "$pid" ]; then
    for _ in $(seq 1 30); do kill -0 "$pid" 2> /dev/null || break; sleep 1; done
    kill -9 "$pid" 2> /dev/null || true
  fi
  # Our own port mapper, by its PID.
  [ -n "$epmd_pid" ] && kill "$epmd_pid" 2> /dev/null
  rm -rf "$rabbit_dir"
}
