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

plan 69

PORT=$(free_port)
DEAD_PORT=$(free_port)
HTTP_PORT=$(free_port)
URL="ws://127.0.0.1:$PORT/core"
DEAD_URL="ws://127.0.0.1:$DEAD_PORT/core"

write_config "$PORT" "$HTTP_PORT"

# terminal_safe FILE...: each is UTF-8 with no character a terminal acts on
# (C0 but newline, DEL, C1, line and paragraph separators, bidi controls).
terminal_safe ()
{
  python3 - "$@" <<'EOF_PY'
import sys
bad = (set(range(0x20)) - {0x0a}) | {0x7f, 0x061c, 0x200e, 0x200f, 0x2028, 0x2029}
bad |= set(range(0x80, 0xa0)) | set(range(0x202a, 0x202f)) | set(range(0x2066, 0x206a))
status = 0
for path in sys.argv[1:]:
    try:
        text = open(path, 'rb').read().decode('utf-8')
    except UnicodeDecodeError as error:
        print(f'# {path}: not UTF-8 ({error})')
        status = 1
        continue
    raw = [f'U+{ord(c):04X} at {i}' for i, c in enumerate(text) if ord(c) in bad]
    if raw:
        print(f'# {path}: raw ' + ', '.join(raw[:5]))
        status = 1
sys.exit(status)
EOF_PY
}

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

# --wait: a script starts the bus and the tools together, and the tools wait
# for it, within a deadline, with the same message and status when it passes.
BEFORE=$(date +%s)
run waitdead "$CTL" --bus "$DEAD_URL" --timeout 1 --wait 2 status
AFTER=$(date +%s)
check "ctl --wait 2 keeps trying, then exits 1 saying it cannot reach the bus (got $RC after $((AFTER - BEFORE)) s)" \
  "$([ "$RC" -eq 1 ] && [ $((AFTER - BEFORE)) -ge 2 ] \
     && grep -q "ovos-wifi-setup-ctl: cannot reach the messagebus at $DEAD_URL: still unreachable after 2 s: " \
          "$(err_of waitdead)"; echo $?)" "$(err_of waitdead)"

LIMIT=5 run waitbad "$CTL" --bus notaurl --wait 30 status
check "ctl --wait with an address no bus can have exits 1 at once (got $RC)" \
  "$([ "$RC" -eq 1 ] && grep -q "not a valid bus address" "$(err_of waitbad)"; echo $?)" \
  "$(err_of waitbad)"

run ctlhelpwait "$CTL" --help
run demohelpwait "$DEMO" --help
grep -q -e "--wait=SECONDS  *Keep trying to reach the bus" "$(out_of ctlhelpwait)" \
  && grep -q -e "--wait=SECONDS  *Keep trying to reach the bus" "$(out_of demohelpwait)"
check "both tools' --help describe --wait" $? "$(out_of ctlhelpwait)" "$(out_of demohelpwait)"

# Arguments are UTF-8 whatever the locale; bytes that are not are refused.
run badtext "$DEMO" --bus "$DEAD_URL" --text "$(printf 'On \377 Setup')"
check "demo client --text that is not UTF-8 exits 2 and says so (got $RC)" \
  "$([ "$RC" -eq 2 ] && grep -q -e "--text is not valid UTF-8" "$(err_of badtext)"; echo $?)" \
  "$(err_of badtext)"
run badtype "$CTL" --bus "$DEAD_URL" send "$(printf '%s.\377' "$P")"
run baddata "$CTL" --bus "$DEAD_URL" send "$P.status" "$(printf '{"a": "\377"}')"
result=$([ "$RC" -eq 2 ] && grep -q "the JSON data is not valid UTF-8" "$(err_of baddata)" \
         && grep -q "the message TYPE is not valid UTF-8" "$(err_of badtype)"; echo $?)
check "ctl send with a TYPE or JSON that is not UTF-8 exits 2 and says which (got $RC)" "$result" \
  "$(err_of badtype)" "$(err_of baddata)"

# ---- a headless manager with its own bus ----

start http python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$TMP/www"
wait_http "http://127.0.0.1:$HTTP_PORT/check_network_status.txt"

