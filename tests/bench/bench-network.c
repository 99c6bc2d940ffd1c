/* bench-network.c: the built-in Wi-Fi client's page under Xvfb: activation to the list of 40 networks, its wakeups shown and hidden, its memory.
 * SPDX-License-Identifier: Apache-2.0
 *
 * NetworkManager is python3-dbusmock's (tests/ows-test-nm.h) on a private
 * system bus, with one Wi-Fi device and 40 access points, 40 SSIDs; the
 * program under test is the real ovos-wifi-setup, which execs the window
 * (same pid); it finds the mock through DBUS_SYSTEM_BUS_ADDRESS. This
 * process is the bus (an embedded OwsBusServer), the internet's check
 * servers (OwsTestProbe, online: the watchdog's verdict is "online" and it
 * stays quiet) and the peer: it plays the same three setup clients as
 * bench-window, on `alive`, so that the selection screen is bench-window's
 * plus the built-in tile, and it selects the built-in client once the
 * manager answered its registration.
 *
 * The figures of the issue:
 * - exec → the selection's first frame, and client.select → the first frame
 *   of the network list with its 40 networks, as a multiple of the first;
 *   both are the moment we read the window's trace line
 *   (G_MESSAGES_DEBUG=ows-window) from its output pipe;
 * - wakeups (context switches of all threads, bench-util.h) over 10 s
 *   (OWS_BENCH_SECONDS), the page shown (it asks for a scan every 10 s:
 *   the mock counts the RequestScan calls) and hidden (user.activated
 *   brings the selection back; goal 0);
 * - VmRSS and PSS a second after the selection's first frame, with the
 *   client and with `wifi_client: false` (goal: at most 3 MiB more), and a
 *   second after the list's first frame. RssShmem is cairo's X
 *   shared-memory images, whose size follows what was last drawn: VmRSS
 *   without it is given too, as the steadier figure.
 * Runs with and without the client alternate, each a fresh process; the
 * last one with it stays for the wakeups.
 *
 * The wakeups are read every 50 ms while they are counted (reading /proc
 * wakes nobody), so that those of one event, a scan, show as one burst.
 *
 * The bus keepalive pings every 15 s from the connection (≈ the `alive` we
 * hear), in a seconds timer that may fire up to a second late: each 10 s
 * stretch starts 2 s after a ping is due and ends 3 s before the next, and
 * the pings due in it are reported (0), as in bench-window. A stretch
 * longer than 12 s (OWS_BENCH_SECONDS) cannot avoid them: they are
 * counted, one or two wakeups each.
 *
 * It reports figures and goals and never fails on a missed goal; it fails
 * (exit 1) when something did not happen in time or a window did not exit
 * cleanly, after killing every child it started. Without python3-dbusmock
 * it is skipped (77).
 */
#define G_LOG_DOMAIN "bench-network"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "ows-bus-private.h"
#include "ows-bus-server.h"
#include "ows-config.h"
#include "ows-manager.h"
#include "ows-test-nm.h"
#include "ows-test-peer.h"
#include "ows-test-probe.h"
#include "ows-wifi-client.h"

#define P OWS_PREFIX
#define RUNS 7                  /* of each: with the client, without */
#define N_ACCESS_POINTS 40
#define START_DEADLINE_MS 30000
#define REGISTER_DEADLINE_MS 10000
#define SCREEN_DEADLINE_MS 10000
#define MEMORY_AFTER_MS 1000    /* after a first frame */
#define SETTLE_MS 2000          /* before counting wakeups */
#define DEFAULT_WINDOW_S 10
#define KEEPALIVE_S OWS_BUS_DEFAULT_KEEPALIVE_S
#define PING_LATE_MS 2000       /* a ping's seconds timer fires up to ~1 s late */
#define PING_EARLY_MS 1000
#define SAMPLE_MS 50            /* how often the wakeups are read while counting */
#define BURST_GAP_MS 500

