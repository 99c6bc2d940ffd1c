/* bench-watchdog.c: the headless program, online and left alone for a minute: its wakeups and probes.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The goal: while the verdict is "online", nothing wakes the
 * program in 60 s but the bus keepalive (upstream polled every 30 s). This
 * process is the bus (an embedded OwsBusServer), the internet's check
 * servers (OwsTestProbe) and the peer that asks `status`; the program is the
 * real ovos-wifi-setup --headless, which finds both through an isolated
 * mycroft.conf with the default grace_period and time_between_checks.
 * GIO_USE_NETWORK_MONITOR=base says a network is always up and never
 * changes, so the verdict is the check server's.
 *
 * Two windows, each a fresh program: online, with the bus's 15 s
 * keepalive, and "network", the check server closed: the re-probe every
 * time_between_checks that the design pays only while not online. The
 * keepalive cannot be switched off from outside any more (its knob was a
 * test's, now ows-bus-private.h): its share is what its logged pings and
 * pongs explain, one wakeup each, and one for the bus's silence check per
 * 45 s.
 *
 * Wakeups are context switches of all its threads (bench-util.h). Requests
 * are counted twice: by the check server, and in the program's own debug
 * log (ows-connectivity and libsoup), which also shows each keepalive ping
 * and pong, and the connection attempts of a closed server, which no server
 * can count. The log is written only when something happens, so a quiet
 * program stays quiet.
 *
 * It reports figures and goals and never fails on a missed goal; it fails
 * (exit 1) when something did not happen in time or the program did not
 * exit cleanly, after killing it.
 */
#define G_LOG_DOMAIN "bench-watchdog"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "ows-bus-private.h"
#include "ows-bus-server.h"
#include "ows-manager.h"
#include "ows-test-peer.h"
#include "ows-test-probe.h"

#define P OWS_PREFIX
#define DEFAULT_WINDOW_S 60
#define KEEPALIVE_S OWS_BUS_DEFAULT_KEEPALIVE_S
#define SILENCE_S   (OWS_BUS_DEFAULT_SILENCE_MS / 1000)
#define ALIVE_DEADLINE_MS 30000
#define VERDICT_POLL_MS 500
/* "network" is told only once the 45 s grace period is over. */
#define VERDICT_DEADLINE_MS 120000
#define STATUS_DEADLINE_MS 2000
#define SETTLE_MS 2000

/* What the program logs (G_MESSAGES_DEBUG below) that we count. */
#define LOG_DOMAINS "ows-connectivity,libsoup"
#define PING_LINE "libsoup-DEBUG"
#define PING_TEXT "sending ping message"
#define PONG_TEXT "received pong message"
#define PROBE_LINE "ows-connectivity-DEBUG"
#define PROBE_BODY_TEXT "the answer broke off"  /* a second line for one request */

/* What the program's log says it did. */
typedef struct {
  guint pings;               /* keepalive pings sent */
  guint pongs;
  guint requests;            /* probe requests that got an answer or failed */
  guint rounds;              /* of which to captive_portal_url: one per probe */
} Logged;

typedef struct {
  OwsBenchChild bench;
  Logged logged;             /* so far */
} Child;

typedef struct {
  const char *name;
  OwsBenchWakeups wakeups;
  double seconds;
  double verdict_s;          /* exec → the verdict answered to `status` */
  guint received;            /* by the check server */
  Logged logged;
} Window;

static const char *program;
static OwsBusServer *server;
static OwsTestProbe *probe;
static OwsTestPeer *peer;
static char *probe_prefix;   /* "http://127.0.0.1:PORT/" */
static double grace_s;       /* as the program reads them: the defaults */
static double interval_s;

static void
count_line (const char *line,
            gpointer    user_data)
{
  Child *child = user_data;
  const char *url;

  if (strstr (line, PING_LINE) != NULL)
    {
      child->logged.pings += strstr (line, PING_TEXT) != NULL;
      child->logged.pongs += strstr (line, PONG_TEXT) != NULL;
    }
  else if (strstr (line, PROBE_LINE) != NULL)
    {
      /* one "URL: outcome" line per request, when it is answered or fails */
      url = strstr (line, probe_prefix);
      if (url == NULL || strstr (line, PROBE_BODY_TEXT) != NULL)
        return;
      child->logged.requests++;
      child->logged.rounds += g_str_has_prefix (url + strlen (probe_prefix), "check: ");
    }
  else if (strstr (line, "-DEBUG") == NULL)
    {
      g_printerr ("  [ovos-wifi-setup %s] %s\n", child->bench.pid, line);
    }
}