# Started before the manager, told to wait: each sees its first attempt refused.
start waitctl env G_MESSAGES_DEBUG=ows-tool "$CTL" --bus "$URL" --wait 20 status
start waitdemo env G_MESSAGES_DEBUG=ows-tool "$DEMO" --bus "$URL" --wait 20 --name demo-waited \
  --input --once
wait_line "$(err_of waitctl)" "not up yet, retrying" >/dev/null \
  && wait_line "$(err_of waitdemo)" "not up yet, retrying" >/dev/null
check "ctl and the demo client with --wait retry while nothing listens" $? \
  "$(err_of waitctl)" "$(err_of waitdemo)"

start manager env G_MESSAGES_DEBUG="ows-manager ows-service ows-connectivity" \
  "$MANAGER" --headless --embedded-bus --bus "$URL"

wait_status manager "$URL"
check "ctl status answers once the manager runs (got $RC)" "$([ "$RC" -eq 0 ]; echo $?)" \
  "$(err_of status-manager)" "$(log_of manager)" "$(err_of manager)"
[ "$RC" -eq 0 ] || BROKEN="the manager never answered"

exited waitctl 200
check "ctl --wait status, started before the manager, answers once it is up (got $(rc_of waitctl))" \
  "$([ "$(rc_of waitctl)" = 0 ] && grep -q "^Setup mode: " "$(log_of waitctl)"; echo $?)" \
  "$(log_of waitctl)" "$(err_of waitctl)"
wait_line "$(log_of waitdemo)" "^demo-waited: registered as " >/dev/null
check "the demo client with --wait, started before the manager, registers" $? \
  "$(log_of waitdemo)" "$(err_of waitdemo)"
kill -TERM "$(pid_of waitdemo)" 2>/dev/null
exited waitdemo 30

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

# demo-input has a GUI (the default) and needs input: it draws on the OVOS
# screen. Whether that screen is up is status.response's ovos_gui, which a
# manager may not send: only then is "not offered" said.
OVOS_GUI=$(python3 -c 'import json, sys
print({True: "true", False: "false"}.get(json.load(open(sys.argv[1])).get("ovos_gui"), "absent"))' \
  "$(out_of statusjson)" 2>/dev/null)
grep "^demo-input " "$(out_of clients)" | grep -q "needs the OVOS screen" \
  && ! grep "^demo-auto " "$(out_of clients)" | grep -q "OVOS screen"
check "ctl clients marks the GUI-and-input client as needing the OVOS screen, only it" $? \
  "$(out_of clients)"
case $OVOS_GUI in
  false) grep "^demo-input " "$(out_of clients)" | grep -q "(not running: not offered)" ;;
  *) ! grep -q "not offered" "$(out_of clients)" ;;
esac
check "and says it is not offered exactly when status says the OVOS screen is not running (ovos_gui $OVOS_GUI)" $? \
  "$(out_of clients)" "$(out_of statusjson)"
python3 -c 'import json, sys
needs = {c["client"]: c["needs_ovos_screen"] for c in json.load(open(sys.argv[1]))}
assert needs == {"demo-auto": False, "demo-input": True}, needs' \
  "$(out_of clientsjson)" 2>>"$(err_of clientsjson)"
check "ctl --json clients gives each client needs_ovos_screen" $? \
  "$(out_of clientsjson)" "$(err_of clientsjson)"
case $OVOS_GUI in
  false) grep -q "^OVOS screen: *not connected\$" "$(out_of status-manager)" ;;
  true) grep -q "^OVOS screen: *connected\$" "$(out_of status-manager)" ;;
  *) grep -q "^OVOS screen: *-\$" "$(out_of status-manager)" ;;
esac
check "ctl status shows the OVOS screen as status.response has it (ovos_gui $OVOS_GUI)" $? \
  "$(out_of status-manager)"

# ovos-gui's answer, which anyone on the bus may give: the screen is up.
if [ "$OVOS_GUI" = absent ]; then
  skip "with the OVOS screen up, the client is offered again" "status.response has no ovos_gui"