#define SELECTION_LINE "first frame of the selection screen"
#define LIST_LINE "first frame of the network list ("

static const char *const clients[] = {
  "{\"client\": \"ovos-PHAL-plugin-balena-wifi\", \"type\": \"Remote\", "
  "\"display_text\": \"Use a phone or a computer\", \"has_gui\": true, \"requires_input\": false}",
  "{\"client\": \"ovos-PHAL-plugin-gui-network-client\", \"type\": \"onDevice\", "
  "\"display_text\": \"On this device's screen\", \"has_gui\": true, \"requires_input\": true}",
  "{\"client\": \"ovos-PHAL-plugin-wifi-cli\", \"type\": \"onDevice\", "
  "\"display_text\": \"With a keyboard, in a terminal\", \"has_gui\": false, \"requires_input\": true}",
};

typedef struct {
  OwsBenchChild bench;
  gint64 alive_us;           /* the first `alive` heard after the spawn */
  gint64 selection_us;       /* the last "first frame of the selection screen" */
  gint64 registered_us;      /* client.registered for the built-in client */
  gint64 list_us;            /* the last "first frame of the network list" */
  guint list_networks;       /* as that line says */
} Child;

static const char *program;
static char *url;
static OwsBusServer *server;
static OwsTestPeer *peer;
static OwsTestProbe *probe;
static OwsTestNm *nm;
static char *device;
static Child *current;
static guint alive_seen;
static guint registered_seen;

/* What the peer heard since the last look: `alive` is answered with the
 * three registrations, the built-in client's registration is noted. */
static void
watch_peer (void)
{
  guint alive = ows_test_peer_count (peer, P "alive");
  guint registered = ows_test_peer_count (peer, P "client.registered");

  if (alive != alive_seen)
    {
      alive_seen = alive;
      if (current != NULL && current->alive_us == 0)
        current->alive_us = g_get_monotonic_time ();
      for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
        ows_test_peer_send (peer, P "register.client", clients[i]);
    }
  for (; registered_seen < registered; registered_seen++)
    {
      g_autoptr(OwsMessage) message = ows_test_peer_wait (peer, P "client.registered", 0);
      JsonObject *data = message ? ows_message_get_data (message) : NULL;

      if (current != NULL && current->registered_us == 0 && data != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (data, "client", NULL),
                     OWS_WIFI_CLIENT_NAME) == 0)
        current->registered_us = g_get_monotonic_time ();
    }
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
      watch_peer ();
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
  if (ms > 0)
    run_until (NULL, NULL, ms);
}

/* Sleeps until @when (monotonic µs), if it is still to come. */
static void
sleep_until (gint64 when)
{
  gint64 now = g_get_monotonic_time ();

  if (when > now)
    sleep_ms ((guint) ((when - now + 999) / 1000));
}

static void
note_line (const char *line,
           gpointer    user_data)
{
  Child *child = user_data;
  gint64 now = g_get_monotonic_time ();
  const char *list;

  if (strstr (line, SELECTION_LINE) != NULL)
    child->selection_us = now;
  else if ((list = strstr (line, LIST_LINE)) != NULL)
    {
      child->list_us = now;
      child->list_networks = (guint) g_ascii_strtoull (list + strlen (LIST_LINE), NULL, 10);
    }
  else if (strstr (line, "-DEBUG") == NULL)
    g_printerr ("  [window %s] %s\n", child->bench.pid, line);
}

