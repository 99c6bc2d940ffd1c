/* ows-test-recorder.h: every text frame on a bus, as a third peer hears it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * For what must never be on the bus (a password): the peer of
 * ows-test-peer.h parses what it hears; this keeps the raw text.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OwsTestRecorder OwsTestRecorder;

/* Connected when it returns (or the test fails). */
OwsTestRecorder *ows_test_recorder_new   (const char      *url);
void             ows_test_recorder_free  (OwsTestRecorder *recorder);
guint            ows_test_recorder_n_frames (OwsTestRecorder *recorder);
/* The frames heard so far that contain @needle. */
guint            ows_test_recorder_count (OwsTestRecorder *recorder,
                                          const char      *needle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwsTestRecorder, ows_test_recorder_free)

G_END_DECLS
