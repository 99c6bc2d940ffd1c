/* bench-phone.c: "Set Up With a Phone" headless: the memory the idle client costs, activation to the hotspot, the page on loopback.
 * SPDX-License-Identifier: Apache-2.0
 *
 * NetworkManager is python3-dbusmock's (tests/ows-test-nm.h) on a private
 * system bus: one Wi-Fi device that can be an access point (the template's
 * WirelessCapabilities, 0xff, has the AP bit), N_ACCESS_POINTS networks in
 * range, a LastScan property (the template lacks it) and an IP4Config of
 * 127.0.0.1/8, so that the hotspot program serves its page on loopback. The
 * program under test is the real `ovos-wifi-setup --headless
 * --embedded-bus`: the manager is the bus, and this process is a peer on it
 * and the internet's check server (OwsTestProbe, online: the watchdog says
 * "online" and launches no setup, so the client stays idle until we
 * activate it). The manager starts the build tree's ovos-wifi-setup-hotspot.
 *
 * The figures:
 * - VmRSS, RssAnon, RssFile and PSS of the idle manager, SETTLE_MS after
 *   the client registered, and the same with `phone_setup: false` (goal:
 *   at most 1 MiB more); medians of MEMORY_RUNS fresh managers of each,
 *   alternating;
 * - set.active.client → the mock's RequestScan, and LastScan bumped (by us,
 *   as soon as we see that call) → its AddAndActivateConnection, and the
 *   whole of activation → AddAndActivateConnection; then → the `speak`
 *   that says the hotspot is up. The mock is asked for its call log every
 *   POLL_MS, which is the figures' resolution. Medians of ACTIVATIONS, each
 *   with a fresh mock and a fresh manager: a deactivated client is not
 *   idle again here (user.activated relaunches the setup, and a headless
 *   manager picks the phone client at once), and a fresh mock has no
 *   hotspot profile left from the run before;
 * - GET / of the page: its size, and the median of PAGE_GETS requests
 *   with libsoup over one kept-alive connection, after PAGE_WARMUP;
 *   VmRSS of the hotspot program then, for scale (libnm is paid there).
 *
 * It reports figures and goals and never fails on a missed goal; it fails
 * (exit 1) when something did not happen in time or the manager did not
 * exit cleanly, after killing it. Without python3-dbusmock it is skipped (77).
 */
#define G_LOG_DOMAIN "bench-phone"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "ows-config.h"
#include "ows-manager.h"
#include "ows-phone-client.h"
#include "ows-test-nm.h"
#include "ows-test-peer.h"
#include "ows-test-probe.h"

#define P OWS_PREFIX
#define MEMORY_RUNS 3           /* of each: with the client, without */
#define ACTIVATIONS 5
#define PAGE_WARMUP 5
#define PAGE_GETS 50
#define N_ACCESS_POINTS 10
#define NM_CAP_AP 0x40          /* NM_WIFI_DEVICE_CAP_AP */
#define SETTLE_MS 2000          /* after the registration, before the memory */
#define POLL_MS 2               /* how often the mock's call log is read */
#define BUS_DEADLINE_MS 15000   /* exec → the manager answers on its bus */
#define STATUS_RETRY_MS 250
#define REGISTER_DEADLINE_MS 10000
#define STEP_DEADLINE_MS 10000  /* each step of an activation */
#define HOTSPOT_EXIT_DEADLINE_MS 15000

typedef struct {
  OwsBenchChild bench;
  guint bus_port;
  char *url;
  OwsTestPeer *peer;
} Manager;

static const char *program;
static OwsTestProbe *probe;
static OwsTestNm *nm;
static char *device;

/* ---- waiting ---- */

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
expire_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done, checked at least every POLL_MS (the
 * mock tells us nothing by itself), or for @timeout_ms; FALSE when the time
 * ran out. */
