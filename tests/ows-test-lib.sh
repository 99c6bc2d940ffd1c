# shellcheck shell=sh
# ows-test-lib.sh: the helpers the TAP shell tests share (sourced by test-tools.sh and test-app.sh).
# SPDX-License-Identifier: Apache-2.0
#
# Sourcing it defines functions only. A test then calls `plan N`, `isolate NAME`
# and, at its end, `end_plan`. Every wait has a deadline, every background
# process is killed on exit, and a failing check prints the tail of the logs
# that explain it as "# " lines. wait_status uses the test's $CTL.

# ---- TAP ----

N=0
BROKEN=

# plan COUNT: the TAP plan line; end_plan says when the count was not met.
plan ()
{
  PLAN=$1
  echo "1..$PLAN"
}

end_plan ()
{
  [ "$N" -eq "$PLAN" ] || echo "# planned $PLAN checks, ran $N"
}

pass ()
{
  N=$((N + 1))
  echo "ok $N - $1"
}

# fail DESCRIPTION [LOG...]: the tail of each log, as TAP comments.
fail ()
{
  N=$((N + 1))
  echo "not ok $N - $1"
  shift
  for log in "$@"; do
    echo "# --- $(basename "$log"):"
    if [ -s "$log" ]; then
      tail -n 15 "$log" | sed 's/^/#   /'
    else
      echo "#   (empty)"
    fi
  done
}

skip ()
{
  N=$((N + 1))
  echo "ok $N - $1 # SKIP $2"
}

# check DESCRIPTION RESULT [LOG...]: RESULT is the status of the test just run.
check ()
{
  desc=$1
  result=$2
  shift 2
  if [ "$result" -eq 0 ]; then pass "$desc"; else fail "$desc" "$@"; fi
}

# ---- a private directory and configuration ----

# isolate NAME: $TMP, removed on exit with every background process still
# running. No file of the machine's OVOS installation may leak in, and none
# may be written.
isolate ()
{
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/ows-test-$1.XXXXXX") || exit 1
  export XDG_CONFIG_HOME="$TMP/config"
  export XDG_CONFIG_DIRS="$TMP/xdg"
  export XDG_DATA_HOME="$TMP/data"
  export XDG_CACHE_HOME="$TMP/cache"
  export XDG_STATE_HOME="$TMP/state"
  export MYCROFT_SYSTEM_CONFIG="$TMP/system/mycroft.conf"
  export OVOS_DISTRIBUTION_CONFIG="$TMP/distribution/mycroft.conf"
  export HOME="$TMP/home"
  # GIO's "base" monitor always reports a network, so the verdict is our probe's
  # alone, whatever the build machine's routes say.
  export GIO_USE_NETWORK_MONITOR=base
  mkdir -p "$XDG_CONFIG_HOME/mycroft" "$XDG_CONFIG_DIRS" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" \
    "$XDG_STATE_HOME" "$HOME" "$TMP/www" "$TMP/run"
  trap cleanup EXIT
  trap 'exit 1' INT TERM HUP
}

cleanup ()
{
  for pidfile in "$TMP"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    [ -f "${pidfile%.pid}.rc" ] || kill -TERM "$(cat "$pidfile")" 2>/dev/null
  done
  sleep 0.3
  for pidfile in "$TMP"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    [ -f "${pidfile%.pid}.rc" ] || kill -KILL "$(cat "$pidfile")" 2>/dev/null
  done
  rm -rf "$TMP"
}

# write_config BUS_PORT HTTP_PORT: mycroft.conf with the bus on loopback, and a
# connectivity probe that answers "online" from loopback (served from $TMP/www
# on HTTP_PORT), so that the watchdog never launches setup by itself and never
# depends on the build machine's internet.
write_config ()
{
  printf 'NetworkManager is online\n' >"$TMP/www/check_network_status.txt"
  cat >"$XDG_CONFIG_HOME/mycroft/mycroft.conf" <<EOF
{
  "websocket": {"host": "127.0.0.1", "port": $1, "route": "/core", "ssl": false},
  "network_tests": {
    "captive_portal_url": "http://127.0.0.1:$2/check_network_status.txt",
    "captive_portal_text": "NetworkManager is online",
    "web_url": "http://127.0.0.1:$2/check_network_status.txt",
    "web_url_secondary": "http://127.0.0.1:$2/check_network_status.txt"
  },
  "PHAL": {
    "ovos-PHAL-plugin-wifi-setup": {
      "first_boot": false,
      "enable_watchdog": true,
      "grace_period": 3600,
      "time_between_checks": 3600
    }
  }
}
EOF
}

