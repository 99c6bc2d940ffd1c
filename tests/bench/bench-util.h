/* bench-util.h: the program under test as a benchmark's child, failing cleanly; what we read of it in /proc.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A benchmark runs one child at a time, never with this machine's
 * mycroft.conf, and fails (exit 1) when something did not happen in time,
 * after killing that child: ows_bench_fail(), also on SIGTERM and SIGINT,
 * so that a cancelled run leaves nothing behind.
 *
 * Wakeups are context switches: a process asleep in poll() makes none, so
 * any timer, redraw or frame that wakes it shows up in the count.
 * Voluntary and involuntary switches of every thread are summed.
 */
#pragma once

#include <gio/gio.h>

#include "ows-config.h"
#include "ows-test-probe.h"

G_BEGIN_DECLS

/* A line of the child's stdout and stderr together, without its newline. */
typedef void (*OwsBenchLineFunc) (const char *line,
                                  gpointer    user_data);

/* Embedded in a benchmark's own per-child struct. */
typedef struct {
  GSubprocess *process;
  char *pid;
  gint64 spawned_us;         /* just before the exec */
  gboolean exited;
  /*< private >*/
  GDataInputStream *output;  /* NULL without a line_func */
  gboolean reading;
  OwsBenchLineFunc line_func;
  gpointer user_data;
} OwsBenchChild;

typedef struct {
  guint64 all_threads;  /* a thread born in between counts whole; one that ended, not at all */
  guint64 main_thread;
  guint threads;
} OwsBenchWakeups;

void             ows_bench_init             (const char          *name);
G_NORETURN G_GNUC_PRINTF (1, 2)
void             ows_bench_fail             (const char          *format,
                                             ...);

void             ows_bench_child_spawn      (OwsBenchChild       *child,
                                             const char * const  *argv,
                                             char               **envp,
                                             OwsBenchLineFunc     line_func,
                                             gpointer             user_data);
void             ows_bench_child_stop       (OwsBenchChild       *child);
void             ows_bench_child_stop_with  (OwsBenchChild       *child,
                                             int                  status);

char            *ows_bench_read_status      (const char          *pid,
                                             const char          *task);
gboolean         ows_bench_status_field     (const char          *status,
                                             const char          *name,
                                             guint64             *value);
GHashTable      *ows_bench_read_switches    (const char          *pid);
OwsBenchWakeups  ows_bench_wakeups_between  (const char          *pid,
                                             GHashTable          *before,
                                             GHashTable          *after);

/* mycroft.conf's keys, written as the program itself writes them: @value is
 * taken; a failed write fails the benchmark. */
void             ows_bench_persist          (OwsConfig           *config,
                                             const char          *section,
                                             const char          *key,
                                             JsonNode            *value);
/* The isolated user mycroft.conf, begun: network_tests at @probe, not a
 * first boot. Add keys with ows_bench_persist (). */
OwsConfig       *ows_bench_config_new       (OwsTestProbe        *probe);
/* That file read back as the program reads it, after the benchmark's own
 * checks of what ows_bench_config_new () wrote (it fails otherwise). */
OwsConfig       *ows_bench_config_read_back (OwsTestProbe        *probe);

/* The median, least and greatest of @n values, which it sorts. */
typedef struct {
  double median, min, max;
} OwsBenchSpread;

OwsBenchSpread   ows_bench_spread           (double              *values,
                                             guint                n);

G_END_DECLS
