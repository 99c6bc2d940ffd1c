/* bench-window.c: the window under Xvfb, a fresh process each run: start-up to the first frame, memory, idle wakeups.
 * SPDX-License-Identifier: Apache-2.0
 *
 * This process is the bus (an embedded OwsBusServer) and the peer that
 * plays three setup clients; the program under test is the real
 * ovos-wifi-setup front, which execs the window (same pid). The time of the
 * first frame is the moment we read the window's own trace line
 * (G_MESSAGES_DEBUG=ows-window) from its output pipe.
 *
 * Wakeups are context switches: a process asleep in poll() makes none, so
 * any redraw, timer or frame-clock tick shows up in the count. Voluntary
 * and involuntary switches of every thread are summed; the main thread's
 * alone (/proc/PID/status) are reported too.
 *
 * Nothing is pinned to a CPU, unlike bench-manager: the X server is a
 * process xvfb-run started before us, which we cannot pin alongside.
 *
 * It reports figures and goals and never fails on a missed goal; it fails
 * (exit 1) when something did not happen in time or a window did not exit
 * cleanly, after killing every child it started.
 */
#define G_LOG_DOMAIN "bench-window"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "ows-bus-server.h"
#include "ows-manager.h"
#include "ows-test-peer.h"

#define P OWS_PREFIX
#define RUNS 15
#define START_DEADLINE_MS 30000
#define SCREEN_DEADLINE_MS 10000
#define KEEPALIVE_S 15  /* OwsBus's default ping interval */

#define FIRST_FRAME_LINE "first frame of the selection screen"
#define WAITING_LINE "selection → waiting"

static const char *const clients[][2] = {
  { "ovos-PHAL-plugin-balena-wifi",
    "{\"client\": \"ovos-PHAL-plugin-balena-wifi\", \"type\": \"Remote\", "
    "\"display_text\": \"Use a phone or a computer\", \"has_gui\": true, \"requires_input\": false}" },
  { "ovos-PHAL-plugin-gui-network-client",
    "{\"client\": \"ovos-PHAL-plugin-gui-network-client\", \"type\": \"onDevice\", "
    "\"display_text\": \"On this device's screen\", \"has_gui\": true, \"requires_input\": true}" },
  { "ovos-PHAL-plugin-wifi-cli",
    "{\"client\": \"ovos-PHAL-plugin-wifi-cli\", \"type\": \"onDevice\", "
    "\"display_text\": \"With a keyboard, in a terminal\", \"has_gui\": false, \"requires_input\": true}" },
};

typedef enum {
  KIND_HEADLESS,
  KIND_WINDOW,            /* GSK_RENDERER=cairo, GL off: as the benchmark's environment says */
  KIND_WINDOW_DEFAULT,    /* GTK's own choice of renderer */
} Kind;

typedef struct {
  OwsBenchChild bench;       /* its output is read only when it has a window */
  gint64 alive_us;           /* the first `alive` heard after the spawn */
  gint64 first_frame_us;
  gint64 waiting_us;
} Child;

static const char *program;
static char *url;
static OwsBusServer *server;
static OwsTestPeer *peer;
static Child *current;       /* the one the peer's `alive` comes from */
static guint alive_seen;
static gboolean register_on_alive;

/* Every `alive` the peer has heard since the last clear: noted, and answered
 * with the three registrations while a window is starting. */
static void
answer_alive (void)
{
  guint count = ows_test_peer_count (peer, P "alive");

  if (count == alive_seen)
    return;
  alive_seen = count;
  if (current != NULL && current->alive_us == 0)
    current->alive_us = g_get_monotonic_time ();
  if (!register_on_alive)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    ows_test_peer_send (peer, P "register.client", clients[i][1]);
}

static gboolean
expire_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done or for @timeout_ms; FALSE when the time ran out. */
static gboolean
run_until (gboolean (*done) (gpointer),
           gpointer   data,
           guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, expire_cb, &expired);

  for (;;)
    {
      answer_alive ();
      if (done != NULL && done (data))
        break;
      if (expired)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  return TRUE;
}

static void
sleep_ms (guint ms)
{
  run_until (NULL, NULL, ms);
}

