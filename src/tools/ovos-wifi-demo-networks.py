#!/usr/bin/python3
# A pretend NetworkManager for the demo, with a few Wi-Fi networks, on a D-Bus of its own.
# SPDX-License-Identifier: Apache-2.0
#
# The demo's window joins networks through this one, never this machine's own
# NetworkManager: no real connection is changed. It is python3-dbusmock's
# NetworkManager template, which stores no password, so any password that
# NetworkManager would accept (8 characters or more) joins a secured network.
# Prints the bus address for DBUS_SYSTEM_BUS_ADDRESS, then serves until SIGTERM.
import os
import signal
import subprocess
import sys
import time

import dbus

NETWORKS = [
    # name, signal (0-100), security flags (0x100: WPA/WPA2 Personal, 0x200: Enterprise)
    ("Home", 85, 0x100),
    ("Café Libre", 60, 0),
    ("Neighbours", 35, 0x100),
    ("Campus", 50, 0x200),
]


def main():
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    address = daemon.stdout.readline().decode().strip()
    mock = subprocess.Popen([sys.executable, "-m", "dbusmock", "--template", "networkmanager"],
                            env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(*_):
        mock.terminate()
        daemon.terminate()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    bus = dbus.bus.BusConnection(address)
    deadline = time.monotonic() + 10
    while not bus.name_has_owner("org.freedesktop.NetworkManager"):
        if time.monotonic() > deadline or mock.poll() is not None:
            print("the pretend NetworkManager did not start", file=sys.stderr)
            stop()
        time.sleep(0.05)
    nm = dbus.Interface(bus.get_object("org.freedesktop.NetworkManager", "/org/freedesktop"),
                        "org.freedesktop.DBus.Mock")
    device = nm.AddWiFiDevice("wlan0", "wlan0", 30)
    for i, (name, strength, security) in enumerate(NETWORKS):
        nm.AddAccessPoint(device, f"ap{i}", name, f"02:00:00:00:00:{i:02x}", 2, 2437, 54000,
                          strength, security)
    print(address, flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
