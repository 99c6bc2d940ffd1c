#!/bin/sh
# test-data.sh: the launcher, software-centre entry, icons, D-Bus and systemd files, translations
# and Flatpak manifest, each checked by its own validator where one is installed (TAP).
# SPDX-License-Identifier: Apache-2.0
#
# Usage: test-data.sh MESON SOURCE_ROOT BUILD_ROOT
# What a validator says is printed as "# " lines, also when it passes. It builds
# the -pot target, which writes po/ovos-wifi-setup.pot in the source tree.
set -u

MESON=${1:?usage: test-data.sh MESON SOURCE_ROOT BUILD_ROOT}
SRC=${2:?usage: test-data.sh MESON SOURCE_ROOT BUILD_ROOT}
BUILD=${3:?usage: test-data.sh MESON SOURCE_ROOT BUILD_ROOT}
ID=org.openvoiceos.WifiSetup
DESKTOP=$BUILD/data/$ID.desktop
METAINFO=$BUILD/data/$ID.metainfo.xml
SERVICE=$BUILD/data/$ID.service
MANIFEST=$SRC/flatpak/$ID.json
SCHEMA=$SRC/../shared/reference/flatpak-manifest.schema.json

# shellcheck source-path=SCRIPTDIR source=ows-test-lib.sh
. "$(dirname "$0")/ows-test-lib.sh"
isolate data

LANGS=$(grep -v -e '^#' -e '^ *$' "$SRC/po/LINGUAS")
N_LANGS=$(echo "$LANGS" | wc -w)
plan $((14 + 2 * N_LANGS))

# say FILE: a validator's words, as TAP comments.
say ()
{
  [ -s "$1" ] && sed 's/^/#   /' "$1"
  return 0
}

# has TOOL: whether TOOL is installed; .ci/install-deps installs them all.
has () { command -v "$1" >/dev/null 2>&1; }

# ---- the desktop file ----

if has desktop-file-validate; then
  run desktop-validate desktop-file-validate "$DESKTOP"
  say "$(out_of desktop-validate)"
  check "desktop-file-validate accepts $ID.desktop, without a hint (exit $RC)" \
    "$([ "$RC" -eq 0 ] && [ ! -s "$(out_of desktop-validate)" ]; echo $?)" \
    "$(out_of desktop-validate)" "$(err_of desktop-validate)"
else
  skip "desktop-file-validate accepts $ID.desktop" "desktop-file-validate (desktop-file-utils) is not installed"
fi

# Launchers start it over D-Bus, and the drop-down entry is the app's wifi-setup action.
python3 - "$DESKTOP" >"$TMP/desktop.out" 2>&1 <<'EOF_PY'
import configparser, sys
entry = configparser.RawConfigParser(strict=True, interpolation=None)
entry.optionxform = str
entry.read(sys.argv[1], encoding="utf-8")
main, action = entry["Desktop Entry"], entry["Desktop Action wifi-setup"]
expect = [
    (main, "DBusActivatable", "true"),
    (main, "Actions", "wifi-setup;"),
    (main, "Icon", "org.openvoiceos.WifiSetup"),
    (main, "Exec", "ovos-wifi-setup"),
    (action, "Name", "Wi-Fi Setup"),
    (action, "Exec", "ovos-wifi-setup --wifi-setup"),
]
bad = [f"{section.name}: {key}={section.get(key)!r}, not {value!r}"
       for section, key, value in expect if section.get(key) != value]
