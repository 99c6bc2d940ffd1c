#!/bin/sh
# test-tools.sh: ovos-wifi-setup-ctl and ovos-wifi-demo-client against a real headless manager (TAP).
# SPDX-License-Identifier: Apache-2.0
#
# Usage: test-tools.sh BUILD_ROOT
# Every wait has a deadline, every background process is killed on exit, and a
# failing check prints the tail of the logs that explain it as "# " lines.
set -u

BUILD=${1:?usage: test-tools.sh BUILD_ROOT}
MANAGER=$BUILD/src/ovos-wifi-setup
CTL=$BUILD/src/tools/ovos-wifi-setup-ctl
DEMO=$BUILD/src/tools/ovos-wifi-demo-client
P=ovos.phal.wifi.plugin

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ows-test-tools.XXXXXX") || exit 1

# No file of the machine's OVOS installation may leak in, and none may be written.
export XDG_CONFIG_HOME="$TMP/config"
export XDG_CONFIG_DIRS="$TMP/xdg"
export MYCROFT_SYSTEM_CONFIG="$TMP/system/mycroft.conf"
export OVOS_DISTRIBUTION_CONFIG="$TMP/distribution/mycroft.conf"
export HOME="$TMP/home"
# GIO's "base" monitor always reports a network, so the verdict is our probe's
# alone, whatever the build machine's routes say.
export GIO_USE_NETWORK_MONITOR=base
mkdir -p "$XDG_CONFIG_HOME/mycroft" "$XDG_CONFIG_DIRS" "$HOME" "$TMP/www" "$TMP/run"

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
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- TAP ----

N=0
BROKEN=

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

# check DESCRIPTION RESULT [LOG...]: RESULT is the status of the test just run.
check ()
{
  desc=$1
  result=$2
  shift 2
  if [ "$result" -eq 0 ]; then pass "$desc"; else fail "$desc" "$@"; fi
}

# ---- processes and logs ----