static Child *
spawn (void)
{
  const char *argv[] = { program, "--headless", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  Child *child = g_new0 (Child, 1);

  envp = g_environ_setenv (envp, "GIO_USE_NETWORK_MONITOR", "base", TRUE);
  envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", LOG_DOMAINS, TRUE);
  /* as on a headless device: a desktop's session bus would add its own traffic */
  envp = g_environ_unsetenv (envp, "DBUS_SESSION_BUS_ADDRESS");

  ows_test_peer_clear (peer);
  ows_bench_child_spawn (&child->bench, argv, envp, count_line, child);
  return child;
}

/* The connectivity a `status` request is answered with; NULL when no
 * answer came (the program may not be on the bus yet). */
static char *
ask_connectivity (void)
{
  g_autoptr(OwsMessage) reply = NULL;
  JsonObject *data;

  ows_test_peer_clear (peer);
  ows_test_peer_send (peer, P "status", NULL);
  reply = ows_test_peer_wait (peer, P "status.response", STATUS_DEADLINE_MS);
  if (reply == NULL)
    return NULL;
  data = ows_message_get_data (reply);
  if (data == NULL || !json_object_has_member (data, "connectivity"))
    ows_bench_fail ("a status.response without connectivity");
  return g_strdup (json_object_get_string_member (data, "connectivity"));
}

static gboolean
heard_alive (gpointer data)
{
  return ows_test_peer_count (peer, P "alive") > 0 || ((Child *) data)->bench.exited;
}

/* Once the program is on the bus, asks until the verdict is @expected;
 * the seconds from @start it took. */
static double
wait_for_verdict (Child      *child,
                  const char *expected,
                  gint64      start)
{
  gint64 deadline = start + VERDICT_DEADLINE_MS * (gint64) 1000;
  g_autofree char *last = NULL;

  if (!ows_test_wait_until (heard_alive, child, ALIVE_DEADLINE_MS))
    ows_bench_fail ("pid %s: no alive within %d s", child->bench.pid, ALIVE_DEADLINE_MS / 1000);
  for (;;)
    {
      g_free (last);
      last = ask_connectivity ();
      if (child->bench.exited)
        ows_bench_fail ("pid %s exited before its verdict", child->bench.pid);
      if (g_strcmp0 (last, expected) == 0)
        return (g_get_monotonic_time () - start) / 1e6;
      if (g_get_monotonic_time () > deadline)
        ows_bench_fail ("pid %s: connectivity still \"%s\" after %d s, not \"%s\"", child->bench.pid,
              last ? last : "(no answer)", VERDICT_DEADLINE_MS / 1000, expected);
      ows_test_sleep (VERDICT_POLL_MS);
    }
}

/* A fresh program, its verdict, then @seconds of silence from us. */
static Window
measure (const char       *name,
         OwsTestProbeMode  mode,
         const char       *verdict,
         guint             seconds)
{
  Window window = { name };
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  Logged start;
  g_autofree Child *child = NULL;
  guint received;
  gint64 from;

  ows_test_probe_set_mode (probe, mode);
  from = g_get_monotonic_time ();
  child = spawn ();
  window.verdict_s = wait_for_verdict (child, verdict, from);
  /* the answer to our last `status`, and its echoes, are through */
  ows_test_sleep (SETTLE_MS);

  start = child->logged;
  received = ows_test_probe_get_requests (probe);
  from = g_get_monotonic_time ();
  before = ows_bench_read_switches (child->bench.pid);
  ows_test_sleep (seconds * 1000);
  after = ows_bench_read_switches (child->bench.pid);
  window.seconds = (g_get_monotonic_time () - from) / 1e6;
  if (child->bench.exited)
    ows_bench_fail ("pid %s exited while left alone", child->bench.pid);

  window.wakeups = ows_bench_wakeups_between (child->bench.pid, before, after);
  window.received = ows_test_probe_get_requests (probe) - received;
  window.logged = (Logged) { child->logged.pings - start.pings, child->logged.pongs - start.pongs,
                             child->logged.requests - start.requests,
                             child->logged.rounds - start.rounds };
  ows_bench_child_stop (&child->bench);
  return window;
}

/* The isolated mycroft.conf, written as the program itself writes it: the
 * bus, network_tests as OwsTestProbe configures them, not a first boot.
 * Read back, it must say what we meant. */
static void
write_config (const char *bus_url)
{
  g_autoptr(OwsConfig) config = ows_bench_config_new (probe);
  g_autoptr(OwsConfig) check = NULL;
  g_autoptr(GUri) uri = g_uri_parse (bus_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *read_url = NULL;

  ows_bench_persist (config, "websocket", "host",
                     json_node_init_string (json_node_alloc (), g_uri_get_host (uri)));
  ows_bench_persist (config, "websocket", "port",
                     json_node_init_int (json_node_alloc (), g_uri_get_port (uri)));
  ows_bench_persist (config, "websocket", "route",
                     json_node_init_string (json_node_alloc (), g_uri_get_path (uri)));
  check = ows_bench_config_read_back (probe);
  grace_s = ows_config_get_double (check, OWS_CONFIG_PLUGIN_SECTION, "grace_period", -1);
  interval_s = ows_config_get_double (check, OWS_CONFIG_PLUGIN_SECTION, "time_between_checks", -1);
  read_url = ows_config_dup_bus_url (check);
  if (g_strcmp0 (read_url, bus_url) != 0)
    ows_bench_fail ("%s does not read back as written", ows_config_get_user_path (check));
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
      g_printerr ("bench-watchdog: OWS_BENCH_SECONDS must be a number of seconds, 1 to 3600\n");
      exit (2);
    }
  return seconds;
}

static void
print_window (const Window *window)
{
  g_print ("  %s: %" G_GUINT64_FORMAT " wakeups in %.1f s (main thread %" G_GUINT64_FORMAT
           ", %u threads)\n", window->name, window->wakeups.all_threads, window->seconds,
           window->wakeups.main_thread, window->wakeups.threads);
  g_print ("      probe requests: %u at the check server, %u in the program's log (probes: %u)\n",
           window->received, window->logged.requests, window->logged.rounds);
  g_print ("      keepalive pings: %u, pongs: %u; verdict heard %.1f s after exec (asked every %.1f s)\n",
           window->logged.pings, window->logged.pongs, window->verdict_s, VERDICT_POLL_MS / 1000.0);
}

static void
print_row (const char *figure,
           guint64     measured,
           const char *goal)
{
  g_print ("  %-44s | %15" G_GUINT64_FORMAT "        | %s\n", figure, measured, goal);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *online_goal = NULL;
  g_autofree char *network_goal = NULL;
  Window online, network;
  guint keepalive_share;
  guint seconds;

  if (argc != 2)
    {
      g_printerr ("usage: bench-watchdog PATH-TO-ovos-wifi-setup\n");
      return 2;
    }
  program = argv[1];
  seconds = window_seconds ();
  ows_bench_init ("bench-watchdog");

  server = ows_bus_server_new ();
  if (!ows_bus_server_listen (server, "127.0.0.1", 0, NULL, &error))
    ows_bench_fail ("cannot start the bus: %s", error->message);
  url = ows_bus_server_dup_url (server);
  peer = ows_test_peer_new (url);
  probe = ows_test_probe_new ();
  probe_prefix = ows_test_probe_dup_url (probe, "/");
  write_config (url);

  online = measure ("online", OWS_TEST_PROBE_ONLINE, "online", seconds);
  network = measure ("network (check server closed)", OWS_TEST_PROBE_CLOSED, "network", seconds);

  /* A ping is a timer's wakeup, its pong a read's; the silence check rearms
   * once per silence window (OwsBus's 45 s). */
  keepalive_share = online.logged.pings + online.logged.pongs + (seconds + SILENCE_S - 1) / SILENCE_S;
  g_print ("ovos-wifi-setup --headless left alone %u s after its verdict, %ld cores, nothing pinned; "
           "bus, check server and peer in this process\n", seconds, sysconf (_SC_NPROCESSORS_ONLN));
  g_print ("  grace_period %g s, time_between_checks %g s (the defaults), first_boot false, "
           "keepalive %d s; GIO_USE_NETWORK_MONITOR=base\n", grace_s, interval_s, KEEPALIVE_S);
  print_window (&online);
  print_window (&network);
  g_print ("  online: %" G_GUINT64_FORMAT " wakeups; the keepalive explains up to %u "
           "(pings: %u, pongs: %u, silence checks)\n", online.wakeups.all_threads,
           keepalive_share, online.logged.pings, online.logged.pongs);
  g_print ("  not online: %" G_GINT64_FORMAT " wakeups more than online, for probes: %u, requests: %u\n",
           (gint64) network.wakeups.all_threads - (gint64) online.wakeups.all_threads,
           network.logged.rounds, network.logged.requests);
  g_print ("\n");
  g_print ("  %-44s | %-22s | %s\n", "figure", "measured", "goal");
  online_goal = g_strdup_printf ("0 + the keepalive (<= %u)", keepalive_share);
  network_goal = g_strdup_printf ("(contrast: 3 per %g s)", interval_s);
  print_row ("wakeups, online", online.wakeups.all_threads, online_goal);
  print_row ("probe requests, online", online.received, "0");
  print_row ("wakeups, not online (network)", network.wakeups.all_threads, "(contrast)");
  print_row ("probe requests, not online (network)", network.logged.requests, network_goal);
  g_print ("  (each over %u s)\n", seconds);

  ows_test_probe_free (probe);
  g_clear_pointer (&peer, ows_test_peer_free);
  ows_bus_server_stop (server);
  g_clear_object (&server);
  g_free (probe_prefix);
  return 0;
}
