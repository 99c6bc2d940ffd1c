#!/bin/sh
# make-corpus.sh: regenerate the generated seeds of tests/fuzz/corpus from the protocol tests and the traces.
# SPDX-License-Identifier: Apache-2.0
#
# Usage: tests/fuzz/make-corpus.sh [BUILDDIR]     (default: _build, a plain build)
#
# The protocol and fault tests run with OWS_TEST_RECORD_DIR set, so their
# peers write down every frame they send (tests/ows-test-peer.c); the
# recorded traces in tests/fixtures add the frames of real clients. Seeds
# made here are named gen-*, and only those are replaced: regress-*
# (reproducers of fixed bugs), found-* (inputs libFuzzer found) and other
# hand-written seeds stay.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/../.." && pwd)
build=${1:-_build}
# Bigger seeds slow every libFuzzer run down (its max_len follows the
# corpus) and add nothing that smaller ones do not reach.
max_message=4096
max_manager=65536

record=$(mktemp -d)
trap 'rm -rf "$record"' EXIT

# A failing test still recorded what it sent: say so, and go on.
OWS_TEST_RECORD_DIR="$record" meson test -C "$build" --suite unit protocol faults >/dev/null \
  || echo "make-corpus.sh: warning: some tests failed; see $build/meson-logs/testlog.txt" >&2
[ -d "$record/manager" ] || { echo "make-corpus.sh: the tests recorded nothing" >&2; exit 1; }

message="$here/corpus/message"
manager="$here/corpus/manager"
mkdir -p "$message" "$manager"
rm -f "$message"/gen-* "$manager"/gen-*

# One test case per file; the echo and no-echo runs of a case send the same
# frames, so a case's second copy is dropped.
for seed in "$record"/manager/*.jsonl; do
  name=$(basename "$seed" | sed -e 's/^ows-//' -e 's/-no-echo-/-/' -e 's/-echo-/-/')
  if [ "$(wc -c <"$seed")" -gt "$max_manager" ] || [ -e "$manager/gen-$name" ]; then
    continue
  fi
  cp "$seed" "$manager/gen-$name"
done

# The traces, each a manager seed; then one frame per file, named by its
# SHA-1 as libFuzzer names its finds: what the peers sent and what the
# traces carried. Frames that differ only in their numbers (the 256
# registrations that fill the registry) make one seed.
python3 - "$record/message" "$source_root/tests/fixtures" "$message" "$manager" "$max_message" <<'EOF'
import hashlib, json, os, re, sys

recorded, fixtures, message, manager = sys.argv[1:5]
max_message = int(sys.argv[5])
frames = []
for name in sorted(os.listdir(recorded)):
    with open(os.path.join(recorded, name), 'rb') as frame:
        frames.append(frame.read())
for name in sorted(os.listdir(fixtures)):
    if not name.endswith('.jsonl'):
        continue
    with open(os.path.join(fixtures, name), encoding='utf-8') as trace:
        trace_frames = [json.loads(line)['frame'] for line in trace if line.strip()]
    with open(os.path.join(manager, 'gen-trace-' + name), 'w', encoding='utf-8') as seed:
        seed.writelines(frame.replace('\n', ' ') + '\n' for frame in trace_frames)
    frames += [frame.encode('utf-8') for frame in trace_frames]

shapes = set()
for data in frames:
    shape = re.sub(rb'[0-9]+', b'0', data)
    if len(data) > max_message or shape in shapes:
        continue
    shapes.add(shape)
    with open(os.path.join(message, 'gen-' + hashlib.sha1(data).hexdigest()), 'wb') as seed:
        seed.write(data)
EOF

echo "corpus: $(ls "$message" | wc -l) message seeds, $(ls "$manager" | wc -l) manager seeds"