static void
note_line (const char *line,
           gpointer    user_data)
{
  Child *child = user_data;
  gint64 now = g_get_monotonic_time ();

  if (child->first_frame_us == 0 && strstr (line, FIRST_FRAME_LINE) != NULL)
    child->first_frame_us = now;
  else if (child->waiting_us == 0 && strstr (line, WAITING_LINE) != NULL)
    child->waiting_us = now;
  else if (strstr (line, "-DEBUG") == NULL)
    g_printerr ("  [window %s] %s\n", child->bench.pid, line);
}

static Child *
spawn (Kind kind)
{
  const char *headless[] = { program, "--headless", "--bus", url, NULL };
  const char *window[] = { program, "--bus", url, "--wifi-setup", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  Child *child = g_new0 (Child, 1);

  g_assert_null (current);
  if (kind != KIND_HEADLESS)
    envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", "ows-window", TRUE);
  if (kind == KIND_WINDOW_DEFAULT)
    {
      envp = g_environ_unsetenv (envp, "GSK_RENDERER");
      envp = g_environ_unsetenv (envp, "GDK_DEBUG");
    }

  ows_test_peer_clear (peer);
  alive_seen = 0;
  register_on_alive = kind != KIND_HEADLESS;
  current = child;
  if (kind == KIND_HEADLESS)
    ows_bench_child_spawn (&child->bench, headless, envp, NULL, NULL);
  else
    ows_bench_child_spawn (&child->bench, window, envp, note_line, child);
  return child;
}

static void
stop (Child *child)
{
  g_assert_true (child == current);
  ows_bench_child_stop (&child->bench);
  current = NULL;
  g_free (child);
}

static gboolean
heard_alive (gpointer data)
{
  return ((Child *) data)->alive_us != 0 || ((Child *) data)->bench.exited;
}

static gboolean
first_frame_shown (gpointer data)
{
  return ((Child *) data)->first_frame_us != 0 || ((Child *) data)->bench.exited;
}

static gboolean
waiting_shown (gpointer data)
{
  return ((Child *) data)->waiting_us != 0 || ((Child *) data)->bench.exited;
}

static void
wait_for (Child       *child,
          gboolean   (*done) (gpointer),
          guint        timeout_ms,
          const char  *what)
{
  if (!run_until (done, child, timeout_ms))
    ows_bench_fail ("pid %s: no %s within %u ms", child->bench.pid, what, timeout_ms);
  if (child->bench.exited)
    ows_bench_fail ("pid %s exited before %s", child->bench.pid, what);
}

/* The number of a "Name:   123 kB" or "Name:\t123" line of a /proc status file. */
static guint64
status_field (const char *status,
              const char *name)
{
  guint64 value;

  if (!ows_bench_status_field (status, name, &value))
    ows_bench_fail ("no %s in /proc/PID/status", name);
  return value;
}

typedef struct {
  double rss, anon, file;  /* MiB */
} Memory;

static Memory
read_memory (Child *child)
{
  g_autofree char *status = ows_bench_read_status (child->bench.pid, NULL);

  if (status == NULL)
    ows_bench_fail ("cannot read /proc/%s/status", child->bench.pid);
  return (Memory) { status_field (status, "VmRSS") / 1024.0,
                    status_field (status, "RssAnon") / 1024.0,
                    status_field (status, "RssFile") / 1024.0 };
}

typedef struct {
  OwsBenchWakeups switches;
  double seconds;
  guint pings;          /* keepalive pings due in the window */
} Wakeups;

/* The Mesa driver the window mapped, or NULL when it draws without GL. */
static char *
gl_driver (Child *child)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/maps", child->bench.pid);
  g_autofree char *maps = NULL;
  g_autofree char *name = NULL;
  const char *dri;
  const char *end;

  if (!g_file_get_contents (path, &maps, NULL, NULL))
    ows_bench_fail ("cannot read %s", path);
  dri = strstr (maps, "/dri/");
  if (dri == NULL)
    return NULL;
  end = strchr (dri, '\n');
  name = g_strndup (dri + 5, end - dri - 5);
  /* swrast_dri.so holds both of Mesa's software rasterizers; llvmpipe needs LLVM */
  return g_strdup_printf ("%s%s", name, strstr (maps, "/libLLVM") ? ", llvmpipe" : "");
}

