/* bench-util.c: what the benchmarks read of another process in /proc: status fields, wakeups.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <gio/gio.h>
#include <string.h>

#include "bench-util.h"

/* /proc/PID/status, or /proc/PID/task/TASK/status; NULL once it is gone.
 * A newline is put in front, so that every field follows one. */
char *
ows_bench_read_status (const char *pid,
                       const char *task)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  g_return_val_if_fail (pid != NULL, NULL);

  path = task ? g_strdup_printf ("/proc/%s/task/%s/status", pid, task)
              : g_strdup_printf ("/proc/%s/status", pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strconcat ("\n", contents, NULL);
}

/* The number of a "Name:   123 kB" or "Name:\t123" line. */
gboolean
ows_bench_status_field (const char *status,
                        const char *name,
                        guint64    *value)
{
  g_autofree char *key = NULL;
  const char *line;

  g_return_val_if_fail (status != NULL && name != NULL && value != NULL, FALSE);

  key = g_strdup_printf ("\n%s:", name);
  line = strstr (status, key);
  if (line == NULL)
    return FALSE;
  *value = g_ascii_strtoull (line + strlen (key), NULL, 10);
  return TRUE;
}

static gboolean
switches_of (const char *status,
             guint64    *switches)
{
  guint64 voluntary, involuntary;

  if (!ows_bench_status_field (status, "voluntary_ctxt_switches", &voluntary) ||
      !ows_bench_status_field (status, "nonvoluntary_ctxt_switches", &involuntary))
    return FALSE;
  *switches = voluntary + involuntary;
  return TRUE;
}

/* Context switches so far of each thread of @pid: thread id → guint64. */
GHashTable *
ows_bench_read_switches (const char  *pid,
                         GError     **error)
{
  g_autofree char *tasks_path = NULL;
  g_autoptr(GDir) tasks = NULL;
  g_autoptr(GHashTable) switches = NULL;
  const char *task;

  g_return_val_if_fail (pid != NULL, NULL);

  tasks_path = g_strdup_printf ("/proc/%s/task", pid);
  tasks = g_dir_open (tasks_path, 0, error);
  if (tasks == NULL)
    return NULL;
  switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *status = ows_bench_read_status (pid, task);
      guint64 count;

      if (status == NULL)  /* a thread that just ended */
        continue;
      if (!switches_of (status, &count))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "no context switches in %s/%s/status", tasks_path, task);
          return NULL;
        }
      g_hash_table_insert (switches, g_strdup (task), g_memdup2 (&count, sizeof count));
    }
  if (!g_hash_table_contains (switches, pid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no main thread in %s", tasks_path);
      return NULL;
    }
  return g_steal_pointer (&switches);
}

OwsBenchWakeups
ows_bench_wakeups_between (const char *pid,
                           GHashTable *before,
                           GHashTable *after)
{
  OwsBenchWakeups wakeups = { 0 };
  GHashTableIter iter;
  gpointer task, count;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &task, &count))
    {
      guint64 *earlier = g_hash_table_lookup (before, task);
      guint64 delta = *(guint64 *) count - (earlier ? *earlier : 0);

      wakeups.all_threads += delta;
      if (g_str_equal (task, pid))
        wakeups.main_thread = delta;
      wakeups.threads++;
    }
  return wakeups;
}
