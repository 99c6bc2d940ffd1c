/* bench-util.c: the program under test as a benchmark's child, failing cleanly; what we read of it in /proc.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "bench-util.h"
#include "ows-test-peer.h"

#define EXIT_DEADLINE_MS 10000

static const char *bench_name;
static OwsBenchChild *current;  /* what ows_bench_fail() kills */

static void
kill_current (void)
{
  if (current == NULL || current->exited)
    return;
  g_subprocess_force_exit (current->process);
  g_subprocess_wait (current->process, NULL, NULL);
  current->exited = TRUE;
}

void
ows_bench_fail (const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\n", bench_name, message);
  kill_current ();
  exit (1);
}

static gboolean
interrupted_cb (gpointer data)
{
  ows_bench_fail ("interrupted by signal %d", GPOINTER_TO_INT (data));
}

/* @name starts every message of ows_bench_fail(). */
void
ows_bench_init (const char *name)
{
  g_return_if_fail (name != NULL);

  bench_name = name;
  /* stdout is the report; GLib 2.74 would log debug lines there */
  g_log_writer_default_set_use_stderr (TRUE);
  ows_test_isolate_config ();  /* the children inherit it */
  g_unix_signal_add_full (G_PRIORITY_HIGH, SIGTERM, interrupted_cb, GINT_TO_POINTER (SIGTERM), NULL);
  g_unix_signal_add_full (G_PRIORITY_HIGH, SIGINT, interrupted_cb, GINT_TO_POINTER (SIGINT), NULL);
}

/* A child outlives neither a crash nor a SIGKILL of this process. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
output_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OwsBenchChild *child = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source),
                                                                result, NULL, NULL);

  if (line == NULL)  /* end of output, or an error: the process is going */
    {
      child->reading = FALSE;
      return;
    }
  child->line_func (line, child->user_data);
  g_data_input_stream_read_line_async (child->output, G_PRIORITY_DEFAULT, NULL, output_cb, child);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OwsBenchChild *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  child->exited = TRUE;
}

/* Runs @argv in @envp (NULL: ours) as the current child, which must be
 * stopped before the next. Its output goes to @line_func, or where ours
 * goes without one. */
void
ows_bench_child_spawn (OwsBenchChild       *child,
                       const char * const  *argv,
                       char               **envp,
                       OwsBenchLineFunc     line_func,
                       gpointer             user_data)
{
  /* GLib writes debug lines to stdout, hence the merged pipe */
  GSubprocessFlags flags = line_func == NULL
                           ? G_SUBPROCESS_FLAGS_NONE
                           : G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (child != NULL && argv != NULL && argv[0] != NULL);
  g_return_if_fail (current == NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (envp != NULL)
    g_subprocess_launcher_set_environ (launcher, envp);
  *child = (OwsBenchChild) { .line_func = line_func, .user_data = user_data };
  current = child;
  child->spawned_us = g_get_monotonic_time ();
  child->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child->process == NULL)
    ows_bench_fail ("cannot run %s: %s", argv[0], error->message);
  child->pid = g_strdup (g_subprocess_get_identifier (child->process));
  g_subprocess_wait_async (child->process, NULL, exited_cb, child);
  if (line_func == NULL)
    return;
  child->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  child->reading = TRUE;
  g_data_input_stream_read_line_async (child->output, G_PRIORITY_DEFAULT, NULL, output_cb, child);
}

static gboolean
child_gone (gpointer data)
{
  OwsBenchChild *child = data;

  return child->exited && !child->reading;
}

/* SIGTERM, then a clean exit within the deadline, or the benchmark fails. */
void
ows_bench_child_stop (OwsBenchChild *child)
{
  ows_bench_child_stop_with (child, 0);
}

/* As ows_bench_child_stop (), for a program whose clean end after SIGTERM
 * is @status. */
void
ows_bench_child_stop_with (OwsBenchChild *child,
                           int            status)
{
  GSubprocess *process;

  g_return_if_fail (child != NULL && child == current);

  process = child->process;
  g_subprocess_send_signal (process, SIGTERM);
  if (!ows_test_wait_until (child_gone, child, EXIT_DEADLINE_MS))
    ows_bench_fail ("pid %s still running %d s after SIGTERM", child->pid, EXIT_DEADLINE_MS / 1000);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != status)
    ows_bench_fail ("pid %s did not exit cleanly after SIGTERM (%s %d)", child->pid,
                    g_subprocess_get_if_exited (process) ? "status" : "signal",
                    g_subprocess_get_if_exited (process)
                    ? g_subprocess_get_exit_status (process)
                    : g_subprocess_get_term_sig (process));
  current = NULL;
  g_clear_object (&child->output);
  g_clear_object (&child->process);
  g_clear_pointer (&child->pid, g_free);
}

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

/* Context switches so far of each thread of @pid: thread id → guint64.
 * The benchmark fails when they cannot be read. */
GHashTable *
ows_bench_read_switches (const char *pid)
{
  g_autofree char *tasks_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) tasks = NULL;
  g_autoptr(GHashTable) switches = NULL;
  const char *task;

  g_return_val_if_fail (pid != NULL, NULL);

  tasks_path = g_strdup_printf ("/proc/%s/task", pid);
  tasks = g_dir_open (tasks_path, 0, &error);
  if (tasks == NULL)
    ows_bench_fail ("%s", error->message);
  switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *status = ows_bench_read_status (pid, task);
      guint64 count;

      if (status == NULL)  /* a thread that just ended */
        continue;
      if (!switches_of (status, &count))
        ows_bench_fail ("no context switches in %s/%s/status", tasks_path, task);
      g_hash_table_insert (switches, g_strdup (task), g_memdup2 (&count, sizeof count));
    }
  if (!g_hash_table_contains (switches, pid))
    ows_bench_fail ("no main thread in %s", tasks_path);
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

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

OwsBenchSpread
ows_bench_spread (double *values,
                  guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return (OwsBenchSpread) { values[n / 2], values[0], values[n - 1] };
}

void
ows_bench_persist (OwsConfig  *config,
                   const char *section,
                   const char *key,
                   JsonNode   *value)
{
  g_autoptr(JsonNode) owned = value;
  g_autoptr(GError) error = NULL;

  if (!ows_config_persist (config, section, key, value, &error))
    ows_bench_fail ("cannot write %s: %s", ows_config_get_user_path (config), error->message);
}

OwsConfig *
ows_bench_config_new (OwsTestProbe *probe)
{
  OwsConfig *config = ows_config_new ();
  JsonObject *tests;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  ows_config_load (config);
  ows_test_probe_configure (probe, config);
  tests = json_node_get_object (ows_config_lookup (config, "network_tests", NULL));
  json_object_iter_init (&iter, tests);
  while (json_object_iter_next (&iter, &key, &value))
    ows_bench_persist (config, "network_tests", key, json_node_copy (value));
  ows_bench_persist (config, OWS_CONFIG_PLUGIN_SECTION, "first_boot",
                     json_node_init_boolean (json_node_alloc (), FALSE));
  return config;
}

OwsConfig *
ows_bench_config_read_back (OwsTestProbe *probe)
{
  OwsConfig *check = ows_config_new ();
  g_autofree char *check_url = ows_test_probe_dup_url (probe, "/check");

  ows_config_load (check);
  if (g_strcmp0 (ows_config_get_string (check, "network_tests", "captive_portal_url", NULL),
                 check_url) != 0 ||
      ows_config_get_boolean (check, OWS_CONFIG_PLUGIN_SECTION, "first_boot", TRUE))
    ows_bench_fail ("%s does not read back as written", ows_config_get_user_path (check));
  return check;
}
