#!/bin/sh
# The app on an embedded bus with three demo clients (and, where python3-dbusmock is
# installed, pretend Wi-Fi networks for the built-in client), and the traffic shown live.
# SPDX-License-Identifier: Apache-2.0
# Usage: src/tools/ovos-wifi-setup-demo.sh BUILD-DIR   (the README's first command)
set -u
build=${1:?build directory}
manager="$build/src/ovos-wifi-setup"
ctl="$build/src/tools/ovos-wifi-setup-ctl"
client="$build/src/tools/ovos-wifi-demo-client"

# Never touch this machine's own mycroft.conf: the demo persists settings.
demo_home=$(mktemp -d)
export XDG_CONFIG_HOME="$demo_home" XDG_CONFIG_DIRS="$demo_home/xdg"
export MYCROFT_SYSTEM_CONFIG="$demo_home/none" OVOS_DISTRIBUTION_CONFIG="$demo_home/none"
# A port of its own, so that a real OVOS bus on 8181 is never joined by the demo.
bus=${OWS_DEMO_BUS:-ws://127.0.0.1:18181/core}
# Not a first boot: on a machine that is online, a first boot would be
# "completed" (and the selection closed) as soon as the watchdog sees the
# internet; the demo asks for setup as a user would on a connected device.
mkdir -p "$demo_home/mycroft"
# The phone setup's page is served on loopback by the pretend NetworkManager's
# hotspot, on a port of its own.
printf '{"PHAL": {"ovos-PHAL-plugin-wifi-setup": {"first_boot": false, "phone_setup_port": %s}}}\n' \
  "${OWS_DEMO_PAGE_PORT:-18080}" >"$demo_home/mycroft/mycroft.conf"

# Each in a session of its own, so that Ctrl+C reaches only this script, which
# then stops the clients first (they deregister) and the bus they talk to last.
# Ctrl+C is a normal end (0); a demo that could not start ends with 1.
manager_pid="" pids=""
cleanup () {
  status=$?
  trap - EXIT INT TERM
  # One of them may be gone already: kill fails for it, and the rest are still waited for.
  # shellcheck disable=SC2086
  [ -n "$pids" ] && { kill $pids 2>/dev/null; wait $pids 2>/dev/null; }
  [ -n "$manager_pid" ] && kill "$manager_pid" 2>/dev/null && wait "$manager_pid" 2>/dev/null
  rm -rf "$demo_home"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# The monitor's output passes through this script, which reads it to know when
# the monitor is connected and when both clients have registered: the window
# takes seconds to serve the embedded bus, the headless manager a moment, and
# every step waits for what it needs rather than for a guess.
mkfifo "$demo_home/monitor"

# await PATTERN...: pass the monitor's lines on until each PATTERN (a shell
# pattern) has matched a line; fails when the monitor ends first.
await () {
  while [ $# -gt 0 ] && IFS= read -r line <&3; do
    printf '%s\n' "$line"
    for pattern do
      shift
      # shellcheck disable=SC2254
      case $line in $pattern) ;; *) set -- "$@" "$pattern" ;; esac
    done
  done
  [ $# -eq 0 ]
}

# A pretend NetworkManager with a few networks (python3-dbusmock), so that the
# window's built-in Wi-Fi client has something to join; never this machine's own.
if command -v dbus-daemon >/dev/null && /usr/bin/python3 -c 'import dbusmock' 2>/dev/null; then
  setsid /usr/bin/python3 "$(dirname "$0")/ovos-wifi-demo-networks.py" >"$demo_home/nm" &
  pids="$pids $!"
  tries=0
  while [ ! -s "$demo_home/nm" ] && [ "$tries" -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); done
  nm_bus=$(head -n 1 "$demo_home/nm")
  if [ -n "$nm_bus" ]; then
    export DBUS_SYSTEM_BUS_ADDRESS="$nm_bus"
    echo "--- pretend Wi-Fi networks (python3-dbusmock): any password of 8 characters or more joins them"
  fi
fi

# With a display this opens the window; without one the manager runs headless.
setsid "$manager" --embedded-bus --bus "$bus" & manager_pid=$!
setsid "$ctl" --bus "$bus" --wait 30 monitor >"$demo_home/monitor" 2>&1 & pids="$pids $!"
exec 3<"$demo_home/monitor"
await "connected to *" || exit 1
# The real clients' shapes: the GUI network client draws on the OVOS screen,
# which the demo does not have, so the window does not offer it; the Balena
# client succeeds; a voice client fails, to show what the user sees then.
setsid "$client" --bus "$bus" --wait 30 --name ovos-PHAL-plugin-gui-network-client \
  --type onDevice --text "On Device Setup" --gui --input --outcome failure --after 3 \
  & pids="$pids $!"
setsid "$client" --bus "$bus" --wait 30 --name BalenaWifiSetupPlugin --type Remote \
  --text "On Mobile Setup" --gui --no-input --after 3 & pids="$pids $!"
setsid "$client" --bus "$bus" --wait 30 --name demo-voice-setup --type onDevice \
  --text "Set Up by Voice" --no-gui --input --outcome failure --after 3 & pids="$pids $!"
await "*client.registered*ovos-PHAL-plugin-gui-network-client*" \
  "*client.registered*BalenaWifiSetupPlugin*" "*client.registered*demo-voice-setup*" || exit 1
echo "--- the drop-down \"wifi setup\" entry: ovos-wifi-setup-ctl setup"
"$ctl" --bus "$bus" setup
echo "--- try: $ctl --bus $bus status | clients | setup   (Ctrl+C ends the demo)"
cat <&3 & pids="$pids $!"
exec 3<&-
wait
