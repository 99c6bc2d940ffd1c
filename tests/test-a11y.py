#!/usr/bin/python3
# test-a11y.py: the window as a screen reader hears it, read through AT-SPI (TAP).
# SPDX-License-Identifier: Apache-2.0
#
# Usage: test-a11y.py BUILD_ROOT, under an X server and a private D-Bus session:
#   xvfb-run -a -s '-screen 0 1280x1024x24 -noreset' dbus-run-session -- \
#     /usr/bin/python3 test-a11y.py BUILD_ROOT
# (-noreset: at-spi-bus-launcher leaves the X server at once, and a server
# resetting then turns the window away: "cannot open display").
#
# GTK 4.8 names a button that has a mnemonic by its raw label and then by its
# content, so Orca said "Connect _Later Connect Later" (ows-a11y.c undoes it).
# Here the real window runs with GTK's AT-SPI backend and is read as Orca
# reads it: every button named once, as it shows, without an underscore; the
# selection page's title a heading; each tile a push button named by its
# client's text, with its hints as description.
#
# All pages of the window's stack are in the tree at all times, and without a
# window manager no SHOWING state is set: the screen shown is the page that
# holds the focus, which GtkStack moves into the page it shows (where Orca
# is). GTK 4.8 names a nameless widget by its type, which tells pages apart.
# Every wait has a deadline; a failing check prints what was heard and the
# window's log as "# " lines. Without pyatspi or at-spi-bus-launcher (Debian:
# python3-pyatspi, at-spi2-core) the test is skipped and says why.
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import namedtuple

try:  # only a binding: libatspi reaches the accessibility bus at its first call
    import pyatspi
    from gi.repository import Gio, GLib
except (ImportError, ValueError):
    pyatspi = None

P = "ovos.phal.wifi.plugin"
LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
MOBILE, VOICE = "On Mobile Setup", "Voice"
MOBILE_HINTS = "Shows its own screen. Needs touch or keyboard"
SELECTION, RUNNING, OFFLINE = "OwsSelectionPage", "OwsRunningPage", "OwsOfflinePage"
NEVER = "Never Connect?"  # the dialog that asks
PLAN = 20

Node = namedtuple("Node", "role name description page focused labels acc")
count = failures = 0
procs = {}
tmp = tempfile.mkdtemp(prefix="ows-test-a11y.")


def log_of(name):
    return os.path.join(tmp, name + ".log")


def check(description, ok, *details):
    """One TAP line; on failure, the details and the window's log as comments."""
    global count, failures
    count += 1
    print(f"{'ok' if ok else 'not ok'} {count} - {description}")
    if not ok:
        failures += 1
        for line in details:
            print(f"#   {line}")
        with open(log_of("window"), errors="replace") as log:
            for line in log.readlines()[-15:]:
                print(f"# window: {line.rstrip()}")
    sys.stdout.flush()


def start(name, argv, env):
    procs[name] = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                   stdout=open(log_of(name), "w"), stderr=subprocess.STDOUT)
    return procs[name]


def stop_all():
    for proc in reversed(list(procs.values())):
        proc.terminate()
    for proc in procs.values():
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(get, ready, seconds=10):
    """get() until ready(result) or the deadline: the last result either way."""
    deadline = time.monotonic() + seconds
    while True:
        result = get()
        window = procs.get("window")
        if ready(result) or time.monotonic() > deadline or (window and window.poll() is not None):
            return result
        time.sleep(0.1)


def walk(acc, page=None):
    """acc and everything below it, each with the Ows…Page or dialog it is on."""
    role, name = acc.getRoleName(), acc.name
    if role == "dialog" or (role == "filler" and name.startswith("Ows") and name.endswith("Page")):
        page = name
    below = [node for i in range(acc.childCount) if (child := acc.getChildAtIndex(i)) is not None
             for node in walk(child, page)]
    labels = tuple(n.name for n in below if n.role == "label") if role == "push button" else ()
    focused = acc.getState().contains(pyatspi.STATE_FOCUSED)
    return [Node(role, name, acc.description, page, focused, labels, acc)] + below


def snapshot(app):
    app.clear_cache()  # no event listener here keeps libatspi's cache current
    try:
        return walk(app)
    except Exception:  # an object went away under us: read again
        return []


def screen(tree):
    """The page of the focus in the newest window: a window keeps its focus
    widget under a modal dialog, and without a window manager none is active."""
    pages = [n.page for n in tree if n.focused and n.role != "frame"]
    return pages[-1] if pages else None


def focus(tree):
    return f"focused: {[(n.page, n.name) for n in tree if n.focused]}"


def buttons(tree, page=None):
    return [n for n in tree if n.role == "push button" and (page is None or n.page == page)]


def named(tree, page, name, description=None):
    return any(n.name == name and (description is None or n.description == description)
               for n in buttons(tree, page))