static gboolean
run_until (gboolean (*done) (gpointer),
           gpointer   data,
           guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint expire = g_timeout_add (timeout_ms, expire_cb, &expired);
  guint tick = g_timeout_add (POLL_MS, tick_cb, NULL);

  for (;;)
    {
      if (done != NULL && done (data))
        break;
      if (expired)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  if (!expired)
    g_source_remove (expire);
  return !expired || (done != NULL && done (data));
}

static void
sleep_ms (guint ms)
{
  run_until (NULL, NULL, ms);
}

/* ---- the mock NetworkManager ---- */

/* A fresh mock: one Wi-Fi device, DISCONNECTED, that can be an access
 * point, networks in range, a LastScan to bump, 127.0.0.1/8 as its
 * address; AddAndActivateConnection activates what it is given. */
static void
start_network_manager (void)
{
  g_autoptr(GVariant) caps = NULL;
  g_autofree char *config = NULL;

  if (nm == NULL)
    nm = ows_test_nm_new (TRUE);
  else
    {
      ows_test_nm_stop (nm);
      ows_test_nm_start (nm);
    }
  g_clear_pointer (&device, g_free);
  ows_test_nm_replace_add_and_activate (nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  device = ows_test_nm_add_wifi_device (nm, "wlan0", "wlan0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  caps = ows_test_nm_get_property (nm, device, OWS_TEST_NM_WIRELESS_IFACE, "WirelessCapabilities");
  if ((g_variant_get_uint32 (caps) & NM_CAP_AP) == 0)
    ows_bench_fail ("the mock's Wi-Fi device cannot be an access point (WirelessCapabilities 0x%x)",
                    g_variant_get_uint32 (caps));
  ows_test_nm_add_property (nm, device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (1000));
  for (guint i = 0; i < N_ACCESS_POINTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("ap%02u", i);
      g_autofree char *ssid = g_strdup_printf ("Neighbour %02u", i);

      g_free (ows_test_nm_add_access_point (nm, device, name, ssid, 15 + (i * 37) % 81,
                                            i % 2 ? OWS_TEST_NM_SEC_PSK : OWS_TEST_NM_SEC_NONE));
    }
  config = ows_test_nm_add_ip4_config (nm, device, "127.0.0.1", 8);
}

/* ---- mycroft.conf ---- */

/* The isolated mycroft.conf, written as the program itself writes it: not
 * a first boot, network_tests at our check server (so no setup is
 * launched), the phone client on or off, its page on @page_port. Read
 * back, it must say what we meant. */
static void
write_config (gboolean phone_setup,
              guint    page_port)
{
  g_autoptr(OwsConfig) config = ows_bench_config_new (probe);
  g_autoptr(OwsConfig) check = NULL;

  ows_bench_persist (config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup",
                     json_node_init_boolean (json_node_alloc (), phone_setup));
  ows_bench_persist (config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_port",
                     json_node_init_int (json_node_alloc (), page_port));
  check = ows_bench_config_read_back (probe);
  if (ows_config_get_boolean (check, OWS_CONFIG_PLUGIN_SECTION, "phone_setup", !phone_setup) !=
      phone_setup ||
      ows_config_get_double (check, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_port", 0) != page_port)
    ows_bench_fail ("%s does not read back as written", ows_config_get_user_path (check));
}

/* ---- the manager ---- */

static void
note_line (const char *line,
           gpointer    user_data)
{
  Manager *manager = user_data;

  /* the manager's warnings and the hotspot program's (its standard error is the manager's) */
  g_printerr ("  [manager %s] %s\n", manager->bench.pid, line);
}

static gboolean
bus_listening (gpointer data)
{
  Manager *manager = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  if (manager->bench.exited)
    return TRUE;
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", manager->bus_port, NULL, NULL);
  return connection != NULL;
}

static gboolean
status_answered (gpointer data)
{
  Manager *manager = data;

  return manager->bench.exited || ows_test_peer_count (manager->peer, P "status.response") > 0;
}

/* Asked again and again: while the manager asks whether another manager is
 * on its bus (OWS_PEER_PROBE_DEADLINE_MS), it answers nobody's status. */
static void
wait_answering (Manager *manager)
{
  gint64 deadline = g_get_monotonic_time () + BUS_DEADLINE_MS * 1000;

  do
    {
      ows_test_peer_send (manager->peer, P "status", NULL);
      if (run_until (status_answered, manager, STATUS_RETRY_MS))
        break;
    }
  while (g_get_monotonic_time () < deadline);
  if (manager->bench.exited)
    ows_bench_fail ("pid %s exited before answering on its bus", manager->bench.pid);
  if (!status_answered (manager))
    ows_bench_fail ("pid %s: no status.response within %d ms", manager->bench.pid, BUS_DEADLINE_MS);
}

/* A fresh headless manager, its own bus on a free port, and our peer on
 * it once the manager answers there. */
static Manager *
spawn_manager (void)
{
  Manager *manager = g_new0 (Manager, 1);
  g_auto(GStrv) envp = g_get_environ ();  /* DBUS_SYSTEM_BUS_ADDRESS: the mock's */
  const char *argv[] = { program, "--headless", "--embedded-bus", "--bus", NULL, NULL };

  manager->bus_port = ows_test_free_port ();
  manager->url = g_strdup_printf ("ws://127.0.0.1:%u/core", manager->bus_port);
  argv[4] = manager->url;
  /* as in bench-watchdog: no network changes, the check server's verdict */
  envp = g_environ_setenv (envp, "GIO_USE_NETWORK_MONITOR", "base", TRUE);
  ows_bench_child_spawn (&manager->bench, argv, envp, note_line, manager);

  if (!run_until (bus_listening, manager, BUS_DEADLINE_MS) || manager->bench.exited)
    ows_bench_fail ("pid %s: its bus did not listen on port %u within %d ms", manager->bench.pid,
                    manager->bus_port, BUS_DEADLINE_MS);
  manager->peer = ows_test_peer_new (manager->url);
  wait_answering (manager);
  return manager;
}

static void
stop_manager (Manager *manager)
{
  g_clear_pointer (&manager->peer, ows_test_peer_free);
  ows_bench_child_stop (&manager->bench);
  g_free (manager->url);
  g_free (manager);
}

/* Whether the manager's registry has the phone client: asked, not
 * listened for, since it may have registered before our peer came. */
static gboolean
phone_registered (Manager *manager)
{
  g_autoptr(OwsMessage) reply = NULL;
  JsonArray *clients;

  ows_test_peer_clear (manager->peer);
  ows_test_peer_send (manager->peer, P "get.registered.clients", NULL);
  reply = ows_test_peer_wait (manager->peer, P "registered.clients", STEP_DEADLINE_MS);
  if (reply == NULL)
    ows_bench_fail ("pid %s: no registered.clients within %d ms", manager->bench.pid,
                    STEP_DEADLINE_MS);
  clients = json_object_get_array_member (ows_message_get_data (reply), "clients");
  for (guint i = 0; clients != NULL && i < json_array_get_length (clients); i++)
    {
      JsonObject *client = json_array_get_object_element (clients, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (client, "client", NULL),
                     OWS_PHONE_CLIENT_NAME) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
wait_registered (Manager *manager)
{
  gint64 deadline = g_get_monotonic_time () + REGISTER_DEADLINE_MS * 1000;

  while (!phone_registered (manager))
    {
      if (manager->bench.exited)
        ows_bench_fail ("pid %s exited before registering %s", manager->bench.pid,
                        OWS_PHONE_CLIENT_NAME);
      if (g_get_monotonic_time () > deadline)
        ows_bench_fail ("pid %s: %s not registered within %d ms", manager->bench.pid,
                        OWS_PHONE_CLIENT_NAME, REGISTER_DEADLINE_MS);
      sleep_ms (50);
    }
}

/* ---- memory ---- */

typedef struct {
  double rss, anon, file, pss;  /* MiB */
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
read_memory (const char *pid)
{
  g_autofree char *status = ows_bench_read_status (pid, NULL);
  g_autofree char *path = g_strdup_printf ("/proc/%s/smaps_rollup", pid);
  g_autofree char *contents = NULL;
  g_autofree char *rollup = NULL;

  if (status == NULL)
    ows_bench_fail ("cannot read /proc/%s/status", pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    ows_bench_fail ("cannot read %s", path);
  rollup = g_strconcat ("\n", contents, NULL);
  return (Memory) { field (status, "VmRSS", "/proc/PID/status") / 1024.0,
                    field (status, "RssAnon", "/proc/PID/status") / 1024.0,
                    field (status, "RssFile", "/proc/PID/status") / 1024.0,
                    field (rollup, "Pss", path) / 1024.0 };
}

/* A fresh idle manager, with the client registered or turned off, SETTLE_MS
 * after it is there. */
static Memory
idle_memory (gboolean phone_setup)
{
  Manager *manager;
  Memory memory;

  write_config (phone_setup, ows_test_free_port ());
  manager = spawn_manager ();
  if (phone_setup)
    wait_registered (manager);
  sleep_ms (SETTLE_MS);
  if (manager->bench.exited)
    ows_bench_fail ("pid %s exited while idle", manager->bench.pid);
  /* turned off is off: never registered, even late */
  if (!phone_setup && phone_registered (manager))
    ows_bench_fail ("pid %s: %s registered with phone_setup false", manager->bench.pid,
                    OWS_PHONE_CLIENT_NAME);
  memory = read_memory (manager->bench.pid);
  stop_manager (manager);
  return memory;
}

/* ---- activation ---- */

typedef struct {
  double to_scan;      /* set.active.client → RequestScan */
  double scan_to_add;  /* LastScan bumped → AddAndActivateConnection */
  double to_add;       /* set.active.client → AddAndActivateConnection */
  double to_up;        /* set.active.client → `speak`: the hotspot is up */
} Activation;

typedef struct {
  const char *path;
  const char *method;
} Call;

static gboolean
called (gpointer data)
{
  Call *call = data;

  return ows_test_nm_count_calls (nm, call->path, call->method) > 0;
}

static void
wait_call (Manager    *manager,
           const char *path,
           const char *method)
{
  Call call = { path, method };

  if (!run_until (called, &call, STEP_DEADLINE_MS))
    ows_bench_fail ("pid %s: no %s within %d ms of set.active.client", manager->bench.pid,
                    method, STEP_DEADLINE_MS);
}

static gboolean
spoken (gpointer data)
{
  Manager *manager = data;

  return manager->bench.exited || ows_test_peer_count (manager->peer, "speak") > 0;
}

/* The hotspot program: the manager's only child while it is active. */
static char *
hotspot_pid (Manager *manager)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/task/%s/children", manager->bench.pid,
                                           manager->bench.pid);
  g_autofree char *children = NULL;
  g_auto(GStrv) pids = NULL;

  if (!g_file_get_contents (path, &children, NULL, NULL))
    ows_bench_fail ("cannot read %s", path);
  pids = g_strsplit (g_strstrip (children), " ", -1);
  if (pids[0] == NULL || *pids[0] == '\0' || pids[1] != NULL)
    ows_bench_fail ("pid %s: not one child but \"%s\"", manager->bench.pid, children);
  return g_strdup (pids[0]);
}

static gboolean
process_gone (gpointer data)
{
  g_autofree char *status = ows_bench_read_status (data, NULL);
  guint64 unused;

  /* gone, or a zombie (no VmRSS) until whoever adopted it reaps it */
  return status == NULL || !ows_bench_status_field (status, "VmRSS", &unused);
}

/* What the manager's active client asks of NetworkManager, step by step;
 * the hotspot program left running for the page. */
static Activation
activate (Manager *manager)
{
  Activation activation;
  gint64 sent, scanned, bumped, added;

  /* idle until now: nothing launched a setup that picked it by itself */
  if (ows_test_nm_count_calls (nm, device, "RequestScan") > 0)
    ows_bench_fail ("pid %s: the phone client was active before set.active.client",
                    manager->bench.pid);
  ows_test_peer_clear (manager->peer);
  sent = g_get_monotonic_time ();
  ows_test_peer_send (manager->peer, P "set.active.client",
                      "{\"client\": \"" OWS_PHONE_CLIENT_NAME "\"}");
  wait_call (manager, device, "RequestScan");
  scanned = g_get_monotonic_time ();
  if (ows_test_nm_count_calls (nm, OWS_TEST_NM_PATH, "AddAndActivateConnection") > 0)
    ows_bench_fail ("pid %s: the hotspot was asked for before the scan ended", manager->bench.pid);
  ows_test_nm_set_property (nm, device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (2000));
  bumped = g_get_monotonic_time ();
  wait_call (manager, OWS_TEST_NM_PATH, "AddAndActivateConnection");
  added = g_get_monotonic_time ();
  if (!run_until (spoken, manager, STEP_DEADLINE_MS) || manager->bench.exited)
    ows_bench_fail ("pid %s: no speak (the hotspot up) within %d ms", manager->bench.pid,
                    STEP_DEADLINE_MS);
  activation.to_scan = (scanned - sent) / 1000.0;
  activation.scan_to_add = (added - bumped) / 1000.0;
  activation.to_add = (added - sent) / 1000.0;
  activation.to_up = (g_get_monotonic_time () - sent) / 1000.0;
  return activation;
}

/* ---- the page ---- */

typedef struct {
  gsize bytes;
  double ms[PAGE_GETS];  /* each GET, in order */
} Page;

/* The body of a GET that must answer 200. */
static GBytes *
get_page (SoupSession *session,
          const char  *uri)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    ows_bench_fail ("GET %s: %s", uri, error->message);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    ows_bench_fail ("GET %s: HTTP %u", uri, soup_message_get_status (msg));
  return g_steal_pointer (&body);
}

/* A page is the setup page when it lists what the scan found. */
static void
check_networks (GBytes     *body,
                const char *uri)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  for (guint i = 0; i < N_ACCESS_POINTS; i++)
    {
      g_autofree char *ssid = g_strdup_printf ("Neighbour %02u", i);

      if (strstr (text, ssid) == NULL)
        ows_bench_fail ("GET %s: no \"%s\" on the page", uri, ssid);
    }
}

static Page
measure_page (guint page_port)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/", page_port);
  Page page = { 0 };

  for (guint i = 0; i < PAGE_WARMUP; i++)
    {
      g_autoptr(GBytes) body = get_page (session, uri);

      check_networks (body, uri);
      page.bytes = g_bytes_get_size (body);
    }
  for (guint i = 0; i < PAGE_GETS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) body = get_page (session, uri);

      page.ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      /* a fresh form token each time, of a fixed length */
      if (g_bytes_get_size (body) != page.bytes)
        ows_bench_fail ("GET %s: %zu bytes, then %zu", uri, page.bytes, g_bytes_get_size (body));
    }
  return page;
}

/* A fresh mock and manager, one activation; the last one's page is measured
 * too. The manager's SIGTERM takes the client and its hotspot down; the
 * hotspot program must be gone before the next run. */
static Activation
activation_run (gboolean  with_page,
                Page     *page,
                Memory   *hotspot_memory)
{
  guint page_port = ows_test_free_port ();
  g_autofree char *hotspot = NULL;
  Activation activation;
  Manager *manager;

  start_network_manager ();
  write_config (TRUE, page_port);
  manager = spawn_manager ();
  wait_registered (manager);
  sleep_ms (SETTLE_MS / 4);  /* its start-up over */
  activation = activate (manager);
  hotspot = hotspot_pid (manager);
  if (with_page)
    {
      *page = measure_page (page_port);
      *hotspot_memory = read_memory (hotspot);
    }
  stop_manager (manager);
  if (!run_until (process_gone, hotspot, HOTSPOT_EXIT_DEADLINE_MS))
    ows_bench_fail ("the hotspot program (pid %s) still running %d ms after the manager's end",
                    hotspot, HOTSPOT_EXIT_DEADLINE_MS);
  return activation;
}

/* ---- figures ---- */

static Memory
median_memory (const Memory *memory,
               guint         n)
{
  double rss[MEMORY_RUNS], anon[MEMORY_RUNS], file[MEMORY_RUNS], pss[MEMORY_RUNS];

  for (guint i = 0; i < n; i++)
    {
      rss[i] = memory[i].rss;
      anon[i] = memory[i].anon;
      file[i] = memory[i].file;
      pss[i] = memory[i].pss;
    }
  return (Memory) { ows_bench_spread (rss, n).median, ows_bench_spread (anon, n).median, ows_bench_spread (file, n).median,
                    ows_bench_spread (pss, n).median };
}

static void
print_spread (const char   *figure,
              const OwsBenchSpread *s,
              guint         n)
{
  g_print ("  %-50s %7.1f ms median of %u (min %.1f, max %.1f)\n", figure, s->median, n,
           s->min, s->max);
}

static void
print_memory (const char   *figure,
              const Memory *m)
{
  g_print ("  %-50s VmRSS %.2f MiB (RssAnon %.2f, RssFile %.2f), PSS %.2f MiB\n", figure,
           m->rss, m->anon, m->file, m->pss);
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
  g_print ("  %-52s | %-18s | %s\n", figure, measured, goal);
}

int
main (int   argc,
      char *argv[])
{
  Memory memory_on[MEMORY_RUNS], memory_off[MEMORY_RUNS], on, off, hotspot_memory = { 0 };
  double to_scan[ACTIVATIONS], scan_to_add[ACTIVATIONS], to_add[ACTIVATIONS], to_up[ACTIVATIONS];
  double rss_pairs[MEMORY_RUNS];
  OwsBenchSpread scan, add_after_scan, add, up, gets, pairs;
  Page page = { 0 };

  if (argc != 2)
    {
      g_printerr ("usage: bench-phone PATH-TO-ovos-wifi-setup\n");
      return 2;
    }
  program = argv[1];
  if (!ows_test_nm_available ())
    {
      g_print ("bench-phone: skipped: no mock NetworkManager "
               "(dbus-daemon and Debian's python3-dbusmock are needed)\n");
      return 77;
    }
  ows_bench_init ("bench-phone");
  /* the private system bus: in our environment from here on, so in the children's */
  ows_test_nm_ensure_bus ();
  start_network_manager ();
  probe = ows_test_probe_new ();

  /* 1. idle, alternating: turned off, then registered */
  for (guint i = 0; i < MEMORY_RUNS; i++)
    {
      memory_off[i] = idle_memory (FALSE);
      memory_on[i] = idle_memory (TRUE);
      rss_pairs[i] = memory_on[i].rss - memory_off[i].rss;
    }

  /* 2. and 3.: the last activation's hotspot serves the page we measure */
  for (guint i = 0; i < ACTIVATIONS; i++)
    {
      Activation a = activation_run (i + 1 == ACTIVATIONS, &page, &hotspot_memory);

      to_scan[i] = a.to_scan;
      scan_to_add[i] = a.scan_to_add;
      to_add[i] = a.to_add;
      to_up[i] = a.to_up;
    }

  on = median_memory (memory_on, MEMORY_RUNS);
  off = median_memory (memory_off, MEMORY_RUNS);
  pairs = ows_bench_spread (rss_pairs, MEMORY_RUNS);
  scan = ows_bench_spread (to_scan, ACTIVATIONS);
  add_after_scan = ows_bench_spread (scan_to_add, ACTIVATIONS);
  add = ows_bench_spread (to_add, ACTIVATIONS);
  up = ows_bench_spread (to_up, ACTIVATIONS);
  gets = ows_bench_spread (page.ms, PAGE_GETS);

  g_print ("ovos-wifi-setup --headless --embedded-bus, %ld cores, nothing pinned; check server "
           "and peer in this process;\n"
           "  mock NetworkManager (python3-dbusmock): 1 Wi-Fi device that can be an access point, "
           "%d access points, IP4Config 127.0.0.1/8;\n"
           "  %d fresh managers with the phone client and %d with phone_setup false, alternating; "
           "%d activations, each a fresh mock and manager; the mock's calls read every %d ms\n",
           sysconf (_SC_NPROCESSORS_ONLN), N_ACCESS_POINTS, MEMORY_RUNS, MEMORY_RUNS, ACTIVATIONS,
           POLL_MS);
  print_memory ("idle, phone client registered (medians)", &on);
  print_memory ("idle, phone_setup false (medians)", &off);
  g_print ("  %-50s VmRSS %+.2f MiB, RssAnon %+.2f, RssFile %+.2f, PSS %+.2f MiB;\n"
           "  %-50s run by run, VmRSS %+.2f to %+.2f MiB\n", "  the client's share",
           on.rss - off.rss, on.anon - off.anon, on.file - off.file, on.pss - off.pss, "",
           pairs.min, pairs.max);
  print_spread ("set.active.client -> RequestScan", &scan, ACTIVATIONS);
  print_spread ("LastScan bumped -> AddAndActivateConnection", &add_after_scan, ACTIVATIONS);
  print_spread ("set.active.client -> AddAndActivateConnection", &add, ACTIVATIONS);
  print_spread ("set.active.client -> speak (the hotspot up)", &up, ACTIVATIONS);
  g_print ("  %-50s %zu bytes, %d networks; %.2f ms median of %d after %d warm-up "
           "(min %.2f, max %.2f)\n", "GET / of the page on 127.0.0.1", page.bytes, N_ACCESS_POINTS, gets.median, PAGE_GETS, PAGE_WARMUP,
           gets.min, gets.max);
  print_memory ("the hotspot program, page served (for scale)", &hotspot_memory);

  g_print ("\n");
  g_print ("  %-52s | %-18s | %s\n", "figure", "measured", "goal");
  print_row ("VmRSS, idle, phone client registered", "", "%.2f MiB", on.rss);
  print_row ("VmRSS, idle, phone_setup false", "", "%.2f MiB", off.rss);
  print_row ("  VmRSS the idle client adds", "<= 1 MiB", "%+.2f MiB", on.rss - off.rss);
  print_row ("  PSS the idle client adds", "(for scale)", "%+.2f MiB", on.pss - off.pss);
  print_row ("activation -> AddAndActivateConnection (median)", "", "%.1f ms", add.median);
  print_row ("  of which activation -> RequestScan", "", "%.1f ms", scan.median);
  print_row ("  of which LastScan bumped -> AddAndActivate", "", "%.1f ms", add_after_scan.median);
  print_row ("GET / on loopback (median of 50)", "", "%.2f ms", gets.median);
  print_row ("  page size", "", "%zu bytes", page.bytes);

  ows_test_probe_free (probe);
  ows_test_nm_free (nm);
  g_free (device);
  return 0;
}