else
  run guiup "$CTL" --bus "$URL" send gui.status.request.response '{"connected": true}'
  i=0
  while [ $i -lt 50 ]; do
    run guistatus "$CTL" --bus "$URL" status
    grep -q "^OVOS screen: *connected\$" "$(out_of guistatus)" && break
    sleep 0.1
    i=$((i + 1))
  done
  run guiclients "$CTL" --bus "$URL" clients
  result=$(grep -q "^OVOS screen: *connected\$" "$(out_of guistatus)" \
           && grep "^demo-input " "$(out_of guiclients)" | grep -q "needs the OVOS screen" \
           && ! grep -q "not offered" "$(out_of guiclients)"; echo $?)
  check "with the OVOS screen up, the client is marked but not \"not offered\"" "$result" \
    "$(out_of guistatus)" "$(out_of guiclients)"
  run guidown "$CTL" --bus "$URL" send gui.status.request.response '{"connected": false}'
fi

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

# ---- arguments are UTF-8, whatever the locale ----
# GOptionContext would convert a string option from the locale's charset:
# under LANG=C, Hebrew was "Invalid byte sequence in conversion input".

start hebrew env LC_ALL=C "$DEMO" --bus "$URL" --name demo-hebrew --input --text "הגדרת רשת…"
run hebrewctl env LC_ALL=C "$CTL" --bus "$URL" send "$P.register.client" \
  '{"client": "ctl-hebrew", "type": "Remote", "display_text": "חיבור מהטלפון", "requires_input": true}'
HEBREW_RC=$RC
wait_line "$(log_of hebrew)" "^demo-hebrew: registered as " >/dev/null
run hebrewjson "$CTL" --bus "$URL" --json clients
python3 -c 'import json, sys
texts = {c["client"]: c["display_text"] for c in json.load(open(sys.argv[1]))}
assert texts.get("demo-hebrew") == "הגדרת רשת…", texts
assert texts.get("ctl-hebrew") == "חיבור מהטלפון", texts' \
  "$(out_of hebrewjson)" 2>>"$(err_of hebrewjson)"
intact=$?
check "under LC_ALL=C, demo client --text and ctl send JSON in Hebrew reach the manager intact (ctl send exit $HEBREW_RC)" \
  "$([ $intact -eq 0 ] && [ "$HEBREW_RC" -eq 0 ]; echo $?)" \
  "$(out_of hebrewjson)" "$(err_of hebrewjson)" "$(err_of hebrew)" "$(err_of hebrewctl)"
kill -TERM "$(pid_of hebrew)" 2>/dev/null
exited hebrew 30
run hebrewdereg "$CTL" --bus "$URL" send "$P.deregister.client" '{"client": "ctl-hebrew"}'

# ---- what a client says reaches the terminal escaped ----
# Any peer may register a client: an OSC that retitles the terminal, a bell,
# clear-screen, a forged line, bidirectional controls, C1 controls and DEL
# must come out as \uXXXX from status, clients, --json and monitor.

HOSTILE='{"client": "evil\u001b]0;pwned\u0007\u001b[2J\r\n** FORGED \u202e\u009b31m\u007f",
  "type": "\u001b[31mRemote\u0085", "display_text": "\u001b]0;pwned\u0007 \u2066text\u2069\u2028",
  "requires_input": true}'
MARK=$(line_count "$MON")
run hostile "$CTL" --bus "$URL" send "$P.register.client" "$HOSTILE"
wait_line "$MON" "  $P\.client\.registered  .*FORGED" "$MARK" >/dev/null
registered=$?
check "a client with escape sequences in every field registers (ctl exit $RC)" \
  "$([ $registered -eq 0 ] && [ "$RC" -eq 0 ]; echo $?)" "$MON" "$(err_of hostile)"
run hselect "$CTL" --bus "$URL" send "$P.set.active.client" \
  '{"client": "evil\u001b]0;pwned\u0007\u001b[2J\r\n** FORGED \u202e\u009b31m\u007f"}'
wait_line "$MON" "  $P\.set\.active\.client  .*FORGED" "$MARK" >/dev/null
run hstatus "$CTL" --bus "$URL" status
run hclients "$CTL" --bus "$URL" clients
run hjson "$CTL" --bus "$URL" --json clients
run hdereg "$CTL" --bus "$URL" send "$P.deregister.client" \
  '{"client": "evil\u001b]0;pwned\u0007\u001b[2J\r\n** FORGED \u202e\u009b31m\u007f"}'
