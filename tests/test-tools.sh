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

# shellcheck source-path=SCRIPTDIR source=ows-test-lib.sh
. "$(dirname "$0")/ows-test-lib.sh"
isolate tools

plan 37

PORT=$(free_port)
DEAD_PORT=$(free_port)
HTTP_PORT=$(free_port)
URL="ws://127.0.0.1:$PORT/core"
DEAD_URL="ws://127.0.0.1:$DEAD_PORT/core"

write_config "$PORT" "$HTTP_PORT"

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
wait_http "http://127.0.0.1:$HTTP_PORT/check_network_status.txt"
start manager env G_MESSAGES_DEBUG=ows-manager,ows-service,ows-connectivity \
  "$MANAGER" --headless --embedded-bus --bus "$URL"

wait_status manager "$URL"
check "ctl status answers once the manager runs (got $RC)" "$([ "$RC" -eq 0 ]; echo $?)" \
  "$(err_of status-manager)" "$(log_of manager)" "$(err_of manager)"
[ "$RC" -eq 0 ] || BROKEN="the manager never answered"

grep -q -E "^In setup: *(yes|no)" "$(out_of status-manager)" \
  && grep -q "^Setup mode: *normal" "$(out_of status-manager)"
check "ctl status shows the setup state and setup mode normal" $? "$(out_of status-manager)"

run statusjson "$CTL" --bus "$URL" --json status
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["setup_mode"] == "normal" and "in_setup" in d and "connectivity" in d' \
  "$(out_of statusjson)" 2>>"$(err_of statusjson)"
check "ctl --json status prints the status.response data as JSON" $? \
  "$(out_of statusjson)" "$(err_of statusjson)"

wait_connectivity manager "$URL" online
check "the watchdog finds the internet through the probe of mycroft.conf" $? \
  "$(out_of connectivity-manager)" "$(err_of manager)" "$(err_of http)"

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

# ---- the watchdog of a headless manager behind a captive portal ----
# Its own config: no grace period, a re-check every 0.2 s. GIO's "base"
# network monitor says a network is up, so the verdict is the probe's.

printf '<html><form>Sign in to the hotel network</form></html>\n' \
  >"$TMP/www/check_network_status.txt"
PORTAL_PORT=$(free_port)
PORTAL_URL="ws://127.0.0.1:$PORTAL_PORT/core"
mkdir -p "$TMP/portal/mycroft"
sed -e 's/"grace_period": 3600/"grace_period": 0/' \
    -e 's/"time_between_checks": 3600/"time_between_checks": 0.2/' \
    "$XDG_CONFIG_HOME/mycroft/mycroft.conf" >"$TMP/portal/mycroft/mycroft.conf"
start portal env XDG_CONFIG_HOME="$TMP/portal" \
  "$MANAGER" --headless --embedded-bus --bus "$PORTAL_URL"

wait_connectivity portal "$PORTAL_URL" portal
check "behind a captive portal, ctl status says so" $? \
  "$(out_of connectivity-portal)" "$(err_of portal)"
grep -q "^In setup: *yes" "$(out_of connectivity-portal)"
check "the watchdog launched setup for it" $? "$(out_of connectivity-portal)" "$(err_of portal)"
grep -q "This network needs you to sign in at http://127.0.0.1:$HTTP_PORT/check_network_status.txt" \
  "$(err_of portal)"
check "the headless manager logs the portal's address" $? "$(err_of portal)"

# Signed in: the next re-check finds the internet, and setup is over.
printf 'NetworkManager is online\n' >"$TMP/www/check_network_status.txt"
wait_connectivity portal "$PORTAL_URL" online \
  && grep -q "^In setup: *no" "$(out_of connectivity-portal)"
check "once signed in, the re-check finds the internet and ends setup" $? \
  "$(out_of connectivity-portal)" "$(err_of portal)"

kill -TERM "$(pid_of portal)" 2>/dev/null
exited portal 30
check "SIGTERM: the manager behind the portal exits 0 (got $(rc_of portal))" \
  "$([ "$(rc_of portal)" = 0 ]; echo $?)" "$(err_of portal)"

end_plan