for key in ("Keywords", "Categories", "Comment"):
    if not main.get(key):
        bad.append(f"no {key}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF_PY
check "the desktop file is D-Bus activatable, named by the app id, with the wifi-setup action" $? \
  "$TMP/desktop.out"

missing=
for l in $LANGS; do
  for key in Name Comment Keywords; do
    grep -q -F -e "$key[$l]=" "$DESKTOP" || missing="$missing $key[$l]"
  done
  # The action's Name comes after its group header.
  sed -n '/^\[Desktop Action wifi-setup\]/,$p' "$DESKTOP" | grep -q -F -e "Name[$l]=" \
    || missing="$missing action:Name[$l]"
done
check "the desktop file carries every language's name, comment, keywords and action (missing:${missing:- none})" \
  "$([ -z "$missing" ]; echo $?)"

# ---- the AppStream metainfo ----

if has appstreamcli; then
  run appstream appstreamcli validate --no-net --explain "$METAINFO"
  say "$(out_of appstream)"
  # AppStream 0.16 (Debian 12) predates <developer>: that note, and only it, is expected.
  unexpected=$(grep -E '^[EWIP]: ' "$(out_of appstream)" | grep -v -E '^I: [^ ]+ unknown-tag developer$')
  check "appstreamcli validate --no-net: valid, nothing but 0.16's unknown <developer> (exit $RC)" \
    "$([ "$RC" -eq 0 ] && [ -z "$unexpected" ]; echo $?)" "$(out_of appstream)" "$(err_of appstream)"
else
  skip "appstreamcli validate --no-net accepts the metainfo" "appstreamcli (appstream) is not installed"
fi

python3 - "$METAINFO" "$SRC/data/screenshots" $LANGS >"$TMP/metainfo.out" 2>&1 <<'EOF_PY'
import os, sys, xml.etree.ElementTree as ET
path, shots, langs = sys.argv[1], sys.argv[2], sys.argv[3:]
root = ET.parse(path).getroot()
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
bad = []
if root.findtext("id") != "org.openvoiceos.WifiSetup":
    bad.append(f"id is {root.findtext('id')!r}")
if root.findtext("launchable[@type='desktop-id']") != "org.openvoiceos.WifiSetup.desktop":
    bad.append("the launchable is not the desktop file")
images = [i.text for i in root.iterfind("screenshots/screenshot/image")]
if not images:
    bad.append("no screenshots")
for url in images:
    local = os.path.join(shots, os.path.basename(url))
    try:
        with open(local, "rb") as f:
            is_png = f.read(8) == b"\x89PNG\r\n\x1a\n"
    except OSError:
        is_png = False
    if not is_png:
        bad.append(f"{url}: no PNG {local}")
for tag in ("content_rating", "releases/release", "requires/display_length",
            "supports/control", "url[@type='homepage']", "developer"):
    if root.find(tag) is None:
        bad.append(f"no <{tag}>")
for lang in langs:
    for tag in ("name", "summary", "description/p"):
        if not [e for e in root.iterfind(tag) if e.get(XML_LANG) == lang]:
            bad.append(f"no {tag} in {lang}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF_PY
check "the metainfo: id, launchable, screenshots in data/screenshots, rating, releases, devices, translated" \
  $? "$TMP/metainfo.out"

# ---- D-Bus activation and the user units ----

result=$(grep -q -x "Name=$ID" "$SERVICE" \
         && grep -q -x -E "Exec=/.+/bin/ovos-wifi-setup --gapplication-service" "$SERVICE"; echo $?)
check "the D-Bus service file names the app id and runs ovos-wifi-setup --gapplication-service" \
  "$result" "$SERVICE"

HEADLESS_UNIT=$BUILD/data/ovos-wifi-setup.service
KIOSK_UNIT=$BUILD/data/ovos-wifi-setup-kiosk.service
result=$(grep -q -x -E "ExecStart=/.+/bin/ovos-wifi-setup --headless" "$HEADLESS_UNIT" \
         && grep -q -x "Restart=on-failure" "$HEADLESS_UNIT" \
         && grep -q -x "RestartPreventExitStatus=1 2" "$HEADLESS_UNIT" \
         && grep -q -x "After=ovos-messagebus.service" "$HEADLESS_UNIT" \
         && grep -q -x "Conflicts=ovos-wifi-setup-kiosk.service" "$HEADLESS_UNIT" \
         && grep -q -x -E "ExecStart=/.+/bin/ovos-wifi-setup --kiosk" "$KIOSK_UNIT" \
         && grep -q -x "BusName=$ID" "$KIOSK_UNIT" \
         && grep -q -x "WantedBy=graphical-session.target" "$KIOSK_UNIT" \
         && grep -q -x "Conflicts=ovos-wifi-setup.service" "$KIOSK_UNIT"; echo $?)
check "the units: headless after the messagebus and not restarted when another manager answers, kiosk in the graphical session, never both" \
  "$result" "$HEADLESS_UNIT" "$KIOSK_UNIT"

# ---- what each program links ----

# The window must not carry WebKit (its memory and first frame): only the
# sign-in program, started on Sign In, links it.
WINDOW_EXE=$BUILD/src/gui/ovos-wifi-setup-window
PORTAL_EXE=$BUILD/src/gui/ovos-wifi-setup-portal
readelf -d "$WINDOW_EXE" >"$TMP/window.dyn" 2>&1
result=$(! grep -q "libwebkit" "$TMP/window.dyn" \
         && { [ ! -e "$PORTAL_EXE" ] || readelf -d "$PORTAL_EXE" | grep -q "libwebkitgtk-6.0"; }; echo $?)
check "the window does not link WebKit; the sign-in program, where built, does" "$result" "$TMP/window.dyn"

# ---- translations ----

ls "$SRC"/po/*.po | sed 's|.*/||; s|\.po$||' | sort >"$TMP/po-files"
echo "$LANGS" | tr ' ' '\n' | sed '/^$/d' | sort >"$TMP/linguas"
diff "$TMP/linguas" "$TMP/po-files" >"$TMP/linguas.diff"
check "po/LINGUAS names exactly the .po files ($(echo $LANGS))" $? "$TMP/linguas.diff"

# Every file with a translatable string is listed, and every listed file exists.
(
  cd "$SRC" || exit 1
  {
    grep -l -E '\b(N?C?_|g_dngettext|ngettext)[[:space:]]*\(' src/*.c src/*/*.c 2>/dev/null
    grep -l 'translatable="yes"' ui/*.ui
    ls data/*.desktop.in data/*.metainfo.xml.in
  } | sort -u
) >"$TMP/translatable"
grep -v -e '^#' -e '^ *$' "$SRC/po/POTFILES.in" | sort >"$TMP/potfiles"
gone=$(while read -r f; do [ -f "$SRC/$f" ] || echo "$f"; done <"$TMP/potfiles")
comm -23 "$TMP/translatable" "$TMP/potfiles" >"$TMP/potfiles.missing"
check "po/POTFILES.in lists every file with translatable strings (missing: $(echo $(cat "$TMP/potfiles.missing")) ; gone: $(echo $gone))" \
  "$([ ! -s "$TMP/potfiles.missing" ] && [ -z "$gone" ]; echo $?)"

# The template from the sources as they are now, by the -pot target translators use.
run pot "$MESON" compile -C "$BUILD" ovos-wifi-setup-pot
cp "$SRC/po/ovos-wifi-setup.pot" "$TMP/template.pot" 2>/dev/null
N_MSGIDS=$(grep -c '^msgid ' "$TMP/template.pot" 2>/dev/null)
N_MSGIDS=$((${N_MSGIDS:-1} - 1))
check "meson compile ovos-wifi-setup-pot writes po/ovos-wifi-setup.pot: $N_MSGIDS messages (exit $RC)" \
  "$([ "$RC" -eq 0 ] && [ "$N_MSGIDS" -gt 0 ]; echo $?)" "$(out_of pot)" "$(err_of pot)"

for l in $LANGS; do
  po=$SRC/po/$l.po
  run "msgfmt-$l" msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$po"
  say "$(err_of "msgfmt-$l")"
  check "msgfmt --check $l.po (exit $RC)" "$([ "$RC" -eq 0 ]; echo $?)" "$(err_of "msgfmt-$l")"

  # Against the fresh template, so a string added without translations shows here.
  msgmerge --quiet --no-fuzzy-matching "$po" "$TMP/template.pot" -o "$TMP/$l.merged.po" \
    2>"$TMP/$l.merge.err"
  msgattrib --untranslated --no-obsolete "$TMP/$l.merged.po" >"$TMP/$l.untranslated" 2>&1
  msgattrib --only-fuzzy --no-obsolete "$TMP/$l.merged.po" >"$TMP/$l.fuzzy" 2>&1
  untranslated=$(grep -c '^msgid ' "$TMP/$l.untranslated")
  fuzzy=$(grep -c '^msgid ' "$TMP/$l.fuzzy")
  check "$l.po translates all $N_MSGIDS messages of today's sources: $untranslated untranslated, $fuzzy fuzzy" \
    "$([ "$N_MSGIDS" -gt 0 ] && [ "$untranslated" -eq 0 ] && [ "$fuzzy" -eq 0 ]; echo $?)" \
    "$TMP/$l.untranslated" "$TMP/$l.fuzzy" "$TMP/$l.merge.err"
done

# ---- icons ----

python3 - "$SRC/data/icons/hicolor" >"$TMP/icons.out" 2>&1 <<'EOF_PY'
import re, sys, xml.etree.ElementTree as ET
base = sys.argv[1]
bad = []
for rel, size in (("scalable/apps/org.openvoiceos.WifiSetup.svg", 128),
                  ("symbolic/apps/org.openvoiceos.WifiSetup-symbolic.svg", 16)):
    try:
        svg = ET.parse(f"{base}/{rel}").getroot()
    except (OSError, ET.ParseError) as error:
        bad.append(f"{rel}: {error}")
        continue
    if svg.get("viewBox") != f"0 0 {size} {size}":
        bad.append(f"{rel}: viewBox {svg.get('viewBox')!r}, not 0 0 {size} {size}")
    text = ET.tostring(svg, encoding="unicode")
    if re.search(r"<(\w+:)?(image|text)\b|xlink:href=\"(?!#)|href=\"http", text):
        bad.append(f"{rel}: bitmaps, text or external references")
    if "symbolic" in rel:
        colours = set(re.findall(r"#[0-9a-fA-F]{6}\b", text)) - {"#2e3436"}
        if colours or "stroke=" in text:
            bad.append(f"{rel}: a symbolic icon is one flat colour, fills only ({colours})")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF_PY
check "the app icon (128 px canvas) and its symbolic (16 px, one colour) are clean SVG" $? \
  "$TMP/icons.out"

# ---- the Flatpak manifest ----

if [ ! -f "$SCHEMA" ]; then
  skip "flatpak/$ID.json matches flatpak-builder's schema" "no schema at $SCHEMA"
elif ! python3 -c 'import jsonschema' 2>/dev/null; then
  skip "flatpak/$ID.json matches flatpak-builder's schema" "python3-jsonschema is not installed"
else
  python3 - "$SCHEMA" "$MANIFEST" >"$TMP/schema.out" 2>&1 <<'EOF_PY'
import json, sys, jsonschema
schema, manifest = (json.load(open(p)) for p in sys.argv[1:3])
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.path))
for e in errors:
    print(f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}")
sys.exit(1 if errors else 0)
EOF_PY
  RC=$?
  say "$TMP/schema.out"
  check "flatpak/$ID.json matches flatpak-builder's schema" "$RC" "$TMP/schema.out"
fi

python3 - "$MANIFEST" >"$TMP/manifest.out" 2>&1 <<'EOF_PY'
import json, sys
m = json.load(open(sys.argv[1]))
bad = []
want = {"--share=network", "--socket=wayland", "--socket=fallback-x11", "--share=ipc",
        "--device=dri", "--filesystem=xdg-config/mycroft", "--filesystem=host-etc:ro",
        # the built-in Wi-Fi client (libnm), and nothing else on the system bus
        "--system-talk-name=org.freedesktop.NetworkManager"}
args = set(m.get("finish-args", []))
if want - args:
    bad.append(f"finish-args lack {sorted(want - args)}")
if args - want:
    bad.append(f"finish-args grant more: {sorted(args - want)}")
if (m.get("id"), m.get("runtime"), m.get("sdk"), m.get("command")) != (
        "org.openvoiceos.WifiSetup", "org.gnome.Platform", "org.gnome.Sdk", "ovos-wifi-setup"):
    bad.append("id, runtime, sdk or command")
if m.get("runtime-version", "").isdigit() is False or int(m["runtime-version"]) < 47:
    bad.append(f"runtime-version {m.get('runtime-version')!r} is no current GNOME release")
app = m["modules"][-1]
if (app.get("buildsystem"), app.get("run-tests")) != ("meson", True):
    bad.append("the app's module is not meson with run-tests")
# The sign-in window, on the runtime's own WebKitGTK: never the browser hand-off.
if "-Dwebkit=enabled" not in app.get("config-opts", []):
    bad.append("the app's module does not require WebKitGTK (-Dwebkit=enabled)")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF_PY
check "the manifest: GNOME runtime, meson with tests and WebKitGTK, exactly the sandbox holes it needs" $? \
  "$TMP/manifest.out"

end_plan
