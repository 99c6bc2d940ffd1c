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


WIRELESS = "org.freedesktop.NetworkManager.Device.Wireless"

# What the template lacks for "Set Up With a Phone": a scan that ends (LastScan
# moves), an access point brought up from the settings sent (the template's
# own call wants a network in range of that name), and an address for the
# device on loopback, so that the setup page opens in this machine's browser.
ACTIVATE = """
conf = dbus.Dictionary({}, signature='sa{sv}')
for key in args[0]:
    conf[key] = dbus.Dictionary(dict(args[0][key]), signature='sv')
con = conf.setdefault('connection', dbus.Dictionary({}, signature='sv'))
con.pop('autoconnect', None)
main = objects['/org/freedesktop']
conn_path = main.SettingsAddConnection(conf)
self.demo_count = getattr(self, 'demo_count', 0) + 1
ac_path = '/org/freedesktop/NetworkManager/ActiveConnection/demo' + str(self.demo_count)
main.AddObject(ac_path, 'org.freedesktop.NetworkManager.Connection.Active', {
    'Devices': dbus.Array([args[1]], signature='o'), 'Default': False, 'Default6': False,
    'Vpn': False, 'Type': str(con.get('type', '802-11-wireless')),
    'Connection': dbus.ObjectPath(conn_path), 'Master': dbus.ObjectPath('/'),
    'SpecificObject': args[2], 'Uuid': str(con.get('uuid', '')), 'Id': str(con.get('id', '')),
    'State': dbus.UInt32(2)}, [])
main.object_manager_emit_added(ac_path)
nm = objects['/org/freedesktop/NetworkManager']
acs = nm.Get('org.freedesktop.NetworkManager', 'ActiveConnections')
acs.append(dbus.ObjectPath(ac_path))
nm.Set('org.freedesktop.NetworkManager', 'ActiveConnections', acs)
dev = objects[args[1]]
old = dev.Get('org.freedesktop.NetworkManager.Device', 'State')
dev.Set('org.freedesktop.NetworkManager.Device', 'ActiveConnection', dbus.ObjectPath(ac_path))
dev.Set('org.freedesktop.NetworkManager.Device', 'State', dbus.UInt32(100))
dev.EmitSignal('org.freedesktop.NetworkManager.Device', 'StateChanged', 'uuu',
               [dbus.UInt32(100), old, dbus.UInt32(0)])
ret = (dbus.ObjectPath(conn_path), dbus.ObjectPath(ac_path))
"""


def pretend_phone_setup(bus, device):
    nm_object = bus.get_object("org.freedesktop.NetworkManager", "/org/freedesktop/NetworkManager")
    dbus.Interface(nm_object, "org.freedesktop.DBus.Mock").AddMethod(
        "org.freedesktop.NetworkManager", "AddAndActivateConnection", "a{sa{sv}}oo", "oo", ACTIVATE)
    dev = dbus.Interface(bus.get_object("org.freedesktop.NetworkManager", device),
                         "org.freedesktop.DBus.Mock")
    dev.AddProperty(WIRELESS, "LastScan", dbus.Int64(1))
    dev.AddMethod(WIRELESS, "RequestScan", "a{sv}", "",
                  f"self.Set('{WIRELESS}', 'LastScan', "
                  f"dbus.Int64(self.Get('{WIRELESS}', 'LastScan') + 1))")
    config = "/org/freedesktop/NetworkManager/IP4Config/demo"
    root = dbus.Interface(bus.get_object("org.freedesktop.NetworkManager", "/org/freedesktop"),
                          "org.freedesktop.DBus.Mock")
    root.AddObject(config, "org.freedesktop.NetworkManager.IP4Config", {
        "AddressData": dbus.Array([dbus.Dictionary({"address": "127.0.0.1",
                                                    "prefix": dbus.UInt32(8)}, signature="sv")],
                                  signature="a{sv}"),
        "Addresses": dbus.Array([], signature="au"), "Gateway": ""}, [])
    dev.AddProperty("org.freedesktop.NetworkManager.Device", "Ip4Config", dbus.ObjectPath(config))


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
    pretend_phone_setup(bus, device)
    print(address, flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
