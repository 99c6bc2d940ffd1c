/* bench-util.h: what the benchmarks read of another process in /proc: status fields, wakeups.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Wakeups are context switches: a process asleep in poll() makes none, so
 * any timer, redraw or frame that wakes it shows up in the count.
 * Voluntary and involuntary switches of every thread are summed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 all_threads;  /* a thread born in between counts whole; one that ended, not at all */
  guint64 main_thread;
  guint threads;
} OwsBenchWakeups;

char            *ows_bench_read_status      (const char  *pid,
                                             const char  *task);
gboolean         ows_bench_status_field     (const char  *status,
                                             const char  *name,
                                             guint64     *value);
GHashTable      *ows_bench_read_switches    (const char  *pid,
                                             GError     **error);
OwsBenchWakeups  ows_bench_wakeups_between  (const char  *pid,
                                             GHashTable  *before,
                                             GHashTable  *after);

G_END_DECLS