static Child *
spawn (void)
{
  const char *argv[] = { program, "--bus", url, "--wifi-setup", NULL };
  g_auto(GStrv) envp = g_get_environ ();  /* DBUS_SYSTEM_BUS_ADDRESS: the mock's */
  Child *child = g_new0 (Child, 1);

  g_assert_null (current);
  envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", "ows-window", TRUE);
  /* as in bench-watchdog: no network changes, the check server's verdict */
  envp = g_environ_setenv (envp, "GIO_USE_NETWORK_MONITOR", "base", TRUE);

  ows_test_peer_clear (peer);
  alive_seen = registered_seen = 0;
  current = child;
  ows_bench_child_spawn (&child->bench, argv, envp, note_line, child);
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
selection_shown (gpointer data)
{
  return ((Child *) data)->selection_us != 0 || ((Child *) data)->bench.exited;
}

static gboolean
client_registered (gpointer data)
{
  return ((Child *) data)->registered_us != 0 || ((Child *) data)->bench.exited;
}

static gboolean
list_shown (gpointer data)
{
  return ((Child *) data)->list_us != 0 || ((Child *) data)->bench.exited;
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

/* ---- memory ---- */

typedef struct {
  double rss, anon, file, shmem, pss;  /* MiB */
  double unshared;              /* VmRSS without RssShmem: without cairo's X images */
  double rss_min, rss_max;      /* of the runs, by median_memory() */
} Memory;

static guint64
field (const char *text,
       const char *name,
       const char *where)
{
  guint64 value;

  if (!ows_bench_status_field (text, name, &value))
    ows_bench_fail ("no %s in %s", name, where);
  return value;
}

static Memory
read_memory (Child *child)
{
  g_autofree char *status = ows_bench_read_status (child->bench.pid, NULL);
  g_autofree char *path = g_strdup_printf ("/proc/%s/smaps_rollup", child->bench.pid);
  g_autofree char *contents = NULL;
  g_autofree char *rollup = NULL;

  if (status == NULL)
    ows_bench_fail ("cannot read /proc/%s/status", child->bench.pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    ows_bench_fail ("cannot read %s", path);
  rollup = g_strconcat ("\n", contents, NULL);
  return (Memory) { field (status, "VmRSS", "/proc/PID/status") / 1024.0,
                    field (status, "RssAnon", "/proc/PID/status") / 1024.0,
                    field (status, "RssFile", "/proc/PID/status") / 1024.0,
                    field (status, "RssShmem", "/proc/PID/status") / 1024.0,
                    field (rollup, "Pss", path) / 1024.0 };
}

/* ---- wakeups ---- */

typedef struct {
  OwsBenchWakeups switches;
  double seconds;
  guint pings;          /* keepalive pings due in the stretch */
  guint scans;          /* RequestScan calls the mock had */
  guint probes;         /* requests the check server had */
  guint bursts;         /* of wakeups, each less than BURST_GAP_MS after the last */
} Wakeups;

/* Keepalive pings due between @from and @to (µs), counting from the
 * window's connection (≈ its `alive`). */
static guint
pings_between (Child  *child,
               gint64  from,
               gint64  to)
{
  gint64 period = KEEPALIVE_S * G_USEC_PER_SEC;

  return (to - child->alive_us) / period - (from - child->alive_us) / period;
}

/* Waits for a stretch of @seconds that no keepalive ping falls in: from
 * PING_LATE_MS after one is due to PING_EARLY_MS before the next. None
 * when @seconds do not fit between two pings: then they are counted. */
static void
wait_between_pings (Child *child,
                    guint  seconds)
{
  gint64 period = KEEPALIVE_S * G_USEC_PER_SEC;
  gint64 length = seconds * G_USEC_PER_SEC;
  gint64 now = g_get_monotonic_time ();
  gint64 last_ping, start;

  if (length + (PING_LATE_MS + PING_EARLY_MS) * 1000 > period)
    return;
  last_ping = child->alive_us + (now - child->alive_us) / period * period;
  start = MAX (now, last_ping + PING_LATE_MS * 1000);
  if (start + length > last_ping + period - PING_EARLY_MS * 1000)
    start = last_ping + period + PING_LATE_MS * 1000;
  sleep_until (start);
}

/* Leaves the window alone for @seconds and counts what woke it meanwhile;
 * read every SAMPLE_MS (reading /proc does not wake it), so that the
 * wakeups of one event, a scan say, show as one burst. */
static Wakeups
count_wakeups (Child *child,
               guint  seconds)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  Wakeups wakeups = { 0 };
  guint scans, probes;
  gint64 from, to;

  wait_between_pings (child, seconds);
  scans = ows_test_nm_count_calls (nm, device, "RequestScan");
  probes = ows_test_probe_get_requests (probe);
  from = g_get_monotonic_time ();
  before = ows_bench_read_switches (child->bench.pid);
  for (gint64 deadline = from + seconds * G_USEC_PER_SEC, last = 0, last_at = 0;;)
    {
      gint64 now = g_get_monotonic_time ();
      guint64 count;

      sleep_ms ((guint) MIN (SAMPLE_MS, (deadline - now + 999) / 1000));
      g_clear_pointer (&after, g_hash_table_unref);
      after = ows_bench_read_switches (child->bench.pid);
      now = g_get_monotonic_time ();
      count = ows_bench_wakeups_between (child->bench.pid, before, after).all_threads;
      if (count > (guint64) last)
        {
          if (wakeups.bursts == 0 || now - last_at > BURST_GAP_MS * 1000)
            wakeups.bursts++;
          last = count;
          last_at = now;
        }
      if (now >= deadline)
        break;
    }
  to = g_get_monotonic_time ();
  if (child->bench.exited)
    ows_bench_fail ("pid %s exited while left alone", child->bench.pid);
  wakeups.switches = ows_bench_wakeups_between (child->bench.pid, before, after);
  wakeups.seconds = (to - from) / 1e6;
  wakeups.pings = pings_between (child, from, to);
  wakeups.scans = ows_test_nm_count_calls (nm, device, "RequestScan") - scans;
  wakeups.probes = ows_test_probe_get_requests (probe) - probes;
  return wakeups;
}

/* ---- set-up ---- */

/* The isolated mycroft.conf, written as the program itself writes it: not
 * a first boot, network_tests at our check server, the built-in client on
 * or off. Read back, it must say what we meant. */
static void
write_config (gboolean wifi_client)
{
  g_autoptr(OwsConfig) config = ows_bench_config_new (probe);
  g_autoptr(OwsConfig) check = NULL;

  ows_bench_persist (config, OWS_CONFIG_PLUGIN_SECTION, "wifi_client",
                     json_node_init_boolean (json_node_alloc (), wifi_client));
  check = ows_bench_config_read_back (probe);
  if (ows_config_get_boolean (check, OWS_CONFIG_PLUGIN_SECTION, "wifi_client", !wifi_client) !=
      wifi_client)
    ows_bench_fail ("%s does not read back as written", ows_config_get_user_path (check));
}

/* One Wi-Fi device, DISCONNECTED, and 40 networks of one access point
 * each: strengths spread over 15 to 95, every other one open. */
static void
start_network_manager (void)
{
  nm = ows_test_nm_new (TRUE);
  device = ows_test_nm_add_wifi_device (nm, "wlan0", "wlan0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  for (guint i = 0; i < N_ACCESS_POINTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("ap%02u", i);
      g_autofree char *ssid = g_strdup_printf ("Neighbour %02u%s", i,
                                               i % 3 == 0 ? " 5G" : i % 3 == 1 ? "-guest" : "");
      guint strength = 15 + (i * 37) % 81;

      g_free (ows_test_nm_add_access_point (nm, device, name, ssid, strength,
                                            i % 2 ? OWS_TEST_NM_SEC_PSK : OWS_TEST_NM_SEC_NONE));
    }
}

static guint
window_seconds (void)
{
  const char *text = g_getenv ("OWS_BENCH_SECONDS");
  guint64 seconds;

  if (text == NULL || *text == '\0')
    return DEFAULT_WINDOW_S;
  if (!g_ascii_string_to_unsigned (text, 10, 1, 3600, &seconds, NULL))
    {
      g_printerr ("bench-network: OWS_BENCH_SECONDS must be a number of seconds, 1 to 3600\n");
      exit (2);
    }
  return seconds;
}

/* ---- figures ---- */

/* The median of each field, over @n. */
static Memory
median_memory (const Memory *memory,
               guint         n)
{
  double rss[RUNS], anon[RUNS], file[RUNS], shmem[RUNS], pss[RUNS], unshared[RUNS];

  for (guint i = 0; i < n; i++)
    {
      rss[i] = memory[i].rss;
      anon[i] = memory[i].anon;
      file[i] = memory[i].file;
      shmem[i] = memory[i].shmem;
      unshared[i] = memory[i].rss - memory[i].shmem;
      pss[i] = memory[i].pss;
    }
  OwsBenchSpread r = ows_bench_spread (rss, n);

  return (Memory) { r.median, ows_bench_spread (anon, n).median, ows_bench_spread (file, n).median,
                    ows_bench_spread (shmem, n).median, ows_bench_spread (pss, n).median, ows_bench_spread (unshared, n).median,
                    r.min, r.max };
}

static void
print_spread (const char   *figure,
              const OwsBenchSpread *s)
{
  g_print ("  %-48s %7.1f ms median of %d (min %.1f, max %.1f)\n", figure, s->median, RUNS,
           s->min, s->max);
}

static void
print_memory (const char   *figure,
              const Memory *m)
{
  g_print ("  %-48s VmRSS %.1f MiB (RssAnon %.1f, RssFile %.1f, RssShmem %.1f), PSS %.1f MiB;\n"
           "  %-48s VmRSS %.1f to %.1f MiB over the %d runs\n", figure, m->rss, m->anon, m->file,
           m->shmem, m->pss, "", m->rss_min, m->rss_max, RUNS);
}

static void
print_wakeups (const char    *figure,
               const Wakeups *w)
{
  g_print ("  %-48s %" G_GUINT64_FORMAT " wakeups in %.1f s, in %u burst%s (main thread %"
           G_GUINT64_FORMAT ", %u threads);\n"
           "  %-48s RequestScan calls: %u; keepalive pings due: %u; probe requests: %u\n",
           figure, w->switches.all_threads, w->seconds, w->bursts, w->bursts == 1 ? "" : "s",
           w->switches.main_thread, w->switches.threads, "", w->scans, w->pings, w->probes);
}

static void G_GNUC_PRINTF (3, 4)
print_row (const char *figure,
           const char *goal,
           const char *format,
           ...)
{
  g_autofree char *measured = NULL;
  va_list args;

  va_start (args, format);
  measured = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("  %-52s | %-16s | %s\n", figure, measured, goal);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  double frame_on_ms[RUNS], frame_off_ms[RUNS], registered_ms[RUNS], list_ms[RUNS];
  Memory memory_on[RUNS], memory_off[RUNS], memory_list[RUNS];
  guint activation_scans[RUNS];
  OwsBenchSpread frame_on, frame_off, registered, list;
  Memory on, off, shown_memory;
  Wakeups shown, hidden;
  guint seconds;
  Child *child = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: bench-network PATH-TO-ovos-wifi-setup (under xvfb-run)\n");
      return 2;
    }
  program = argv[1];
  seconds = window_seconds ();
  if (!ows_test_nm_available ())
    {
      g_print ("bench-network: skipped: no mock NetworkManager "
               "(dbus-daemon and Debian's python3-dbusmock are needed)\n");
      return 77;
    }
  ows_bench_init ("bench-network");
  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    ows_bench_fail ("no DISPLAY: run it under xvfb-run, as `meson test --benchmark network` does");

  /* the private system bus: in our environment from here on, so in the children's */
  ows_test_nm_ensure_bus ();
  start_network_manager ();

  server = ows_bus_server_new ();
  if (!ows_bus_server_listen (server, "127.0.0.1", 0, NULL, &error))
    ows_bench_fail ("cannot start the bus: %s", error->message);
  url = ows_bus_server_dup_url (server);
  peer = ows_test_peer_new (url);
  probe = ows_test_probe_new ();

  /* 1. and 3., alternating: without the client, then with it; the last
   * window with it stays for 2. */
  for (guint i = 0; i < RUNS; i++)
    {
      guint scans;
      gint64 selected;

      write_config (FALSE);
      child = spawn ();
      wait_for (child, selection_shown, START_DEADLINE_MS, "first frame of the selection screen");
      frame_off_ms[i] = (child->selection_us - child->bench.spawned_us) / 1000.0;
      sleep_until (child->selection_us + MEMORY_AFTER_MS * 1000);
      memory_off[i] = read_memory (child);
      if (child->registered_us != 0)
        ows_bench_fail ("pid %s: the built-in client registered with wifi_client false",
                        child->bench.pid);
      stop (child);

      write_config (TRUE);
      child = spawn ();
      wait_for (child, selection_shown, START_DEADLINE_MS, "first frame of the selection screen");
      frame_on_ms[i] = (child->selection_us - child->bench.spawned_us) / 1000.0;
      wait_for (child, client_registered, REGISTER_DEADLINE_MS,
                "client.registered for " OWS_WIFI_CLIENT_NAME);
      registered_ms[i] = (child->registered_us - child->bench.spawned_us) / 1000.0;
      sleep_until (child->selection_us + MEMORY_AFTER_MS * 1000);
      memory_on[i] = read_memory (child);

      scans = ows_test_nm_count_calls (nm, device, "RequestScan");
      selected = g_get_monotonic_time ();
      ows_test_peer_send (peer, P "client.select", "{\"client\": \"" OWS_WIFI_CLIENT_NAME "\"}");
      wait_for (child, list_shown, SCREEN_DEADLINE_MS, "first frame of the network list");
      list_ms[i] = (child->list_us - selected) / 1000.0;
      if (child->list_networks != N_ACCESS_POINTS)
        ows_bench_fail ("pid %s: the list was first drawn with %u networks, not %d",
                        child->bench.pid, child->list_networks, N_ACCESS_POINTS);
      sleep_until (child->list_us + MEMORY_AFTER_MS * 1000);
      memory_list[i] = read_memory (child);
      activation_scans[i] = ows_test_nm_count_calls (nm, device, "RequestScan") - scans;
      if (i + 1 < RUNS)
        stop (child);
    }

  /* 2. the page shown, settled; then hidden: the selection is back */
  sleep_ms (SETTLE_MS);
  shown = count_wakeups (child, seconds);
  child->selection_us = 0;
  ows_test_peer_send (peer, P "user.activated", NULL);
  wait_for (child, selection_shown, SCREEN_DEADLINE_MS,
            "first frame of the selection screen after user.activated");
  sleep_ms (SETTLE_MS);
  hidden = count_wakeups (child, seconds);
  stop (child);

  frame_on = ows_bench_spread (frame_on_ms, RUNS);
  frame_off = ows_bench_spread (frame_off_ms, RUNS);
  registered = ows_bench_spread (registered_ms, RUNS);
  list = ows_bench_spread (list_ms, RUNS);
  on = median_memory (memory_on, RUNS);
  off = median_memory (memory_off, RUNS);
  shown_memory = median_memory (memory_list, RUNS);

  {
    double ratio = list.median / frame_on.median;
    double rss_more = on.rss - off.rss, pss_more = on.pss - off.pss;
    guint scans_min = activation_scans[0], scans_max = activation_scans[0];
    double differences[RUNS];
    OwsBenchSpread pairs;
    g_autofree char *goal = NULL;
    const char *renderer = g_getenv ("GSK_RENDERER");

    for (guint i = 0; i < RUNS; i++)
      {
        differences[i] = memory_on[i].rss - memory_off[i].rss;
        scans_min = MIN (scans_min, activation_scans[i]);
        scans_max = MAX (scans_max, activation_scans[i]);
      }
    pairs = ows_bench_spread (differences, RUNS);

    g_print ("ovos-wifi-setup window under Xvfb, GSK_RENDERER=%s, %ld cores, nothing pinned; "
             "bus, check server and peer in this process;\n"
             "  mock NetworkManager (python3-dbusmock): 1 Wi-Fi device, %d access points, "
             "%d SSIDs; %d fresh windows with the built-in client and %d without, alternating\n",
             renderer ? renderer : "(unset)", sysconf (_SC_NPROCESSORS_ONLN), N_ACCESS_POINTS,
             N_ACCESS_POINTS, RUNS, RUNS);
    print_spread ("exec -> first frame of the selection, client on", &frame_on);
    print_spread ("exec -> first frame of the selection, client off", &frame_off);
    print_spread ("exec -> client.registered of the built-in client", &registered);
    print_spread ("client.select -> first frame of the list (40)", &list);
    g_print ("  %-48s %7.2fx (medians)\n", "  as a multiple of exec -> selection, client on", ratio);
    g_print ("  %-48s %u to %u per activation\n", "RequestScan calls on activation", scans_min,
             scans_max);
    print_memory ("memory 1 s after the selection, client on", &on);
    print_memory ("memory 1 s after the selection, client off", &off);
    g_print ("  %-48s VmRSS %+.1f MiB, PSS %+.1f MiB, VmRSS without RssShmem %+.1f MiB "
             "(medians of %d);\n  %-48s run by run, VmRSS %+.1f to %+.1f MiB\n",
             "  the client's share", rss_more, pss_more, on.unshared - off.unshared, RUNS, "",
             pairs.min, pairs.max);
    print_memory ("memory 1 s after the list, 40 networks", &shown_memory);
    print_wakeups ("network page shown, settled 2 s:", &shown);
    print_wakeups ("network page hidden (selection back), 2 s:", &hidden);

    g_print ("\n");
    g_print ("  %-52s | %-16s | %s\n", "figure", "measured", "goal");
    print_row ("exec -> first frame of the selection (median)", "(the ratio's base)", "%.1f ms",
               frame_on.median);
    print_row ("client.select -> list drawn, 40 networks (median)", "", "%.1f ms", list.median);
    print_row ("  as a multiple of the selection's first frame", "(the issue sets no number)",
               "%.2fx", ratio);
    goal = g_strdup_printf ("the rescan only (%u RequestScan here)", shown.scans);
    print_row ("wakeups, network page shown", goal, "%" G_GUINT64_FORMAT " (%u burst%s)",
               shown.switches.all_threads, shown.bursts, shown.bursts == 1 ? "" : "s");
    g_free (goal);
    goal = g_strdup_printf ("1 per 10 s (%.1f s here)", shown.seconds);
    print_row ("RequestScan calls, page shown", goal, "%u", shown.scans);
    print_row ("wakeups, network page hidden", "0", "%" G_GUINT64_FORMAT, hidden.switches.all_threads);
    print_row ("RequestScan calls, page hidden", "0", "%u", hidden.scans);
    print_row ("VmRSS, selection, client on", "", "%.1f MiB", on.rss);
    print_row ("VmRSS, selection, client off", "", "%.1f MiB", off.rss);
    print_row ("  VmRSS the client adds", "<= 3 MiB", "%+.1f MiB", rss_more);
    print_row ("  PSS the client adds", "(for scale)", "%+.1f MiB", pss_more);
    print_row ("  VmRSS - RssShmem (X images) the client adds", "(for scale)", "%+.1f MiB",
               on.unshared - off.unshared);
    print_row ("VmRSS, network page shown (40 networks)", "", "%.1f MiB", shown_memory.rss);
    g_print ("  (wakeups over %u s each; keepalive pings due in them: %u and %u)\n", seconds,
             shown.pings, hidden.pings);
  }

  ows_test_probe_free (probe);
  g_clear_pointer (&peer, ows_test_peer_free);
  ows_bus_server_stop (server);
  g_clear_object (&server);
  ows_test_nm_free (nm);
  g_free (device);
  g_free (url);
  return 0;
}