free_port ()
{
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME COMMAND...: run in the background; output in run/NAME.log, pid in
# run/NAME.pid, exit status in run/NAME.rc once it has exited.
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

# wait_line FILE ERE [AFTER]: as find_line, waiting up to 10 s for it.
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

# run NAME COMMAND...: run in the foreground with a hard deadline; output in
# run/NAME.out and run/NAME.err, exit status in $RC.
run ()
{
  name=$1
  shift
  timeout 20 "$@" >"$TMP/run/$name.out" 2>"$TMP/run/$name.err"
  RC=$?
}

out_of () { echo "$TMP/run/$1.out"; }

registered_id ()
{
  sed -n "s/^$1: registered as \([A-Za-z0-9]*\)\$/\1/p" "$2" | tail -n 1
}

echo "1..31"

PORT=$(free_port)
DEAD_PORT=$(free_port)
HTTP_PORT=$(free_port)
URL="ws://127.0.0.1:$PORT/core"
DEAD_URL="ws://127.0.0.1:$DEAD_PORT/core"

# The connectivity probe answers "online" from loopback, so the watchdog never
# launches setup by itself and never depends on the build machine's internet.
printf 'NetworkManager is online\n' >"$TMP/www/check_network_status.txt"
cat >"$XDG_CONFIG_HOME/mycroft/mycroft.conf" <<EOF
{
  "websocket": {"host": "127.0.0.1", "port": $PORT, "route": "/core", "ssl": false},
  "network_tests": {
    "captive_portal_url": "http://127.0.0.1:$HTTP_PORT/check_network_status.txt",
    "captive_portal_text": "NetworkManager is online",
    "web_url": "http://127.0.0.1:$HTTP_PORT/check_network_status.txt",
    "web_url_secondary": "http://127.0.0.1:$HTTP_PORT/check_network_status.txt"
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

# ---- without a manager ----

run dead "$CTL" --bus "$DEAD_URL" --timeout 3 status
check "ctl status exits 1 when nothing listens on the bus port (got $RC)" \
  "$([ "$RC" -eq 1 ]; echo $?)" "$(err_of dead)"
grep -q "ovos-wifi-setup-ctl: cannot reach the messagebus at $DEAD_URL: " "$(err_of dead)"
check "ctl explains that it cannot reach the messagebus" $? "$(err_of dead)"

run badjson "$CTL" --bus "$DEAD_URL" send "$P.status" 'not json'
check "ctl send with data that is not JSON exits 2 (got $RC)" \
  "$([ "$RC" -eq 2 ] && [ -s "$(err_of badjson)" ]; echo $?)" "$(err_of badjson)"

run notobject "$CTL" --bus "$DEAD_URL" send "$P.status" '[1, 2]'
check "ctl send with JSON that is not an object exits 2 (got $RC)" \
  "$([ "$RC" -eq 2 ] && grep -q object "$(err_of notobject)"; echo $?)" "$(err_of notobject)"

run unknown "$CTL" --bus "$DEAD_URL" frobnicate
check "ctl with an unknown command exits 2 with its usage (got $RC)" \
  "$([ "$RC" -eq 2 ] && grep -q "unknown command" "$(err_of unknown)" \
     && grep -q "Usage:" "$(err_of unknown)"; echo $?)" "$(err_of unknown)"

run help "$CTL" --help
result=$([ "$RC" -eq 0 ] || exit 1
         for word in status clients monitor send setup "Exit status" "usage error"; do
           grep -q "$word" "$(out_of help)" || exit 1
         done)
check "ctl --help describes every command and the exit codes" $? "$(out_of help)"

run badoutcome "$DEMO" --bus "$DEAD_URL" --outcome maybe
check "demo client with an unknown --outcome exits 2 (got $RC)" \
  "$([ "$RC" -eq 2 ]; echo $?)" "$(err_of badoutcome)"

run deaddemo "$DEMO" --bus "$DEAD_URL" --timeout 3
check "demo client exits 1 when the bus is unreachable (got $RC)" \
  "$([ "$RC" -eq 1 ] && grep -q "cannot reach the messagebus" "$(err_of deaddemo)"; echo $?)" \
  "$(err_of deaddemo)" "$(out_of deaddemo)"

# ---- a headless manager with its own bus ----

start http python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$TMP/www"
start manager env G_MESSAGES_DEBUG=ows-manager,ows-service,ows-watchdog \
  "$MANAGER" --headless --embedded-bus --bus "$URL"

i=0
RC=1
while [ $i -lt 20 ] && [ ! -f "$TMP/run/manager.rc" ]; do
  run status "$CTL" --bus "$URL" --timeout 2 status
  [ "$RC" -eq 0 ] && break
  sleep 0.5
  i=$((i + 1))
done
check "ctl status answers once the manager runs (got $RC)" "$([ "$RC" -eq 0 ]; echo $?)" \
  "$(err_of status)" "$(log_of manager)" "$(err_of manager)"
[ "$RC" -eq 0 ] || BROKEN="the manager never answered"

grep -q -E "^In setup: *(yes|no)" "$(out_of status)" && grep -q "^Setup mode: *normal" "$(out_of status)"
check "ctl status shows the setup state and setup mode normal" $? "$(out_of status)"

run statusjson "$CTL" --bus "$URL" --json status
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["setup_mode"] == "normal" and "in_setup" in d and "connectivity" in d' \
  "$(out_of statusjson)" 2>>"$(err_of statusjson)"
check "ctl --json status prints the status.response data as JSON" $? \
  "$(out_of statusjson)" "$(err_of statusjson)"

start monitor "$CTL" --bus "$URL" monitor
wait_line "$(err_of monitor)" "^connected to $URL" >/dev/null
check "ctl monitor connects" $? "$(err_of monitor)"
MON=$(log_of monitor)

start auto "$DEMO" --bus "$URL" --name demo-auto --no-input --after 0.5
start input "$DEMO" --bus "$URL" --name demo-input --input --type Remote --text "On Mobile Setup"
wait_line "$(log_of auto)" "^demo-auto: registered as " >/dev/null \
  && wait_line "$(log_of input)" "^demo-input: registered as " >/dev/null
check "both demo clients register and get an id" $? \
  "$(log_of auto)" "$(err_of auto)" "$(log_of input)" "$(err_of input)"
AUTO_ID=$(registered_id demo-auto "$(log_of auto)")
INPUT_ID=$(registered_id demo-input "$(log_of input)")

wait_line "$MON" "  $P\.register\.client  .*demo-auto" >/dev/null
check "ctl monitor logs the register.client requests" $? "$MON" "$(err_of monitor)"

# No --bus: the address must come from mycroft.conf, as for the manager.
run clients "$CTL" clients
result=$([ "$RC" -eq 0 ] && [ -n "$AUTO_ID" ] && [ -n "$INPUT_ID" ] \
         && grep "demo-auto" "$(out_of clients)" | grep -q "$AUTO_ID" \
         && grep "demo-input" "$(out_of clients)" | grep -q "$INPUT_ID"; echo $?)
check "ctl clients (bus from mycroft.conf) lists both clients with their ids" "$result" \
  "$(out_of clients)" "$(err_of clients)"

run clientsjson "$CTL" --json clients
python3 -c 'import json, sys
clients = json.load(open(sys.argv[1]))
names = sorted(c["client"] for c in clients)
assert names == ["demo-auto", "demo-input"], names' \
  "$(out_of clientsjson)" 2>>"$(err_of clientsjson)"
check "ctl --json clients prints the array of clients" $? \
  "$(out_of clientsjson)" "$(err_of clientsjson)"

# ---- setup: headless auto-activation of the no-input client ----

MARK=$(line_count "$MON")
run setup "$CTL" --bus "$URL" setup
check "ctl setup exits 0 (got $RC)" "$([ "$RC" -eq 0 ]; echo $?)" "$(err_of setup)"

L_LAUNCH=$(wait_line "$MON" "  $P\.setup\.launched  " "$MARK")
check "the manager launches setup" $? "$MON" "$(log_of manager)"
L_ACT=$(wait_line "$MON" "  $P\.activate\.${AUTO_ID:-none}  " "${L_LAUNCH:-$MARK}")
check "the no-input client is activated headless" $? "$MON" "$(log_of auto)"
L_REMOVE=$(wait_line "$MON" "  $P\.remove\.active\.client  " "${L_ACT:-0}")
check "the activated client reports success with remove.active.client" $? \
  "$MON" "$(log_of auto)"
wait_line "$MON" "  $P\.deactivate\.${AUTO_ID:-none}  " "${L_REMOVE:-0}" >/dev/null
check "the manager then deactivates it" $? "$MON" "$(log_of auto)" "$(log_of manager)"

# ---- a client whose setup fails ----

start fail "$DEMO" --bus "$URL" --name demo-fail --outcome failure --after 0.5 --once
wait_line "$(log_of fail)" "^demo-fail: registered as " >/dev/null
check "a failure-outcome demo client registers" $? "$(log_of fail)" "$(err_of fail)"
FAIL_ID=$(registered_id demo-fail "$(log_of fail)")

MARK=$(line_count "$MON")
run select "$CTL" --bus "$URL" send "$P.set.active.client" '{"client": "demo-fail"}'
L_ACT=$(wait_line "$MON" "  $P\.activate\.${FAIL_ID:-none}  " "$MARK")
check "ctl send set.active.client activates the failure client (ctl exit $RC)" \
  "$([ "$RC" -eq 0 ] && [ -n "$L_ACT" ]; echo $?)" "$(err_of select)" "$MON" "$(log_of fail)"
L_FAILURE=$(wait_line "$MON" "  $P\.client\.setup\.failure  " "${L_ACT:-0}") \
  && wait_line "$MON" "  $P\.deactivate\.${FAIL_ID:-none}  " "$L_FAILURE" >/dev/null
check "client.setup.failure, then the manager deactivates the client" $? \
  "$MON" "$(log_of fail)" "$(log_of manager)"
exited fail 50
check "the --once client exits 0 after its outcome (got $(rc_of fail))" \
  "$([ "$(rc_of fail)" = 0 ]; echo $?)" "$(log_of fail)" "$(err_of fail)"

# ---- raw send ----

MARK=$(line_count "$MON")
run sendstatus "$CTL" --bus "$URL" send "$P.status"
wait_line "$MON" "  $P\.status\.response  " "$MARK" >/dev/null
answered=$?
check "ctl send $P.status reaches the manager, which answers (ctl exit $RC)" \
  "$([ $answered -eq 0 ] && [ "$RC" -eq 0 ]; echo $?)" "$(err_of sendstatus)" "$MON"

# ---- a client that restarts keeps its id ----

kill -KILL "$(pid_of input)" 2>/dev/null
exited input 30
start input2 "$DEMO" --bus "$URL" --name demo-input --input --type Remote --text "On Mobile Setup"
wait_line "$(log_of input2)" "^demo-input: registered as " >/dev/null
AGAIN_ID=$(registered_id demo-input "$(log_of input2)")
check "a restarted client gets the same id ($INPUT_ID, then $AGAIN_ID)" \
  "$([ -n "$INPUT_ID" ] && [ "$INPUT_ID" = "$AGAIN_ID" ]; echo $?)" \
  "$(log_of input)" "$(log_of input2)" "$MON"

# ---- shutting down ----

MARK=$(line_count "$MON")
kill -TERM "$(pid_of auto)" 2>/dev/null
exited auto 30 \
  && wait_line "$MON" "  $P\.client\.deregistered  .*${AUTO_ID:-none}" "$MARK" >/dev/null
deregistered=$?
check "SIGTERM: the demo client deregisters and exits 0 (got $(rc_of auto))" \
  "$([ $deregistered -eq 0 ] && [ "$(rc_of auto)" = 0 ]; echo $?)" \
  "$(log_of auto)" "$(err_of auto)" "$MON"

kill -TERM "$(pid_of manager)" 2>/dev/null
exited manager 30
check "SIGTERM: the manager exits 0 within 3 s (got $(rc_of manager))" \
  "$([ "$(rc_of manager)" = 0 ]; echo $?)" "$(log_of manager)" "$(err_of manager)"

wait_line "$(err_of monitor)" "bus connection lost, reconnecting" >/dev/null \
  && [ ! -f "$TMP/run/monitor.rc" ]
check "ctl monitor reports the lost bus and keeps running" $? "$(err_of monitor)"

kill -INT "$(pid_of monitor)" 2>/dev/null
exited monitor 30
check "SIGINT: ctl monitor exits 0 (got $(rc_of monitor))" \
  "$([ "$(rc_of monitor)" = 0 ]; echo $?)" "$(err_of monitor)"

[ "$N" -eq 31 ] || echo "# planned 31 checks, ran $N"