def press(tree, page, name):
    """Click the button showing name as Orca does, through its AT-SPI action
    (the focused one, of two); again while GTK says it cannot, as a user would."""
    found = sorted((n for n in buttons(tree, page) if name in (n.name, *n.labels)),
                   key=lambda n: not n.focused)
    return bool(found) and until(lambda: found[0].acc.queryAction().doAction(0), bool, 5)


def heard(tree, page=None):
    return [f"{n.name!r} ({n.description!r})" if n.description else repr(n.name)
            for n in buttons(tree, page)]


def misnamed(node):
    """What Orca would say wrong about a push button, or None."""
    words = node.name.split()
    half = len(words) // 2
    if not words:
        return "no name"
    if "_" in node.name:
        return "a mnemonic underscore"
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        return "said twice"
    if len(node.labels) == 1 and node.name != node.labels[0]:
        return f"not its text {node.labels[0]!r}"
    return None


def check_every_button(tree, where):
    bad = [f"{n.name!r} on {n.page or 'the window'}: {misnamed(n)}"
           for n in buttons(tree) if misnamed(n)]
    check(f"{where}: every push button of the window ({len(buttons(tree))}) is named once, "
          "as it shows, without an underscore", bool(tree) and not bad, *bad)


def check_buttons(tree, page, where, *names):
    for name in names:
        check(f"{where}: the button \"{name}\" is named exactly so", named(tree, page, name),
              f"push buttons on {page}: {heard(tree, page)}")


def skip_all(reason):
    print("1..1")
    print(f"ok 1 - the window through AT-SPI # SKIP {reason}")
    sys.exit(0)


