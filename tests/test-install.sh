#!/bin/sh
# test-install.sh: `meson install` into a scratch DESTDIR, and every file a desktop or a device
# image needs, where it must be (TAP).
# SPDX-License-Identifier: Apache-2.0
#
# Usage: test-install.sh MESON SOURCE_ROOT BUILD_ROOT
# The installed tree is listed as "# " lines.
set -u

MESON=${1:?usage: test-install.sh MESON SOURCE_ROOT BUILD_ROOT}
SRC=${2:?usage: test-install.sh MESON SOURCE_ROOT BUILD_ROOT}
BUILD=${3:?usage: test-install.sh MESON SOURCE_ROOT BUILD_ROOT}
ID=org.openvoiceos.WifiSetup

# shellcheck source-path=SCRIPTDIR source=ows-test-lib.sh
. "$(dirname "$0")/ows-test-lib.sh"
isolate install

LANGS=$(grep -v -e '^#' -e '^ *$' "$SRC/po/LINGUAS")

# The directories this build installs to, as meson resolved them.
eval "$(python3 - "$BUILD/meson-info/intro-installed.json" "$BUILD/meson-info/intro-buildoptions.json" <<'EOF_PY'
import json, os, sys
options = {o["name"]: o["value"] for o in json.load(open(sys.argv[2]))}
prefix = options["prefix"]
for name in ("bindir", "libexecdir", "datadir", "localedir"):
    print(f"{name.upper()}='{os.path.join(prefix, options[name])}'")
print(f"PREFIX='{prefix}'")
units = [p for p in json.load(open(sys.argv[1])).values() if p.endswith("/ovos-wifi-setup.service")]
print(f"UNITDIR='{os.path.dirname(units[0]) if units else ''}'")
EOF_PY
)"

EXPECTED="
$BINDIR/ovos-wifi-setup
$BINDIR/ovos-wifi-setup-ctl
$BINDIR/ovos-wifi-demo-client
$LIBEXECDIR/ovos-wifi-setup-window
$DATADIR/applications/$ID.desktop
$DATADIR/metainfo/$ID.metainfo.xml
$DATADIR/icons/hicolor/scalable/apps/$ID.svg
$DATADIR/icons/hicolor/symbolic/apps/$ID-symbolic.svg
$DATADIR/dbus-1/services/$ID.service
$UNITDIR/ovos-wifi-setup.service
$UNITDIR/ovos-wifi-setup-kiosk.service"
for l in $LANGS; do
  EXPECTED="$EXPECTED
$LOCALEDIR/$l/LC_MESSAGES/ovos-wifi-setup.mo"
done
# The sign-in program, beside the window, where the build found WebKitGTK.
if [ -e "$BUILD/src/gui/ovos-wifi-setup-portal" ]; then
  EXPECTED="$EXPECTED
$LIBEXECDIR/ovos-wifi-setup-portal"
fi
# The phone setup's hotspot program, where the build found libnm.
if [ -e "$BUILD/src/ovos-wifi-setup-hotspot" ]; then
  EXPECTED="$EXPECTED
$LIBEXECDIR/ovos-wifi-setup-hotspot"
fi

plan $(($(echo "$EXPECTED" | grep -c .) + 6))

ROOT=$TMP/root
run install "$MESON" install -C "$BUILD" --destdir "$ROOT" --no-rebuild --quiet
(cd "$ROOT" && find . -type f | sed 's|^\.||' | sort) >"$TMP/installed"
sed 's/^/#   /' "$TMP/installed"
check "meson install into a scratch DESTDIR (exit $RC; $(wc -l <"$TMP/installed" | tr -d ' ') files)" \
  "$([ "$RC" -eq 0 ]; echo $?)" "$(out_of install)" "$(err_of install)"

for path in $EXPECTED; do
  grep -q -x -F -e "$path" "$TMP/installed"
  check "installed: $path" $? "$TMP/installed"
done

outside=$(grep -v -e "^$PREFIX/" "$TMP/installed")
check "nothing lands outside the prefix $PREFIX${outside:+ ($outside)}" "$([ -z "$outside" ]; echo $?)"

# What D-Bus activation and the units run is the installed program.
result=$([ -x "$ROOT$BINDIR/ovos-wifi-setup" ] \
         && grep -q -x "Exec=$BINDIR/ovos-wifi-setup --gapplication-service" "$ROOT$DATADIR/dbus-1/services/$ID.service" \
         && grep -q -x "ExecStart=$BINDIR/ovos-wifi-setup --headless" "$ROOT$UNITDIR/ovos-wifi-setup.service" \
         && grep -q -x "ExecStart=$BINDIR/ovos-wifi-setup --kiosk" "$ROOT$UNITDIR/ovos-wifi-setup-kiosk.service"; echo $?)
check "the D-Bus service and both units run the installed $BINDIR/ovos-wifi-setup" "$result" \
  "$ROOT$DATADIR/dbus-1/services/$ID.service" "$ROOT$UNITDIR/ovos-wifi-setup.service"

# systemd checks that ExecStart exists, and has no --root for user units: the
# installed units are verified with their paths moved into the scratch root.
if command -v systemd-analyze >/dev/null 2>&1; then
  mkdir -p "$TMP/units" "$TMP/runtime"
  chmod 700 "$TMP/runtime"
  for unit in ovos-wifi-setup.service ovos-wifi-setup-kiosk.service; do
    sed "s|=$BINDIR/|=$ROOT$BINDIR/|" "$ROOT$UNITDIR/$unit" >"$TMP/units/$unit"
  done
  XDG_RUNTIME_DIR=$TMP/runtime run verify systemd-analyze verify --user \
    "$TMP/units/ovos-wifi-setup.service" "$TMP/units/ovos-wifi-setup-kiosk.service"
  cat "$(out_of verify)" "$(err_of verify)" | sed 's/^/#   /'
  check "systemd-analyze verify --user: both units, not a word of complaint (exit $RC)" \
    "$([ "$RC" -eq 0 ] && [ ! -s "$(out_of verify)" ] && [ ! -s "$(err_of verify)" ]; echo $?)" \
    "$(out_of verify)" "$(err_of verify)"
else
  skip "systemd-analyze verify --user accepts both units" "systemd-analyze (systemd) is not installed"
fi

# The installed catalogues answer in each language, under the app's text domain.
wrong=
for l in $LANGS; do
  said=$(TEXTDOMAINDIR="$ROOT$LOCALEDIR" LANGUAGE=$l LC_ALL=C.UTF-8 \
         gettext -d ovos-wifi-setup "Wi-Fi Setup" 2>/dev/null)
  echo "#   $l: $said"
  [ -n "$said" ] && [ "$said" != "Wi-Fi Setup" ] || wrong="$wrong $l"
done
check "each installed catalogue translates \"Wi-Fi Setup\" (untranslated:${wrong:- none})" \
  "$([ -z "$wrong" ]; echo $?)"

# Linked as installed, with nothing of the build tree to lean on.
run version "$ROOT$BINDIR/ovos-wifi-setup" --version
check "the installed ovos-wifi-setup runs (--version, exit $RC)" \
  "$([ "$RC" -eq 0 ] && grep -q "^ovos-wifi-setup " "$(out_of version)"; echo $?)" \
  "$(out_of version)" "$(err_of version)"

end_plan
