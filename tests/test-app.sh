#!/bin/sh
# test-app.sh: ovos-wifi-setup as people launch it: options, headless or window, one instance (TAP).
# SPDX-License-Identifier: Apache-2.0
#
# Usage: test-app.sh BUILD_ROOT
# Runs under an X server and a private D-Bus session, as meson does it:
#   xvfb-run -a -s '-screen 0 1280x1024x24' dbus-run-session -- test-app.sh BUILD_ROOT
# Every wait has a deadline, every background process is killed on exit, and a
# failing check prints the tail of the logs that explain it as "# " lines.
# Where xwininfo and xprop (x11-utils) are installed, the windows themselves
# are checked too; elsewhere those checks are skipped.
set -u

BUILD=${1:?usage: test-app.sh BUILD_ROOT}
MANAGER=$BUILD/src/ovos-wifi-setup
WINDOW=$BUILD/src/gui/ovos-wifi-setup-window
CTL=$BUILD/src/tools/ovos-wifi-setup-ctl
DEMO=$BUILD/src/tools/ovos-wifi-demo-client
P=ovos.phal.wifi.plugin

# shellcheck source-path=SCRIPTDIR source=ows-test-lib.sh
. "$(dirname "$0")/ows-test-lib.sh"

plan 54
if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "Bail out! needs DISPLAY and DBUS_SESSION_BUS_ADDRESS: run under xvfb-run and dbus-run-session"
  exit 1
fi

isolate app
# What the window needs on a bare X server (also set by meson's gui_env).
export GDK_BACKEND=x11 GSK_RENDERER=cairo GDK_DEBUG=gl-disable ADW_DISABLE_PORTAL=1
export NO_AT_BRIDGE=1 GTK_A11Y=test GSETTINGS_BACKEND=memory
unset WAYLAND_DISPLAY

# ---- processes ----

exe_of () { readlink "/proc/$1/exe" 2>/dev/null; }