wait_line "$MON" "  $P\.client\.deregistered  .*FORGED" "$MARK" >/dev/null
deregistered=$?
check "it is activated, shown and deregistered" \
  "$([ $deregistered -eq 0 ] && grep -q "^Active client: *evil" "$(out_of hstatus)"; echo $?)" \
  "$MON" "$(out_of hstatus)"
terminal_safe "$(out_of hstatus)" "$(out_of hclients)" "$(out_of hjson)" "$MON" \
  "$(err_of monitor)" "$(log_of manager)" "$(err_of manager)" \
  && grep -qF 'registered client evil\u001b]0;pwned\u0007' "$(log_of manager)"
check "status, clients, --json clients, monitor and the manager's log carry no raw control" $? \
  "$(log_of manager)"
grep -qF 'evil\u001b]0;pwned\u0007\u001b[2J\u000d\u000a** FORGED \u202e\u009b31m\u007f' \
    "$(out_of hclients)" \
  && grep -qF '\u001b]0;pwned\u0007 \u2066text\u2069\u2028' "$(out_of hclients)" \
  && grep -qF 'Active client:    evil\u001b]0;pwned' "$(out_of hstatus)"
check "ctl shows the controls as \\uXXXX" $? "$(out_of hclients)" "$(out_of hstatus)"
python3 -c 'import json, sys
clients = json.load(open(sys.argv[1]))
names = [c["client"] for c in clients]
assert "evil\x1b]0;pwned\x07\x1b[2J\r\n** FORGED \u202e\x9b31m\x7f" in names, names' \
  "$(out_of hjson)" 2>>"$(err_of hjson)"
check "ctl --json clients stays JSON, of the very name the client gave" $? \
  "$(out_of hjson)" "$(err_of hjson)"

# ---- nothing from the bus reaches a shell ----
# A client whose every field is a shell payload goes through registration,
# clients, status, monitor, activation, its outcome and deregistration: no
# program along the way may run it.

mkdir -p "$TMP/shell"
SH_MARK="$TMP/shell/MARK"
NL='
'
# The payloads are literal text: nothing here may expand them.
# shellcheck disable=SC2016
PAYLOAD_NAME='$(touch '"$SH_MARK"'1)'
PAYLOAD_TYPE='`touch '"$SH_MARK"'2`'
# shellcheck disable=SC2016
PAYLOAD_TEXT=';touch '"$SH_MARK"'3 |touch '"$SH_MARK"'4 && touch '"$SH_MARK"'5'"$NL"'touch '"$SH_MARK"'6 '"'"'"$(touch '"$SH_MARK"'7)'
export PAYLOAD_NAME
MARK=$(line_count "$MON")
start payload "$DEMO" --bus "$URL" --name "$PAYLOAD_NAME" --type "$PAYLOAD_TYPE" \
  --text "$PAYLOAD_TEXT" --no-input --after 0.3
