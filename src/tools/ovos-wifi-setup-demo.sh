#!/bin/sh
# The app on an embedded bus with two demo clients, and the wifi-setup traffic shown live.
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
printf '{"PHAL": {"ovos-PHAL-plugin-wifi-setup": {"first_boot": false}}}\n' \
  >"$demo_home/mycroft/mycroft.conf"

# Each in a session of its own, so that Ctrl+C reaches only this script, which
# then stops the clients first (they deregister) and the bus they talk to last.
manager_pid="" pids=""
cleanup () {
  trap - EXIT INT TERM
  # shellcheck disable=SC2086
  [ -n "$pids" ] && kill $pids 2>/dev/null && wait $pids 2>/dev/null
  [ -n "$manager_pid" ] && kill "$manager_pid" 2>/dev/null && wait "$manager_pid" 2>/dev/null
  rm -rf "$demo_home"
  exit 0
}
trap cleanup EXIT INT TERM

# With a display this opens the window; without one the manager runs headless.
setsid "$manager" --embedded-bus --bus "$bus" & manager_pid=$!
sleep 0.3
setsid "$ctl" --bus "$bus" monitor & pids="$pids $!"
sleep 0.3
# The on-device client fails, to show what the user sees then.
setsid "$client" --bus "$bus" --name ovos-PHAL-plugin-gui-network-client --type onDevice \
  --text "On Device Setup" --gui --input --outcome failure --after 3 & pids="$pids $!"
setsid "$client" --bus "$bus" --name BalenaWifiSetupPlugin --type Remote \
  --text "On Mobile Setup" --gui --no-input --after 3 & pids="$pids $!"
sleep 1
echo "--- the drop-down \"wifi setup\" entry: ovos-wifi-setup-ctl setup"
"$ctl" --bus "$bus" setup
echo "--- try: $ctl --bus $bus status | clients | setup   (Ctrl+C ends the demo)"
wait
