#!/usr/bin/env python3
# ovos-read-config.py: a mycroft.conf read the way OVOS reads it (ovos_config's
# load_commented_json: comment lines dropped, then json.loads), for tests to check
# the files we write against the reader that matters. SPDX-License-Identifier: Apache-2.0
#
#   ovos-read-config.py FILE
#       exit 0 if OVOS reads FILE, 1 (with the reason on stderr) if it cannot
#   ovos-read-config.py --same-except BEFORE AFTER KEY/PATH...
#       exit 0 if both read and every value but those at the paths is the same
import json
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = [line for line in text.splitlines()
             if not line.lstrip().startswith(("//", "#"))]
    return json.loads(" ".join(lines))


def without(data, paths):
    for path in paths:
        node = data
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node.pop(parts[-1], None)
    return data


def main(argv):
    try:
        if argv[1] == "--same-except":
            before, after = read(argv[2]), read(argv[3])
            if without(before, argv[4:]) != without(after, argv[4:]):
                print("a value we do not own changed", file=sys.stderr)
                return 1
            return 0
        read(argv[1])
        return 0
    except (ValueError, OSError) as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