wait_line "$(log_of payload)" ": registered as [0-9a-f]+$" >/dev/null
check "a client whose fields are shell payloads registers" $? "$(log_of payload)" "$(err_of payload)"
run pclients "$CTL" --bus "$URL" clients
run pjson "$CTL" --bus "$URL" --json clients
PAYLOAD_ID=$(python3 -c 'import json, os, sys
print([c["id"] for c in json.load(open(sys.argv[1])) if c["client"] == os.environ["PAYLOAD_NAME"]][0])' \
  "$(out_of pjson)" 2>/dev/null)
SELECT=$(python3 -c 'import json, os; print(json.dumps({"client": os.environ["PAYLOAD_NAME"]}))')
run pselect "$CTL" --bus "$URL" send "$P.set.active.client" "$SELECT"
L_ACT=$(wait_line "$MON" "  $P\.activate\.${PAYLOAD_ID:-none}  " "$MARK")
run pstatus "$CTL" --bus "$URL" status
wait_line "$MON" "  $P\.deactivate\.${PAYLOAD_ID:-none}  " "${L_ACT:-0}" >/dev/null
deactivated=$?
check "it is listed, activated, sets up and is deactivated (id ${PAYLOAD_ID:-none})" \
  "$([ -n "$L_ACT" ] && [ $deactivated -eq 0 ] && grep -qF "$SH_MARK" "$(out_of pclients)"; echo $?)" \
  "$(out_of pclients)" "$MON" "$(log_of payload)"
# Any peer may also answer a client: the demo client prints what it is told.
REFUSAL=$(python3 -c 'import json, os
print(json.dumps({"client": os.environ["PAYLOAD_NAME"], "error": "\x1b]0;pwned\x07\u202e no"}))')
run prefuse "$CTL" --bus "$URL" send "$P.client.registration.failure" "$REFUSAL"
wait_line "$(log_of payload)" ": registration refused: " >/dev/null \
  && grep -qF 'registration refused: \u001b]0;pwned\u0007\u202e no' "$(log_of payload)" \
  && terminal_safe "$(log_of payload)" "$(err_of payload)"
check "the demo client prints a peer's words escaped" $? "$(log_of payload)"
kill -TERM "$(pid_of payload)" 2>/dev/null
exited payload 30 \
  && wait_line "$MON" "  $P\.client\.deregistered  .*${PAYLOAD_ID:-none}" "$MARK" >/dev/null
check "it deregisters" $? "$(log_of payload)" "$MON"
grep -qF "touch $SH_MARK" "$MON" && grep -qF "touch $SH_MARK" "$(log_of payload)"
check "the payloads went over the bus and through the tools verbatim" $? "$MON" "$(log_of payload)"
ran=$(ls -A "$TMP/shell")
check "no payload ran (${ran:-nothing} in $TMP/shell)" "$([ -z "$ran" ]; echo $?)"

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

# ---- the embedded bus: loopback only, unless --allow-remote-bus ----

REMOTE_PORT=$(free_port)
run remote "$MANAGER" --headless --embedded-bus --bus "ws://0.0.0.0:$REMOTE_PORT/core"
grep -qF "ovos-wifi-setup: The embedded bus listens on loopback only; 0.0.0.0 is not loopback. Pass --allow-remote-bus to serve the network." \
  "$(err_of remote)"
named=$?
check "--embedded-bus at 0.0.0.0 exits 1 and names --allow-remote-bus (got $RC)" \
  "$([ $named -eq 0 ] && [ "$RC" -eq 1 ]; echo $?)" "$(err_of remote)"
LIMIT=5 run remoteprobe "$CTL" --bus "ws://127.0.0.1:$REMOTE_PORT/core" --timeout 1 status
check "and nothing listens on its port (ctl exit $RC)" "$([ "$RC" -eq 1 ]; echo $?)" \
  "$(err_of remoteprobe)"

run remote6 "$MANAGER" --headless --embedded-bus --bus "ws://[::]:$REMOTE_PORT/core"
check "--embedded-bus at [::] exits 1 too (got $RC)" \
  "$([ "$RC" -eq 1 ] && grep -qF ":: is not loopback" "$(err_of remote6)"; echo $?)" \
  "$(err_of remote6)"

run remoteonly "$MANAGER" --headless --allow-remote-bus --bus "$URL"
check "--allow-remote-bus without --embedded-bus is a usage error, exit 2 (got $RC)" \
  "$([ "$RC" -eq 2 ] && grep -qF -- "--allow-remote-bus is only valid with --embedded-bus" \
     "$(err_of remoteonly)"; echo $?)" "$(err_of remoteonly)"

run managerhelp "$MANAGER" --help
check "ovos-wifi-setup --help describes --allow-remote-bus" \
  "$([ "$RC" -eq 0 ] && grep -q -- "--allow-remote-bus  *Let the embedded messagebus" \
     "$(out_of managerhelp)"; echo $?)" "$(out_of managerhelp)"

start remote "$MANAGER" --headless --embedded-bus --allow-remote-bus \
  --bus "ws://0.0.0.0:$REMOTE_PORT/core"
wait_status remote "ws://127.0.0.1:$REMOTE_PORT/core"
check "with --allow-remote-bus it serves 0.0.0.0 (ctl status exit $RC)" \
  "$([ "$RC" -eq 0 ]; echo $?)" "$(err_of status-remote)" "$(err_of remote)"
kill -TERM "$(pid_of remote)" 2>/dev/null
exited remote 30
check "SIGTERM: the remote-serving manager exits 0 (got $(rc_of remote))" \
  "$([ "$(rc_of remote)" = 0 ]; echo $?)" "$(err_of remote)"

end_plan