# ---- processes and logs ----

free_port ()
{
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME COMMAND...: run in the background; output in run/NAME.log, pid in
# run/NAME.pid, exit status in run/NAME.rc once it has exited. The pid is the
# command's own (env and exec() keep it).
start ()
{
  name=$1
  shift
  rm -f "$TMP/run/$name.pid" "$TMP/run/$name.rc"
  (
    "$@" >"$TMP/run/$name.log" 2>"$TMP/run/$name.err" &
    echo $! >"$TMP/run/$name.pid.tmp"
    mv "$TMP/run/$name.pid.tmp" "$TMP/run/$name.pid"
    wait $!
    echo $? >"$TMP/run/$name.rc.tmp"
    mv "$TMP/run/$name.rc.tmp" "$TMP/run/$name.rc"
  ) >/dev/null 2>&1 &
  i=0
  while [ ! -f "$TMP/run/$name.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

pid_of () { cat "$TMP/run/$1.pid" 2>/dev/null; }
log_of () { echo "$TMP/run/$1.log"; }
err_of () { echo "$TMP/run/$1.err"; }
running () { [ -f "$TMP/run/$1.pid" ] && [ ! -f "$TMP/run/$1.rc" ]; }

# exited NAME TENTHS: succeeds once NAME has exited, fails at the deadline.
exited ()
{
  i=0
  while [ ! -f "$TMP/run/$1.rc" ]; do
    [ $i -ge "$2" ] && return 1
    sleep 0.1
    i=$((i + 1))
  done
}

rc_of () { cat "$TMP/run/$1.rc" 2>/dev/null || echo none; }

# find_line FILE ERE [AFTER]: number of the first matching line after line AFTER.
find_line ()
{
  grep -n -E -e "$2" "$1" 2>/dev/null | awk -F: -v after="${3:-0}" '$1 > after { print $1; exit }'
}

# count_lines FILE ERE [AFTER]: how many lines after line AFTER match.
count_lines ()
{
  grep -n -E -e "$2" "$1" 2>/dev/null | awk -F: -v after="${3:-0}" '$1 > after { n++ } END { print n + 0 }'
}

# wait_line FILE ERE [AFTER]: as find_line, waiting up to 10 s for it (less
# once $BROKEN says what the rest of the test cannot get).
wait_line ()
{
  i=0
  while [ $i -lt 100 ]; do
    line=$(find_line "$@")
    if [ -n "$line" ]; then
      echo "$line"
      return 0
    fi
    [ -n "$BROKEN" ] && return 1
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

line_count () { wc -l <"$1" | tr -d ' '; }

# run NAME COMMAND...: run in the foreground with a hard deadline of $LIMIT
# seconds (20 unless set); output in run/NAME.out and run/NAME.err, exit
# status in $RC (124 at the deadline).
run ()
{
  name=$1
  shift
  timeout "${LIMIT:-20}" "$@" >"$TMP/run/$name.out" 2>"$TMP/run/$name.err"
  RC=$?
}

out_of () { echo "$TMP/run/$1.out"; }

# registered_id CLIENT LOG: the id the demo client CLIENT was registered with.
registered_id ()
{
  sed -n "s/^$1: registered as \([A-Za-z0-9]*\)\$/\1/p" "$2" | tail -n 1
}

# wait_status NAME URL: $CTL status until it answers (RC 0), for up to 10 s or
# until the background process NAME exits; output in run/status-NAME.out.
# wait_http URL: until a web server answers there, 5 s at most.
wait_http ()
{
  python3 - "$1" <<'EOF_PY'
import sys, time, urllib.request
for _ in range(50):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF_PY
}

# wait_connectivity NAME BUS_URL STATE: until ctl status (out_of
# connectivity-NAME) shows the watchdog's verdict STATE, 10 s at most.
wait_connectivity ()
{
  i=0
  while [ $i -lt 50 ] && running "$1"; do
    run "connectivity-$1" "$CTL" --bus "$2" --timeout 2 status
    grep -q "^Connectivity: *$3\$" "$(out_of "connectivity-$1")" && return 0
    sleep 0.2
    i=$((i + 1))
  done
  return 1
}

wait_status ()
{
  i=0
  RC=1
  while [ $i -lt 20 ] && running "$1"; do
    run "status-$1" "$CTL" --bus "$2" --timeout 2 status
    [ "$RC" -eq 0 ] && return 0
    sleep 0.5
    i=$((i + 1))
  done
  return 1
}