/* Keepalive pings the window sends between @from and @to (µs), counting
 * from its connection (≈ its `alive`). */
static guint
pings_between (Child  *child,
               gint64  from,
               gint64  to)
{
  gint64 period = KEEPALIVE_S * G_USEC_PER_SEC;

  return (to - child->alive_us) / period - (from - child->alive_us) / period;
}

/* Leaves the window alone for @ms and counts what woke it meanwhile. */
static Wakeups
count_wakeups (Child *child,
               guint  ms)
{
  gint64 from = g_get_monotonic_time (), to;
  g_autoptr(GHashTable) before = ows_bench_read_switches (child->bench.pid);
  g_autoptr(GHashTable) after = NULL;
  Wakeups wakeups = { 0 };

  sleep_ms (ms);
  after = ows_bench_read_switches (child->bench.pid);
  to = g_get_monotonic_time ();
  wakeups.switches = ows_bench_wakeups_between (child->bench.pid, before, after);
  wakeups.seconds = (to - from) / 1e6;
  wakeups.pings = pings_between (child, from, to);
  return wakeups;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  double alive_ms[RUNS], frame_ms[RUNS], window_alive_ms[RUNS], default_frame_ms;
  Memory cairo_memory, default_memory;
  Wakeups idle, waiting;
  g_autofree char *driver = NULL;
  const char *renderer_env = g_getenv ("GSK_RENDERER");
  Child *child;

  if (argc != 2)
    {
      g_printerr ("usage: bench-window PATH-TO-ovos-wifi-setup (under xvfb-run)\n");
      return 2;
    }
  program = argv[1];
  ows_bench_init ("bench-window");
  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    ows_bench_fail ("no DISPLAY: run it under xvfb-run, as `meson test --benchmark window` does");

  server = ows_bus_server_new ();
  if (!ows_bus_server_listen (server, "127.0.0.1", 0, NULL, &error))
    ows_bench_fail ("cannot start the bus: %s", error->message);
  url = ows_bus_server_dup_url (server);
  peer = ows_test_peer_new (url);

  /* 1. exec → alive, headless: the part of the start-up that is not the window */
  for (guint i = 0; i < RUNS; i++)
    {
      child = spawn (KIND_HEADLESS);
      wait_for (child, heard_alive, START_DEADLINE_MS, "alive");
      alive_ms[i] = (child->alive_us - child->bench.spawned_us) / 1000.0;
      stop (child);
    }

  /* 1. exec → first frame of the selection screen, three clients registered
   * on `alive`; the last window stays for 2. and 3. */
  for (guint i = 0; i < RUNS; i++)
    {
      child = spawn (KIND_WINDOW);
      wait_for (child, first_frame_shown, START_DEADLINE_MS, "first frame of the selection screen");
      frame_ms[i] = (child->first_frame_us - child->bench.spawned_us) / 1000.0;
      window_alive_ms[i] = (child->alive_us - child->bench.spawned_us) / 1000.0;
      if (i + 1 < RUNS)
        stop (child);
    }

  /* 2. memory, a second after the first frame */
  sleep_ms (1000);
  cairo_memory = read_memory (child);

  /* 3. wakeups: the selection screen, settled, for 10 s */
  sleep_ms (1000);
  idle = count_wakeups (child, 10000);

  /* ... and the waiting screen, its spinner on, for 5 s */
  child->waiting_us = 0;
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *data = g_strdup_printf ("{\"client\": \"%s\"}", clients[i][0]);

      ows_test_peer_send (peer, P "deregister.client", data);
    }
  wait_for (child, waiting_shown, SCREEN_DEADLINE_MS, "waiting screen after deregistering");
  sleep_ms (1000);
  waiting = count_wakeups (child, 5000);
  stop (child);

  /* 2. again with GTK's default renderer */
  child = spawn (KIND_WINDOW_DEFAULT);
  wait_for (child, first_frame_shown, START_DEADLINE_MS, "first frame of the selection screen");
  default_frame_ms = (child->first_frame_us - child->bench.spawned_us) / 1000.0;
  sleep_ms (1000);
  default_memory = read_memory (child);
  driver = gl_driver (child);
  stop (child);

  qsort (alive_ms, RUNS, sizeof (double), compare_doubles);
  qsort (frame_ms, RUNS, sizeof (double), compare_doubles);
  qsort (window_alive_ms, RUNS, sizeof (double), compare_doubles);

  {
    double waiting_s = waiting.seconds;
    double median_frame = frame_ms[RUNS / 2], median_alive = alive_ms[RUNS / 2];
    g_autofree char *default_label =
      driver ? g_strdup_printf ("GL through Mesa (%s; software, no GPU)", driver) : g_strdup ("no GL driver mapped");

    g_print ("ovos-wifi-setup window under Xvfb, GSK_RENDERER=%s, %ld cores, nothing pinned; "
             "bus and peer in this process\n",
             renderer_env ? renderer_env : "(unset)", sysconf (_SC_NPROCESSORS_ONLN));
    g_print ("  exec -> alive, --headless               %7.1f ms median of %d (min %.1f, max %.1f)\n",
             median_alive, RUNS, alive_ms[0], alive_ms[RUNS - 1]);
    g_print ("  exec -> alive, the window               %7.1f ms median of %d (min %.1f, max %.1f)\n",
             window_alive_ms[RUNS / 2], RUNS, window_alive_ms[0], window_alive_ms[RUNS - 1]);
    g_print ("  exec -> first frame of the selection    %7.1f ms median of %d (min %.1f, max %.1f)\n",
             median_frame, RUNS, frame_ms[0], frame_ms[RUNS - 1]);
    g_print ("    the window's own cost                 %7.1f ms (first frame minus headless alive, "
             "medians)\n", median_frame - median_alive);
    g_print ("  memory 1 s after the first frame, cairo           VmRSS %.1f MiB "
             "(RssAnon %.1f, RssFile %.1f)\n", cairo_memory.rss, cairo_memory.anon, cairo_memory.file);
    g_print ("  memory 1 s after the first frame, GTK's default   VmRSS %.1f MiB "
             "(RssAnon %.1f, RssFile %.1f)\n", default_memory.rss, default_memory.anon,
             default_memory.file);
    g_print ("    GTK's default renderer under Xvfb: %s; its first frame after %.1f ms (one run)\n",
             default_label, default_frame_ms);
    g_print ("  selection screen, 3 tiles, settled 2 s: %" G_GUINT64_FORMAT " wakeups in %.1f s "
             "(main thread %" G_GUINT64_FORMAT ", %u threads; keepalive pings due: %u)\n",
             idle.switches.all_threads, idle.seconds, idle.switches.main_thread, idle.switches.threads,
             idle.pings);
    g_print ("  waiting screen, spinner on, settled 1 s: %.1f wakeups/s (main thread %.1f/s)\n",
             waiting.switches.all_threads / waiting_s, waiting.switches.main_thread / waiting_s);
    g_print ("\n");
    g_print ("  %-44s | %-22s | %s\n", "figure", "measured", "goal");
    g_print ("  %-44s | %15.1f ms    | %s\n", "exec -> first frame, 3 clients (median)", median_frame,
             "<= 300 ms");
    g_print ("  %-44s | %15.1f ms    | %s\n", "exec -> alive, headless (median)", median_alive,
             "(comparison)");
    g_print ("  %-44s | %15.1f MiB   | %s\n", "VmRSS with the window, cairo", cairo_memory.rss,
             "<= 60 MiB");
    g_print ("  %-44s | %15.1f MiB   | %s\n", "VmRSS with the window, default (GL)", default_memory.rss,
             "<= 60 MiB");
    g_print ("  %-44s | %15" G_GUINT64_FORMAT "       | %s\n", "wakeups, selection screen, 10 s",
             idle.switches.all_threads, "0 (+1 per keepalive ping)");
    g_print ("  %-44s | %15.1f /s    | %s\n", "wakeups, waiting screen (spinner)",
             waiting.switches.all_threads / waiting_s,
             "(contrast)");
  }

  g_clear_pointer (&peer, ows_test_peer_free);
  ows_bus_server_stop (server);
  g_clear_object (&server);
  g_free (url);
  return 0;
}