def main(build):
    launcher = next((path for path in LAUNCHERS if os.access(path, os.X_OK)), None)
    if pyatspi is None:
        skip_all(f"pyatspi is not installed for {sys.executable} (Debian: python3-pyatspi)")
    if launcher is None:
        skip_all("at-spi-bus-launcher is not installed (Debian: at-spi2-core)")
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("Bail out! needs DISPLAY and DBUS_SESSION_BUS_ADDRESS: "
              "run under xvfb-run and dbus-run-session")
        sys.exit(1)
    print(f"1..{PLAN}")

    # Only this test's configuration, and a connectivity probe that fails at
    # once on loopback (never the internet) and never launches setup by itself.
    os.makedirs(os.path.join(tmp, "config/mycroft"))
    os.mkdir(os.path.join(tmp, "run"), 0o700)
    probe = f"http://127.0.0.1:{free_port()}/"
    with open(os.path.join(tmp, "config/mycroft/mycroft.conf"), "w") as conf:
        json.dump({"network_tests": {"captive_portal_url": probe, "web_url": probe,
                                     "web_url_secondary": probe},
                   "PHAL": {"ovos-PHAL-plugin-wifi-setup": {"first_boot": False,
                                                            "grace_period": 3600,
                                                            "time_between_checks": 3600}}}, conf)
    env = dict(os.environ, GTK_A11Y="atspi", NO_AT_BRIDGE="0", GSK_RENDERER="cairo",
               GDK_BACKEND="x11", GDK_DEBUG="gl-disable", ADW_DISABLE_PORTAL="1",
               GSETTINGS_BACKEND="memory", GIO_USE_NETWORK_MONITOR="base",
               XDG_CONFIG_HOME=os.path.join(tmp, "config"), XDG_CONFIG_DIRS="/nonexistent",
               XDG_DATA_HOME=os.path.join(tmp, "data"), XDG_CACHE_HOME=os.path.join(tmp, "cache"),
               XDG_STATE_HOME=os.path.join(tmp, "state"), MYCROFT_SYSTEM_CONFIG="/nonexistent",
               OVOS_DISTRIBUTION_CONFIG="/nonexistent", XDG_RUNTIME_DIR=os.path.join(tmp, "run"))
    env.pop("WAYLAND_DISPLAY", None)

    # The accessibility bus, owned before anyone asks for it (D-Bus would start a second).
    start("launcher", [launcher, "--launch-immediately"], env)
    session = Gio.bus_get_sync(Gio.BusType.SESSION)
    until(lambda: session.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus", "NameHasOwner",
                                    GLib.Variant("(s)", ("org.a11y.Bus",)), None, 0, 2000,
                                    None).unpack()[0], bool, 5)

    url = f"ws://127.0.0.1:{free_port()}/core"
    ctl_path = os.path.join(build, "src/tools/ovos-wifi-setup-ctl")

    def ctl(*args):
        with open(log_of("ctl"), "a") as log:
            try:
                return subprocess.run([ctl_path, "--bus", url, "--wait", "30", *args], env=env,
                                      stdout=log, stderr=subprocess.STDOUT, timeout=40).returncode
            except subprocess.TimeoutExpired:
                return 124

    window = start("window", [os.path.join(build, "src/gui/ovos-wifi-setup-window"),
                              "--embedded-bus", "--bus", url], env)
    desktop = pyatspi.Registry.getDesktop(0)

    def find_app():
        desktop.clear_cache()
        return next((app for app in desktop if app is not None
                     and app.get_process_id() == window.pid), None)

    app = until(find_app, bool)
    check("the window is an application on the accessibility bus", app is not None)
    if app is None:
        print("Bail out! the window never reached the accessibility bus")
        return

    # Two setup methods: one with a screen of its own that needs input (offered
    # once an OVOS screen answers, as ovos-gui would), one with neither.
    for name, text, flags in (("a", MOBILE, ["--type", "Remote", "--gui", "--input"]),
                              ("b", VOICE, ["--type", "onDevice", "--no-gui", "--no-input"])):
        start(f"demo-{name}", [os.path.join(build, "src/tools/ovos-wifi-demo-client"),
                               "--bus", url, "--wait", "30", "--name", name, "--text", text,
                               *flags, "--after", "60"], env)
    sent = (ctl("setup") == 0
            and ctl("send", "gui.status.request.response", '{"connected": true}') == 0)

    # ---- the selection screen ----
    tree = until(lambda: snapshot(app), lambda t: screen(t) == SELECTION
                 and named(t, SELECTION, MOBILE) and named(t, SELECTION, VOICE))
    check("setup launched: the focus is on the selection screen, with a tile per client",
          sent and screen(tree) == SELECTION and named(tree, SELECTION, MOBILE)
          and named(tree, SELECTION, VOICE),
          f"ctl setup and gui.status.request.response: {'sent' if sent else 'failed'}",
          focus(tree), f"push buttons on {SELECTION}: {heard(tree, SELECTION)}")
    check("the heading \"Connect to the Internet\" is heard as a heading",
          any(n.role == "heading" and n.name == "Connect to the Internet" and n.page == SELECTION
              for n in tree),
          *[f"{n.role}: {n.name!r}" for n in tree
            if n.page == SELECTION and n.role in ("heading", "label")])
    tiles = f"push buttons on {SELECTION}: {heard(tree, SELECTION)}"
    check(f"the tile \"{MOBILE}\" is a push button named so, described \"{MOBILE_HINTS}\"",
          named(tree, SELECTION, MOBILE, MOBILE_HINTS), tiles)
    check(f"the tile \"{VOICE}\" (no screen, no input) is a push button named so, "
          "without description", named(tree, SELECTION, VOICE, ""), tiles)
    check_buttons(tree, SELECTION, "selection", "Connect Later", "Never Connect")
    check_every_button(tree, "selection")

    # ---- the running screen ----
    rc = ctl("send", f"{P}.client.select", '{"client": "a"}')
    tree = until(lambda: snapshot(app), lambda t: screen(t) == RUNNING)
    check("a client selected: the focus is on the running screen", screen(tree) == RUNNING,
          f"ctl send: exit {rc}", focus(tree))
    check_buttons(tree, RUNNING, "running", "Back to Choices")
    check_every_button(tree, "running")

    # ---- the offline screen ----
    rc = ctl("send", f"{P}.skip.setup")
    tree = until(lambda: snapshot(app), lambda t: screen(t) == OFFLINE)
    check("setup skipped: the focus is on the offline screen", screen(tree) == OFFLINE,
          f"ctl send: exit {rc}", focus(tree))
    check_buttons(tree, OFFLINE, "offline", "Set Up Now", "Done")
    check_every_button(tree, "offline")

    # ---- back, as Orca's user goes: Never Connect asks first, in a dialog ----
    # (Last: without a window manager, nobody gives the window its focus back.)
    pressed = press(tree, OFFLINE, "Set Up Now")
    tree = until(lambda: snapshot(app), lambda t: screen(t) == SELECTION)
    check("\"Set Up Now\" pressed through AT-SPI: the focus is on the selection screen",
          pressed and screen(tree) == SELECTION, f"pressed: {pressed}", focus(tree))
    pressed = press(tree, SELECTION, "Never Connect")
    tree = until(lambda: snapshot(app), lambda t: screen(t) == NEVER)
    check(f"\"Never Connect\" pressed: the focus is on the dialog \"{NEVER}\"",
          pressed and screen(tree) == NEVER, f"pressed: {pressed}", focus(tree))
    check_buttons(tree, NEVER, "dialog", "Cancel", "Never Connect")
    check_every_button(tree, "dialog")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    finally:
        stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    if count and count != PLAN:
        print(f"# planned {PLAN} checks, ran {count}")
    sys.exit(1 if failures or (count and count != PLAN) else 0)