# wait_exe PID PATH: until /proc/PID/exe is PATH, for up to 10 s.
wait_exe ()
{
  i=0
  while [ $i -lt 100 ]; do
    [ "$(exe_of "$1")" = "$2" ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# ---- windows (x11-utils) ----

if command -v xwininfo >/dev/null 2>&1 && command -v xprop >/dev/null 2>&1; then
  X11_UTILS=yes
else
  X11_UTILS=
fi

# windows PID: one line per top-level window of PID: "ID MAP-STATE STATE-ATOMS".
windows ()
{
  for w in $(xwininfo -root -children 2>/dev/null | awk '$1 ~ /^0x/ { print $1 }'); do
    xprop -id "$w" _NET_WM_PID 2>/dev/null | grep -q "= $1\$" || continue
    state=$(xwininfo -id "$w" 2>/dev/null | sed -n 's/^ *Map State: *//p')
    atoms=$(xprop -id "$w" _NET_WM_STATE 2>/dev/null | sed -n 's/^_NET_WM_STATE(ATOM) = //p')
    echo "$w $state ${atoms:-none}"
  done
}

# wait_window PID ERE: until a line of "windows PID" matches, for up to 10 s.
wait_window ()
{
  i=0
  while [ $i -lt 100 ]; do
    windows "$1" >"$TMP/run/windows.out"
    grep -q -E -e "$2" "$TMP/run/windows.out" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# ---- set-up ----

PORT=$(free_port)
HEADLESS_PORT=$(free_port)
KIOSK_PORT=$(free_port)
HTTP_PORT=$(free_port)
URL="ws://127.0.0.1:$PORT/core"
HEADLESS_URL="ws://127.0.0.1:$HEADLESS_PORT/core"
KIOSK_URL="ws://127.0.0.1:$KIOSK_PORT/core"
FRONT=$(readlink -f "$MANAGER")
WINDOW_EXE=$(readlink -f "$WINDOW")

# The bus of mycroft.conf is the window's: a second launch that wrongly ran a
# manager of its own (rather than forwarding to the first) would join that bus
# and answer status too. The connectivity probe answers "online" from
# loopback, and the watchdog never launches setup by itself.
write_config "$PORT" "$HTTP_PORT"
start http python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$TMP/www"
wait_http "http://127.0.0.1:$HTTP_PORT/check_network_status.txt"

# ---- the command line, no manager started ----

VERSION=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
  "$BUILD/meson-info/intro-projectinfo.json" 2>/dev/null)
run version "$MANAGER" --version
check "--version prints \"ovos-wifi-setup ${VERSION:-?}\" and exits 0 (got $RC)" \
  "$([ "$RC" -eq 0 ] && [ -n "$VERSION" ] \
     && [ "$(cat "$(out_of version)")" = "ovos-wifi-setup $VERSION" ]; echo $?)" \
  "$(out_of version)" "$(err_of version)"

run help "$MANAGER" --help
result=$([ "$RC" -eq 0 ] || exit 1
         for option in --kiosk --wifi-setup --headless --embedded-bus "--bus=URL" --version; do
           grep -q -e "^ *$option " "$(out_of help)" || exit 1
         done)
check "--help lists --kiosk, --wifi-setup, --headless, --embedded-bus, --bus and --version" $? \
  "$(out_of help)" "$(err_of help)"

run both "$MANAGER" --kiosk --headless
check "--kiosk --headless exits 2 with a message naming both (got $RC)" \
  "$([ "$RC" -eq 2 ] && grep -q -e "--kiosk" "$(err_of both)" \
     && grep -q -e "--headless" "$(err_of both)"; echo $?)" "$(err_of both)"

run notaurl "$MANAGER" --bus notaurl
check "--bus notaurl exits 2 and names the bad address (got $RC)" \
  "$([ "$RC" -eq 2 ] && grep -q -e "--bus.*notaurl" "$(err_of notaurl)"; echo $?)" \
  "$(err_of notaurl)" "$(out_of notaurl)"

# Well-formed URLs that are no messagebus address: refused at once, not retried forever.
for bad in ftp://127.0.0.1:4/core ws:///core http://127.0.0.1:4/core; do
  run badscheme env -u DISPLAY -u WAYLAND_DISPLAY "$MANAGER" --headless --bus "$bad"
  check "--bus $bad exits 2 and asks for a ws:// URL with a host (got $RC)" \
    "$([ "$RC" -eq 2 ] && grep -q "ws:// or wss:// URL with a host" "$(err_of badscheme)"; echo $?)" \
    "$(err_of badscheme)"
done

run nodisplay env -u DISPLAY -u WAYLAND_DISPLAY "$MANAGER" --kiosk --embedded-bus --bus "$KIOSK_URL"
check "--kiosk without DISPLAY or WAYLAND_DISPLAY exits 1: it needs a display (got $RC)" \
  "$([ "$RC" -eq 1 ] && grep -q "needs a display" "$(err_of nodisplay)"; echo $?)" \
  "$(err_of nodisplay)" "$(out_of nodisplay)"

# ---- no display: headless, in the program itself ----

start headless env -u DISPLAY -u WAYLAND_DISPLAY "$MANAGER" --embedded-bus --bus "$HEADLESS_URL"
wait_status headless "$HEADLESS_URL"
check "without a display ovos-wifi-setup runs the manager: ctl status answers (got $RC)" \
  "$([ "$RC" -eq 0 ]; echo $?)" "$(err_of status-headless)" "$(err_of headless)"

EXE=$(exe_of "$(pid_of headless)")
check "headless, the process stays ovos-wifi-setup, not the window ($EXE)" \
  "$([ -n "$EXE" ] && [ "$EXE" = "$FRONT" ]; echo $?)" "$(err_of headless)"

# The contrast for the window below: headless, a no-input client takes setup.
run hsetup "$CTL" --bus "$HEADLESS_URL" setup
start hdemo "$DEMO" --bus "$HEADLESS_URL" --name demo-headless --no-input --after 30
wait_line "$(log_of hdemo)" "^demo-headless: (activated|registration refused)" >/dev/null \
  && grep -q "^demo-headless: activated:" "$(log_of hdemo)"
check "headless, a no-input client registering while setup runs is activated (ctl setup: $RC)" $? \
  "$(log_of hdemo)" "$(err_of hdemo)" "$(err_of hsetup)" "$(err_of headless)"

# ---- one manager per bus: beside the headless one, a view or nothing ----

start hmon "$CTL" --bus "$HEADLESS_URL" monitor
wait_line "$(err_of hmon)" "^connected to $HEADLESS_URL" >/dev/null
HMON=$(log_of hmon)

LIMIT=10 run second-headless env -u DISPLAY -u WAYLAND_DISPLAY "$MANAGER" --headless --bus "$HEADLESS_URL"
check "a second headless manager on that bus exits 1, naming it (got $RC)" \
  "$([ "$RC" -eq 1 ] && grep -q "^ovos-wifi-setup: Another ovos-wifi-setup already manages the network setup on the bus at $HEADLESS_URL\.\$" "$(err_of second-headless)"; echo $?)" \
  "$(err_of second-headless)"

start view "$MANAGER" --bus "$HEADLESS_URL"
wait_line "$(err_of view)" "already manages the network setup on the bus at $HEADLESS_URL\. The window shows what it does\." >/dev/null
check "a window opened beside it becomes a view of it" $? "$(err_of view)"

MARK=$(line_count "$HMON")
run hstatus "$CTL" --bus "$HEADLESS_URL" send "$P.status"
wait_line "$HMON" "  $P\.status\.response  " "$MARK" >/dev/null
sleep 0.5
ANSWERS=$(count_lines "$HMON" "  $P\.status\.response  " "$MARK")
check "with the view on the bus, a status request gets $ANSWERS status.response (1 wanted)" \
  "$([ "$ANSWERS" -eq 1 ]; echo $?)" "$HMON" "$(err_of view)"

kill -TERM "$(pid_of view)" 2>/dev/null
exited view 50
run hstill "$CTL" --bus "$HEADLESS_URL" status
check "closing the view leaves the headless manager and its client running (view exit $(rc_of view))" \
  "$([ "$(rc_of view)" = 0 ] && grep -q "^Active client: *demo-headless" "$(out_of hstill)"; echo $?)" \
  "$(out_of hstill)" "$(err_of view)"
kill -TERM "$(pid_of hmon)" 2>/dev/null

kill -TERM "$(pid_of headless)" 2>/dev/null
exited headless 50
check "SIGTERM: the headless manager exits 0 (got $(rc_of headless))" \
  "$([ "$(rc_of headless)" = 0 ]; echo $?)" "$(err_of headless)"
kill -TERM "$(pid_of hdemo)" 2>/dev/null

# ---- the window serving beyond loopback, when told to ----

REMOTE_PORT=$(free_port)
start remote "$MANAGER" --embedded-bus --allow-remote-bus --bus "ws://0.0.0.0:$REMOTE_PORT/core"
wait_status remote "ws://127.0.0.1:$REMOTE_PORT/core"
check "the window with --allow-remote-bus serves 0.0.0.0 (ctl status exit $RC)" \
  "$([ "$RC" -eq 0 ] && [ "$(exe_of "$(pid_of remote)")" = "$WINDOW_EXE" ]; echo $?)" \
  "$(err_of status-remote)" "$(err_of remote)"
kill -TERM "$(pid_of remote)" 2>/dev/null
exited remote 50
check "SIGTERM: that window exits 0 (got $(rc_of remote))" \
  "$([ "$(rc_of remote)" = 0 ]; echo $?)" "$(err_of remote)"

# ---- translations from the build tree, before any install ----
# The programs run from the build tree use the catalogues the build wrote.
# LC_ALL would override LANG, and the C locale would ignore LANGUAGE.

if [ -f "$BUILD/po/de/LC_MESSAGES/ovos-wifi-setup.mo" ]; then
  run dewindow env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=de "$WINDOW" --headless
  check "LANGUAGE=de: the built window refuses --headless in German (got $RC)" \
    "$([ "$RC" -eq 2 ] && grep -qF -e "--headless: Bitte ovos-wifi-setup ausführen, nicht das Fenster" \
       "$(err_of dewindow)"; echo $?)" "$(err_of dewindow)"
  run defront env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=de "$MANAGER" --kiosk --headless
  check "LANGUAGE=de: the built ovos-wifi-setup refuses --kiosk --headless in German (got $RC)" \
    "$([ "$RC" -eq 2 ] && grep -qF -e "--kiosk zeigt ein Fenster" "$(err_of defront)"; echo $?)" \
    "$(err_of defront)"
  run dehelp env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=de "$MANAGER" --help
  check "LANGUAGE=de: the built ovos-wifi-setup --help describes its options in German (got $RC)" \
    "$([ "$RC" -eq 0 ] && grep -qF "Ohne Fenster ausführen" "$(out_of dehelp)"; echo $?)" \
    "$(out_of dehelp)" "$(err_of dehelp)"
else
  for what in "the built window refuses --headless" "the built ovos-wifi-setup refuses --kiosk --headless" \
      "the built ovos-wifi-setup --help describes its options"; do
    skip "LANGUAGE=de: $what in German" "po/de/LC_MESSAGES/ovos-wifi-setup.mo is not built"
  done
fi

# ---- right to left, with or without a catalogue of ours ----
# GTK 4.8 would take the direction from its own catalogue, which it reads only
# where we have one for the language too; the window decides from the first
# language itself. he through ovos-wifi-setup (exec), ar in the window
# program itself, de for contrast.

# check_direction LANGUAGE PROGRAM FROM TO: the window PROGRAM starts under
# LANGUAGE and says its layout runs FROM to TO.
check_direction ()
{
  start "dir-$1" env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE="$1" \
    G_MESSAGES_DEBUG=ows-locale "$2" --embedded-bus --bus "ws://127.0.0.1:$(free_port)/core"
  wait_line "$(log_of "dir-$1")" "first language $1: $3 to $4\$" >/dev/null
  check "LANGUAGE=$1 LANG=C.UTF-8: the window ($(basename "$2")) is laid out $3 to $4" $? \
    "$(log_of "dir-$1")" "$(err_of "dir-$1")"
  kill -TERM "$(pid_of "dir-$1")" 2>/dev/null
  exited "dir-$1" 50
}

check_direction he "$MANAGER" right left
check_direction ar "$WINDOW" right left
check_direction de "$MANAGER" left right

# ---- the README's first command: the demo script, with a window ----
# The window takes seconds to serve its embedded bus: the monitor waits for
# it, the clients register once it shows them, and only then is setup asked.

DEMO_URL="ws://127.0.0.1:$(free_port)/core"
start readme env OWS_DEMO_BUS="$DEMO_URL" "$(dirname "$0")/../src/tools/ovos-wifi-setup-demo.sh" "$BUILD"
README=$(log_of readme)
L_ASK=$(wait_line "$README" "^--- the drop-down")
L_CONN=$(find_line "$README" "^connected to $DEMO_URL")
L_REG1=$(find_line "$README" "  $P\.client\.registered  .*ovos-PHAL-plugin-gui-network-client")
L_REG2=$(find_line "$README" "  $P\.client\.registered  .*BalenaWifiSetupPlugin")
L_REG3=$(find_line "$README" "  $P\.client\.registered  .*demo-voice-setup")
result=$([ -n "$L_ASK" ] && [ -n "$L_CONN" ] && [ -n "$L_REG1" ] && [ -n "$L_REG2" ] \
         && [ -n "$L_REG3" ] \
         && [ "$L_CONN" -lt "$L_REG1" ] && [ "$L_CONN" -lt "$L_REG2" ] && [ "$L_CONN" -lt "$L_REG3" ] \
         && [ "$L_REG1" -lt "$L_ASK" ] && [ "$L_REG2" -lt "$L_ASK" ] && [ "$L_REG3" -lt "$L_ASK" ] \
         && ! grep -q "cannot reach the messagebus" "$README" "$(err_of readme)"; echo $?)
check "the demo's monitor reaches the window's bus and shows its three clients register before setup" \
  "$result" "$README" "$(err_of readme)"
wait_line "$README" "  $P\.setup\.launched  " "${L_ASK:-0}" >/dev/null
check "then the window launches setup" $? "$README" "$(err_of readme)"
if command -v dbus-daemon >/dev/null && /usr/bin/python3 -c 'import dbusmock' 2>/dev/null; then
  # Asked of the manager, not read from the monitor: on a busy machine the
  # window registers it before the monitor has connected.
  i=0
  while [ $i -lt 20 ]; do
    run democlients "$CTL" --bus "$DEMO_URL" --timeout 2 clients
    grep -q "ovos-wifi-setup-wifi" "$(out_of democlients)" && break
    sleep 0.5
    i=$((i + 1))
  done
  grep -q "ovos-wifi-setup-wifi" "$(out_of democlients)"
  check "the demo's pretend NetworkManager gives the window its built-in Wi-Fi client" $? \
    "$(out_of democlients)" "$(err_of democlients)" "$README" "$(err_of readme)"
else
  skip "the demo's pretend NetworkManager gives the window its built-in Wi-Fi client" \
    "python3-dbusmock or dbus-daemon is not installed"
fi
kill -TERM "$(pid_of readme)" 2>/dev/null
exited readme 100
LIMIT=5 run readmegone "$CTL" --bus "$DEMO_URL" --timeout 1 status
check "SIGTERM ends the demo with 0 (got $(rc_of readme)), its window and bus with it (ctl exit $RC)" \
  "$([ "$(rc_of readme)" = 0 ] && [ "$RC" -eq 1 ]; echo $?)" "$README" "$(err_of readme)"

# ---- a display: the window, in place ----

start app env G_MESSAGES_DEBUG=ows-application "$MANAGER" --embedded-bus --bus "$URL"
APP_PID=$(pid_of app)
wait_exe "$APP_PID" "$WINDOW_EXE"
check "with DISPLAY set ovos-wifi-setup becomes ovos-wifi-setup-window in place (pid $APP_PID: $(exe_of "$APP_PID"))" $? \
  "$(log_of app)" "$(err_of app)"

wait_status app "$URL" && grep -q "^In setup: *no\$" "$(out_of status-app)"
check "the window's manager answers ctl status, not in setup" $? \
  "$(out_of status-app)" "$(err_of status-app)" "$(err_of app)"
[ "$RC" -eq 0 ] || BROKEN="the window's manager never answered"

if [ -n "$X11_UTILS" ]; then
  wait_window "$APP_PID" " IsViewable "
  check "the window is on screen" $? "$TMP/run/windows.out" "$(err_of app)"
else
  skip "the window is on screen" "xwininfo and xprop (x11-utils) are not installed"
fi

start monitor "$CTL" --bus "$URL" monitor
wait_line "$(err_of monitor)" "^connected to $URL" >/dev/null
check "ctl monitor connects to the window's bus" $? "$(err_of monitor)"
MON=$(log_of monitor)

# ---- one instance: a second launch goes to the first ----

MARK=$(line_count "$MON")
LIMIT=5 run second "$MANAGER" --wifi-setup
check "a second launch with --wifi-setup exits 0 within 5 s, without complaint (got $RC)" \
  "$([ "$RC" -eq 0 ] && ! grep -q "already running" "$(err_of second)"; echo $?)" \
  "$(err_of second)" "$(out_of second)"

wait_line "$MON" "  $P\.setup\.launched  " "$MARK" >/dev/null
check "the first instance launches setup" $? "$MON" "$(err_of app)"

run insetup "$CTL" --bus "$URL" status
grep -q "^In setup: *yes\$" "$(out_of insetup)"
check "ctl status says the first instance is in setup (ctl exit $RC)" $? \
  "$(out_of insetup)" "$(err_of insetup)"

MARK=$(line_count "$MON")
run sendstatus "$CTL" --bus "$URL" send "$P.status"
wait_line "$MON" "  $P\.status\.response  " "$MARK" >/dev/null
sleep 0.5
ANSWERS=$(count_lines "$MON" "  $P\.status\.response  " "$MARK")
check "one manager on the bus: one status request, $ANSWERS status.response (ctl exit $RC)" \
  "$([ "$RC" -eq 0 ] && [ "$ANSWERS" -eq 1 ]; echo $?)" "$MON" "$(err_of sendstatus)"

MARK=$(line_count "$MON")
LOST=$(count_lines "$(err_of monitor)" "connection lost")
LIMIT=5 run otherbus "$MANAGER" --bus ws://127.0.0.1:1/core
check "a second launch with --bus says it is already running and exits 0 within 5 s (got $RC)" \
  "$([ "$RC" -eq 0 ] && grep -q "already running" "$(err_of otherbus)"; echo $?)" \
  "$(err_of otherbus)" "$(out_of otherbus)"

run samebus "$CTL" --bus "$URL" status
result=$([ "$RC" -eq 0 ] && running app && grep -q "^In setup: *yes\$" "$(out_of samebus)" \
         && [ "$(count_lines "$(err_of monitor)" "connection lost")" -eq "$LOST" ]; echo $?)
check "the first instance keeps its bus and its setup (ctl exit $RC)" "$result" \
  "$(out_of samebus)" "$(err_of samebus)" "$(err_of monitor)" "$(err_of app)"

# ---- a window: the user chooses, nothing is auto-activated ----

start demo "$DEMO" --bus "$URL" --name demo-x --no-input --type Remote --text "Phone"
wait_line "$(log_of demo)" "^demo-x: registered as " >/dev/null
check "a no-input demo client registers with the window's manager" $? \
  "$(log_of demo)" "$(err_of demo)"
DEMO_ID=$(registered_id demo-x "$(log_of demo)")

sleep 1
run active "$CTL" --bus "$URL" status
result=$([ -n "$DEMO_ID" ] \
         && [ "$(count_lines "$MON" "  $P\.activate\.$DEMO_ID  ")" -eq 0 ] \
         && ! grep -q "activated" "$(log_of demo)" \
         && grep -q "^Active client: *none\$" "$(out_of active)"; echo $?)
check "with a window the client is not activated by itself within 1 s: the user picks" "$result" \
  "$MON" "$(log_of demo)" "$(out_of active)"

# ---- SIGTERM while setup runs ----

MARK=$(line_count "$MON")
kill -TERM "$APP_PID" 2>/dev/null
exited app 50
check "SIGTERM: the window exits 0 within 5 s (got $(rc_of app))" \
  "$([ "$(rc_of app)" = 0 ]; echo $?)" "$(err_of app)"

find_line "$MON" "  $P\.stop\.setup\.event  " "$MARK" | grep -q .
check "before it goes, it says $P.stop.setup.event" $? "$MON" "$(err_of app)"

kill -TERM "$(pid_of demo)" "$(pid_of monitor)" 2>/dev/null
exited demo 30
exited monitor 30

# ---- a kiosk: a new first instance, its own bus ----

BROKEN=
start kiosk env G_MESSAGES_DEBUG=ows-application "$MANAGER" --kiosk --embedded-bus --bus "$KIOSK_URL"
KIOSK_PID=$(pid_of kiosk)
wait_exe "$KIOSK_PID" "$WINDOW_EXE" \
  && wait_status kiosk "$KIOSK_URL" && grep -q "^In setup: *no\$" "$(out_of status-kiosk)"
check "--kiosk starts the window, whose manager answers ctl status, not in setup" $? \
  "$(out_of status-kiosk)" "$(err_of status-kiosk)" "$(err_of kiosk)"
[ "$RC" -eq 0 ] || BROKEN="the kiosk's manager never answered"

start kmonitor "$CTL" --bus "$KIOSK_URL" monitor
wait_line "$(err_of kmonitor)" "^connected to $KIOSK_URL" >/dev/null
KMON=$(log_of kmonitor)

if [ -n "$X11_UTILS" ]; then
  # Time for the window to follow the manager, which it does from an idle.
  sleep 0.5
  windows "$KIOSK_PID" >"$TMP/run/windows.out"
  ! grep -q " IsViewable " "$TMP/run/windows.out"
  check "the kiosk shows no window while no setup runs" $? "$TMP/run/windows.out"
else
  skip "the kiosk shows no window while no setup runs" "xwininfo and xprop (x11-utils) are not installed"
fi

MARK=$(line_count "$KMON")
run ksetup "$CTL" --bus "$KIOSK_URL" setup
wait_line "$KMON" "  $P\.setup\.launched  " "$MARK" >/dev/null
check "ctl setup: the kiosk launches setup (ctl exit $RC)" $? "$KMON" "$(err_of kmonitor)" \
  "$(err_of ksetup)" "$(err_of kiosk)"

if [ -n "$X11_UTILS" ]; then
  wait_window "$KIOSK_PID" " IsViewable .*_NET_WM_STATE_FULLSCREEN"
  check "during setup the kiosk window is on screen, fullscreen" $? "$TMP/run/windows.out" \
    "$(err_of kiosk)"
else
  skip "during setup the kiosk window is on screen, fullscreen" \
    "xwininfo and xprop (x11-utils) are not installed"
fi

# SIGHUP (the session went away) ends it as SIGTERM does; the window above
# had SIGTERM while setup ran.
MARK=$(line_count "$KMON")
kill -HUP "$KIOSK_PID" 2>/dev/null
exited kiosk 50
result=$([ "$(rc_of kiosk)" = 0 ] \
         && find_line "$KMON" "  $P\.stop\.setup\.event  " "$MARK" | grep -q .; echo $?)
check "SIGHUP: the kiosk says stop.setup.event and exits 0 (got $(rc_of kiosk))" "$result" \
  "$KMON" "$(err_of kiosk)"

# ---- the desktop file: D-Bus activation, as GNOME Shell launches it ----

# A session bus of the test's own that knows our D-Bus service file, its Exec
# pointed at the build tree; everything else in the file is what gets installed.
SERVICE_FILE=$BUILD/data/org.openvoiceos.WifiSetup.service
DESKTOP_FILE=$BUILD/data/org.openvoiceos.WifiSetup.desktop
mkdir -p "$TMP/dbus-services"
sed "s|^Exec=[^ ]*/ovos-wifi-setup |Exec=$MANAGER |" "$SERVICE_FILE" \
  >"$TMP/dbus-services/org.openvoiceos.WifiSetup.service"
cat >"$TMP/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$TMP</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$TMP/dbus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
start dbus dbus-daemon --config-file="$TMP/dbus.conf" --nofork --print-address=1
wait_line "$(log_of dbus)" "^unix:" >/dev/null
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$(log_of dbus)")
export DBUS_SESSION_BUS_ADDRESS

ACT_PORT=$(free_port)
ACT_URL="ws://127.0.0.1:$ACT_PORT/core"
write_config "$ACT_PORT" "$HTTP_PORT"
start actbus "$BUILD/tests/ows-test-messagebus" "$ACT_PORT"
wait_line "$(log_of actbus)" "^listening on $ACT_URL" >/dev/null
start amonitor "$CTL" --bus "$ACT_URL" monitor
wait_line "$(err_of amonitor)" "^connected to $ACT_URL" >/dev/null
AMON=$(log_of amonitor)

# app_call METHOD ARGS...: org.freedesktop.Application on the app's object.
app_call ()
{
  method=$1
  shift
  run "call-$method" gdbus call --session --timeout 15 --dest org.openvoiceos.WifiSetup \
    --object-path /org/openvoiceos/WifiSetup --method "org.freedesktop.Application.$method" "$@"
}

name_owner_pid ()
{
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID org.openvoiceos.WifiSetup 2>/dev/null \
    | sed -n 's/^(uint32 \([0-9]*\),)$/\1/p'
}

ACTION=$(sed -n 's/^Actions=\([^;]*\);$/\1/p' "$DESKTOP_FILE")
app_call ActivateAction "$ACTION" '[]' '{}'
ACT_PID=$(name_owner_pid)
check "the desktop file's action \"$ACTION\" starts the app by D-Bus activation (gdbus exit $RC)" \
  "$([ "$RC" -eq 0 ] && [ -n "$ACT_PID" ] && [ "$(exe_of "$ACT_PID")" = "$WINDOW_EXE" ]; echo $?)" \
  "$(err_of call-ActivateAction)" "$(log_of dbus)" "$(err_of dbus)"

wait_line "$AMON" "  $P\.setup\.launched  " >/dev/null
check "the action launches setup on the bus of mycroft.conf" $? "$AMON" "$(err_of dbus)"

if [ -n "$X11_UTILS" ] && [ -n "$ACT_PID" ]; then
  wait_window "$ACT_PID" " IsViewable "
  check "the activated app shows its window" $? "$TMP/run/windows.out"
else
  skip "the activated app shows its window" "xwininfo and xprop (x11-utils) are not installed"
fi

app_call Activate '{}'
check "launching it again (Activate) reaches the same process (gdbus exit $RC)" \
  "$([ "$RC" -eq 0 ] && [ "$(name_owner_pid)" = "$ACT_PID" ]; echo $?)" "$(err_of call-Activate)"

MARK=$(line_count "$AMON")
app_call ActivateAction quit '[]' '{}'
i=0
while [ -n "$ACT_PID" ] && kill -0 "$ACT_PID" 2>/dev/null && [ $i -lt 50 ]; do
  sleep 0.1
  i=$((i + 1))
done
result=$([ -n "$ACT_PID" ] && ! kill -0 "$ACT_PID" 2>/dev/null \
         && find_line "$AMON" "  $P\.stop\.setup\.event  " "$MARK" | grep -q .; echo $?)
check "app.quit over D-Bus: it says stop.setup.event and exits" "$result" "$AMON" \
  "$(err_of call-ActivateAction)"

# ---- a portrait screen: a desktop window opens in the shape of its screen ----

if [ -n "$X11_UTILS" ] && command -v Xvfb >/dev/null 2>&1; then
  start portraitx Xvfb -displayfd 1 -screen 0 480x800x24 -nolisten tcp
  wait_line "$(log_of portraitx)" "^[0-9]+\$" >/dev/null
  PORTRAIT_DISPLAY=":$(head -n 1 "$(log_of portraitx)")"
  PORTRAIT_PORT=$(free_port)
  # No session bus: an instance of its own, not the running one's.
  start portrait env DISPLAY="$PORTRAIT_DISPLAY" DBUS_SESSION_BUS_ADDRESS= \
    "$WINDOW" --embedded-bus --bus "ws://127.0.0.1:$PORTRAIT_PORT/core"
  SAVED_DISPLAY=$DISPLAY
  DISPLAY=$PORTRAIT_DISPLAY
  wait_window "$(pid_of portrait)" " IsViewable "
  PORTRAIT_WINDOW=$(awk '{ print $1; exit }' "$TMP/run/windows.out")
  GEOMETRY=$(xwininfo -id "$PORTRAIT_WINDOW" 2>/dev/null | awk '/^ *Width:/ { w = $2 } /^ *Height:/ { h = $2 } END { print w "x" h }')
  DISPLAY=$SAVED_DISPLAY
  WIDTH=${GEOMETRY%x*}
  HEIGHT=${GEOMETRY#*x}
  check "on a 480×800 screen the desktop window opens portrait, within the screen (${GEOMETRY})" \
    "$([ "${WIDTH:-0}" -gt 0 ] && [ "$WIDTH" -le 480 ] && [ "$HEIGHT" -gt "$WIDTH" ] && [ "$HEIGHT" -le 800 ]; echo $?)" \
    "$TMP/run/windows.out" "$(err_of portrait)" "$(err_of portraitx)"
  kill -TERM "$(pid_of portrait)" 2>/dev/null
  exited portrait 50
  kill -TERM "$(pid_of portraitx)" 2>/dev/null
else
  skip "on a 480×800 screen the desktop window opens portrait, within the screen" \
    "Xvfb, xwininfo or xprop is not installed"
fi

run noservice env -u DISPLAY -u WAYLAND_DISPLAY "$MANAGER" --gapplication-service
check "D-Bus activation without a display exits 1 and says it needs one (got $RC)" \
  "$([ "$RC" -eq 1 ] && grep -q -e "--gapplication-service needs a display" "$(err_of noservice)"; echo $?)" \
  "$(err_of noservice)"

end_plan
