/* test-connectivity.c: the watchdog, against a local probe endpoint and a network the test flips.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Two halves: OwsConnectivity alone (what each answer of the network means,
 * which timers run), then the manager acting on its verdicts over a real bus
 * (PROTOCOL.md section 4). Timing knobs come from config, in fractions of a
 * second, so that the grace period and the re-checks take milliseconds.
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "config.h"
#include "ows-connectivity-private.h"
#include "ows-test-bus.h"

#define P OWS_PREFIX

static JsonNode *
seconds (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
boolean (gboolean value)
{
  return json_node_init_boolean (json_node_alloc (), value);
}

static void
set_plugin (OwsConfig  *config,
            const char *key,
            JsonNode   *value)
{
  ows_config_override (config, OWS_CONFIG_PLUGIN_SECTION, key, value);
  json_node_unref (value);
}

static void
set_network_test (OwsConfig  *config,
                  const char *key,
                  const char *url)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), url);

  ows_config_override (config, "network_tests", key, node);
}

/* A port where nothing listens. */
static char *
closed_url (void)
{
  return g_strdup_printf ("http://127.0.0.1:%u/check", ows_test_free_port ());
}

/* ---- OwsConnectivity alone ---- */

typedef struct {
  OwsConfig *config;
  GNetworkMonitor *monitor;
  OwsTestProbe *probe;
  OwsConnectivity *connectivity;
  GArray *verdicts;           /* OwsConnectivityState, one per "checked" */
} Sensor;

static void
checked_cb (OwsConnectivity      *connectivity,
            OwsConnectivityState  state,
            OwsConnectivityState  before,
            Sensor               *s)
{
  g_array_append_val (s->verdicts, state);
}

static void
sensor_setup (Sensor        *s,
              gconstpointer  data)
{
  g_autofree char *user_file = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft",
                                                 "mycroft.conf", NULL);

  g_unlink (user_file);
  s->config = ows_config_new ();
  ows_config_load (s->config);
  s->monitor = ows_test_network_monitor_new (TRUE, G_NETWORK_CONNECTIVITY_FULL);
  s->probe = ows_test_probe_new ();
  ows_test_probe_configure (s->probe, s->config);
  set_plugin (s->config, "first_boot", boolean (FALSE));
  set_plugin (s->config, "grace_period", seconds (3600));
  set_plugin (s->config, "time_between_checks", seconds (3600));
  s->connectivity = ows_connectivity_new (s->config, s->monitor);
  ows_connectivity_set_probe_timeout (s->connectivity, ows_test_scaled_ms (200));
  s->verdicts = g_array_new (FALSE, FALSE, sizeof (OwsConnectivityState));
  g_signal_connect (s->connectivity, "checked", G_CALLBACK (checked_cb), s);
}

static void
sensor_teardown (Sensor        *s,
                 gconstpointer  data)
{
  g_assert_finalize_object (s->connectivity);
  g_clear_pointer (&s->probe, ows_test_probe_free);
  g_clear_object (&s->monitor);
  g_clear_object (&s->config);
  g_array_unref (s->verdicts);
}

static gboolean
has_verdicts (gpointer data)
{
  Sensor *s = data;

  return s->verdicts->len > 0;
}

/* Asks once and returns the verdict. */
static OwsConnectivityState
check (Sensor *s)
{
  g_array_set_size (s->verdicts, 0);
  ows_connectivity_check (s->connectivity);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpuint (s->verdicts->len, ==, 1);
  return g_array_index (s->verdicts, OwsConnectivityState, 0);
}

static void
test_probe_online (Sensor        *s,
                   gconstpointer  data)
{
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpint (ows_connectivity_get_state (s->connectivity), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_null (ows_connectivity_get_portal_uri (s->connectivity));
  /* the check URL answered: no fallback was asked */
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/check"), ==, 1);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 1);
  g_assert_cmpuint (ows_connectivity_get_probe_count (s->connectivity), ==, 1);
}

static void
test_probe_wrong_text (Sensor        *s,
                       gconstpointer  data)
{
  g_autofree char *check_url = ows_test_probe_dup_url (s->probe, "/check");

  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_WRONG_TEXT);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_PORTAL);
  /* the portal intercepted the check: opening that address shows its page */
  g_assert_cmpstr (ows_connectivity_get_portal_uri (s->connectivity), ==, check_url);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 1);
}

static void
test_probe_redirect (Sensor        *s,
                     gconstpointer  data)
{
  g_autofree char *login = ows_test_probe_dup_url (s->probe, "/portal/login?from=check");

  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_REDIRECT);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_PORTAL);
  g_assert_cmpstr (ows_connectivity_get_portal_uri (s->connectivity), ==, login);
  /* the redirect was not followed */
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/portal/login"), ==, 0);

  /* signing in: online again, and the address is gone */
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_ONLINE);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_null (ows_connectivity_get_portal_uri (s->connectivity));
}

static void
redirect_elsewhere_cb (SoupServer        *server,
                       SoupServerMessage *message,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  soup_server_message_set_redirect (message, SOUP_STATUS_FOUND, user_data);
}

/* A network can name any scheme; only a web address may reach a browser. */
static void
test_probe_redirect_not_web (Sensor        *s,
                             gconstpointer  data)
{
  const char *targets[] = { "file:///etc/passwd", "javascript:alert(1)", "ssh://portal/" };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoslist(GUri) uris = NULL;
      g_autofree char *url = NULL;

      soup_server_add_handler (server, NULL, redirect_elsewhere_cb, (gpointer) targets[i], NULL);
      g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
      uris = soup_server_get_uris (server);
      url = g_strdup_printf ("http://127.0.0.1:%d/check", g_uri_get_port (uris->data));
      set_network_test (s->config, "captive_portal_url", url);

      g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_PORTAL);
      g_assert_cmpstr (ows_connectivity_get_portal_uri (s->connectivity), ==, url);
    }
}

/* Beyond the timeout on every address: nothing answered, but the network
 * is up: a network without internet. */
static void
test_probe_slow (Sensor        *s,
                 gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_SLOW);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_NETWORK);
  /* the check, then both fallbacks, each given up after 200 ms */
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * ows_test_scaled_ms (200) * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, OWS_TEST_TIMEOUT_MS * 1000);
}

static void
test_probe_closed (Sensor        *s,
                   gconstpointer  data)
{
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_CLOSED);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_NETWORK);
  g_assert_cmpuint (ows_connectivity_get_probe_count (s->connectivity), ==, 3);

  /* NetworkManager's own verdict settles what our probe could not */
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (s->monitor), TRUE,
                                G_NETWORK_CONNECTIVITY_PORTAL);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_PORTAL);
  g_assert_nonnull (ows_connectivity_get_portal_uri (s->connectivity));
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (s->monitor), TRUE,
                                G_NETWORK_CONNECTIVITY_LIMITED);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_NETWORK);
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (s->monitor), TRUE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_OFFLINE);

  /* the endpoint is back */
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_ONLINE);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
}

/* No network at all: offline, without asking anyone. */
static void
test_probe_no_network (Sensor        *s,
                       gconstpointer  data)
{
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (s->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_OFFLINE);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 0);
  g_assert_cmpuint (ows_connectivity_get_probe_count (s->connectivity), ==, 0);
}

/* No address to ask: the network's verdict, never inside the call that asked
 * (a manager asking from a handler would be re-entered). */
static void
test_probe_nothing_to_ask (Sensor        *s,
                           gconstpointer  data)
{
  set_network_test (s->config, "captive_portal_url", "");
  set_network_test (s->config, "web_url", "not a url");
  set_network_test (s->config, "web_url_secondary", "");

  g_array_set_size (s->verdicts, 0);
  ows_connectivity_check (s->connectivity);
  g_assert_cmpuint (s->verdicts->len, ==, 0);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (g_array_index (s->verdicts, OwsConnectivityState, 0), ==,
                   OWS_CONNECTIVITY_NETWORK);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 0);
}

/* A watchdog made after the environment changed: it reads proxies once. */
static void
renew (Sensor *s)
{
  g_assert_finalize_object (s->connectivity);
  s->connectivity = ows_connectivity_new (s->config, s->monitor);
  ows_connectivity_set_probe_timeout (s->connectivity, ows_test_scaled_ms (200));
  g_signal_connect (s->connectivity, "checked", G_CALLBACK (checked_cb), s);
}

/* The proxy that http_proxy names carries the probe, to hosts this machine
 * could not reach itself; no_proxy sends it direct. */
static void
test_probe_proxy (Sensor        *s,
                  gconstpointer  data)
{
  g_autofree char *proxy = g_strdup_printf ("http://127.0.0.1:%u",
                                            ows_test_probe_get_port (s->probe));
  g_autofree char *saved_no_proxy = g_strdup (g_getenv ("no_proxy"));

  set_network_test (s->config, "captive_portal_url", "http://check.invalid/check");
  set_network_test (s->config, "web_url", "");
  set_network_test (s->config, "web_url_secondary", "");

  g_setenv ("http_proxy", proxy, TRUE);
  g_setenv ("no_proxy", "localhost, 127.0.0.1", TRUE);
  renew (s);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/check"), ==, 1);

  /* Listed in no_proxy, as a domain: direct, and .invalid resolves nowhere. */
  g_setenv ("no_proxy", "localhost,.invalid", TRUE);
  renew (s);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_NETWORK);
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/check"), ==, 1);

  /* HTTP_PROXY in capitals may come from a request header (httpoxy): not read. */
  g_unsetenv ("http_proxy");
  g_setenv ("HTTP_PROXY", proxy, TRUE);
  g_setenv ("no_proxy", saved_no_proxy, TRUE);
  renew (s);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_NETWORK);
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/check"), ==, 1);
  g_unsetenv ("HTTP_PROXY");
}

/* web_url and web_url_secondary stand in when the check cannot be had. */
static void
test_probe_fallbacks (Sensor        *s,
                      gconstpointer  data)
{
  g_autofree char *closed = closed_url ();

  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_SERVER_ERROR);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/web"), ==, 1);

  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_ONLINE);
  set_network_test (s->config, "captive_portal_url", closed);
  set_network_test (s->config, "web_url", closed);
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/web2"), ==, 1);

  /* an address that is no address is skipped, not fatal */
  set_network_test (s->config, "captive_portal_url", "not a url");
  set_network_test (s->config, "web_url", "");
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (ows_test_probe_get_path_requests (s->probe, "/web2"), ==, 2);
}

static void
test_probe_one_in_flight (Sensor        *s,
                          gconstpointer  data)
{
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_SLOW);
  ows_connectivity_set_probe_timeout (s->connectivity, 2000);
  for (guint i = 0; i < 5; i++)
    ows_connectivity_check (s->connectivity);
  ows_test_sleep (200);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 1);

  /* the answer to the first may predate the later questions: one more
   * probe follows it, and one verdict answers them all */
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_ONLINE);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  ows_test_sleep (100);
  g_assert_cmpuint (s->verdicts->len, ==, 1);
  g_assert_cmpint (g_array_index (s->verdicts, OwsConnectivityState, 0), ==,
                   OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 2);
}

/* Freed with a probe in flight: nothing is left to call back into it. */
static void
test_probe_abandoned (Sensor        *s,
                      gconstpointer  data)
{
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_SLOW);
  ows_connectivity_check (s->connectivity);
  ows_test_sleep (50);
  g_clear_object (&s->connectivity);
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_ONLINE);
  ows_test_sleep (100);
  g_assert_cmpuint (s->verdicts->len, ==, 0);
  s->connectivity = ows_connectivity_new (s->config, s->monitor);
}

static void
test_config_invalid (Sensor        *s,
                     gconstpointer  data)
{
  set_plugin (s->config, "time_between_checks", seconds (-5));
  set_plugin (s->config, "grace_period", seconds (0));
  g_test_expect_message ("ows-connectivity", G_LOG_LEVEL_WARNING,
                         "*time_between_checks must be a positive number of seconds; using 30*");
  ows_connectivity_start (s->connectivity);
  g_test_assert_expected_messages ();
  /* grace_period 0: no grace; the probe runs and is told at once */
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  ows_connectivity_stop (s->connectivity);
}

/* Timers */

static guint
count_verdicts (Sensor               *s,
                OwsConnectivityState  state)
{
  guint n = 0;

  for (guint i = 0; i < s->verdicts->len; i++)
    n += g_array_index (s->verdicts, OwsConnectivityState, i) == state;
  return n;
}

static void
test_timer_offline_rechecks (Sensor        *s,
                             gconstpointer  data)
{
  set_plugin (s->config, "grace_period", seconds (0));
  set_plugin (s->config, "time_between_checks", seconds (0.05));
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_WRONG_TEXT);
  ows_connectivity_start (s->connectivity);
  ows_test_sleep (600);
  /* one at start, then one per 50 ms (give or take a loaded machine) */
  g_assert_cmpuint (count_verdicts (s, OWS_CONNECTIVITY_PORTAL), >=, 4);

  /* the user signed in: the next re-check sees it, and the re-checks stop */
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_ONLINE);
  ows_test_sleep (300);
  g_assert_cmpint (ows_connectivity_get_state (s->connectivity), ==, OWS_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (count_verdicts (s, OWS_CONNECTIVITY_ONLINE), ==, 1);
  ows_connectivity_stop (s->connectivity);
}

/* Online and nothing changes: no probe, however short time_between_checks. */
static void
test_timer_online_quiet (Sensor        *s,
                         gconstpointer  data)
{
  guint requests;

  set_plugin (s->config, "grace_period", seconds (0));
  set_plugin (s->config, "time_between_checks", seconds (0.02));
  ows_connectivity_start (s->connectivity);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  requests = ows_test_probe_get_requests (s->probe);
  g_assert_cmpuint (requests, ==, 1);
  ows_test_sleep (1000);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, requests);
  g_assert_cmpuint (s->verdicts->len, ==, 1);
  ows_connectivity_stop (s->connectivity);
}

static void
test_timer_network_changes (Sensor        *s,
                            gconstpointer  data)
{
  OwsTestNetworkMonitor *monitor = OWS_TEST_NETWORK_MONITOR (s->monitor);

  set_plugin (s->config, "grace_period", seconds (0));
  set_plugin (s->config, "time_between_checks", seconds (0.05));
  ows_connectivity_start (s->connectivity);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));

  /* a burst of changes is one probe, once it has settled */
  for (guint i = 0; i < 5; i++)
    ows_test_network_monitor_set (monitor, TRUE, G_NETWORK_CONNECTIVITY_FULL);
  ows_test_sleep (300);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 2);
  g_assert_cmpuint (s->verdicts->len, ==, 2);

  /* the network goes: offline, without a request */
  ows_test_network_monitor_set (monitor, FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  ows_test_sleep (300);
  g_assert_cmpint (ows_connectivity_get_state (s->connectivity), ==, OWS_CONNECTIVITY_OFFLINE);
  g_assert_cmpuint (ows_test_probe_get_requests (s->probe), ==, 2);

  /* and comes back */
  ows_test_network_monitor_set (monitor, TRUE, G_NETWORK_CONNECTIVITY_FULL);
  ows_test_sleep (300);
  g_assert_cmpint (ows_connectivity_get_state (s->connectivity), ==, OWS_CONNECTIVITY_ONLINE);

  /* stopped: changes are not our business any more */
  ows_connectivity_stop (s->connectivity);
  g_array_set_size (s->verdicts, 0);
  ows_test_network_monitor_set (monitor, FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  ows_test_sleep (300);
  g_assert_cmpuint (s->verdicts->len, ==, 0);
}

/* A network that is up at start gets the grace period; online ends it early. */
static void
test_timer_grace (Sensor        *s,
                  gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  set_plugin (s->config, "grace_period", seconds (0.4));
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_WRONG_TEXT);
  ows_connectivity_start (s->connectivity);
  ows_test_sleep (200);
  g_assert_cmpuint (s->verdicts->len, ==, 0);
  g_assert_cmpint (ows_connectivity_get_state (s->connectivity), ==, OWS_CONNECTIVITY_UNKNOWN);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
  g_assert_cmpint (count_verdicts (s, OWS_CONNECTIVITY_PORTAL), ==, 1);
  ows_connectivity_stop (s->connectivity);
}

static void
test_timer_grace_online (Sensor        *s,
                         gconstpointer  data)
{
  set_plugin (s->config, "grace_period", seconds (60));
  ows_connectivity_start (s->connectivity);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (count_verdicts (s, OWS_CONNECTIVITY_ONLINE), ==, 1);
  ows_connectivity_stop (s->connectivity);
}

/* No network at start (and no first boot): no grace, offline at once. */
static void
test_timer_grace_no_network (Sensor        *s,
                             gconstpointer  data)
{
  set_plugin (s->config, "grace_period", seconds (60));
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (s->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  ows_connectivity_start (s->connectivity);
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (count_verdicts (s, OWS_CONNECTIVITY_OFFLINE), ==, 1);
  ows_connectivity_stop (s->connectivity);
}

/* A first boot waits whatever the network: it may still be coming up. */
static void
test_timer_grace_first_boot (Sensor        *s,
                             gconstpointer  data)
{
  set_plugin (s->config, "grace_period", seconds (0.3));
  set_plugin (s->config, "first_boot", boolean (TRUE));
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (s->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  ows_connectivity_start (s->connectivity);
  ows_test_sleep (150);
  g_assert_cmpuint (s->verdicts->len, ==, 0);
  /* asked for: told, grace or not */
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_OFFLINE);
  ows_test_sleep (300);
  g_assert_cmpuint (count_verdicts (s, OWS_CONNECTIVITY_OFFLINE), ==, 2);
  ows_connectivity_stop (s->connectivity);
}

static void
test_timer_stop (Sensor        *s,
                 gconstpointer  data)
{
  set_plugin (s->config, "grace_period", seconds (0));
  set_plugin (s->config, "time_between_checks", seconds (0.05));
  ows_test_probe_set_mode (s->probe, OWS_TEST_PROBE_CLOSED);
  ows_connectivity_start (s->connectivity);
  g_assert_true (ows_connectivity_is_running (s->connectivity));
  g_assert_true (ows_test_wait_until (has_verdicts, s, OWS_TEST_TIMEOUT_MS));
  ows_connectivity_stop (s->connectivity);
  g_assert_false (ows_connectivity_is_running (s->connectivity));
  g_array_set_size (s->verdicts, 0);
  ows_test_sleep (300);
  g_assert_cmpuint (s->verdicts->len, ==, 0);
  /* asking still works */
  g_assert_cmpint (check (s), ==, OWS_CONNECTIVITY_NETWORK);
}

/* ---- The manager acting on the verdicts (PROTOCOL.md section 4) ---- */

typedef OwsTestBus Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  ows_test_bus_init (f, TRUE);
  set_plugin (f->config, "grace_period", seconds (0));
  set_plugin (f->config, "time_between_checks", seconds (0.05));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ows_test_bus_teardown (f);
}

static char *
register_client (Fixture    *f,
                 const char *name)
{
  g_autofree char *data = g_strdup_printf ("{\"client\": \"%s\", \"type\": \"onDevice\", "
                                           "\"display_text\": \"%s\", \"has_gui\": false, "
                                           "\"requires_input\": false}", name, name);
  g_autoptr(OwsMessage) reply = NULL;

  ows_test_peer_send (f->peer, P "register.client", data);
  reply = ows_test_peer_expect (f->peer, P "client.registered");
  return g_strdup (json_object_get_string_member (ows_message_get_data (reply), "id"));
}

static gboolean
connectivity_is (gpointer data)
{
  gpointer *pair = data;

  return (int) ows_connectivity_get_state (pair[0]) == GPOINTER_TO_INT (pair[1]);
}

static void
wait_connectivity (Fixture              *f,
                   OwsConnectivityState  state)
{
  gpointer pair[] = { f->connectivity, GINT_TO_POINTER (state) };

  g_assert_true (ows_test_wait_until (connectivity_is, pair, OWS_TEST_TIMEOUT_MS));
}

/* Offline: said, and setup launched once; a client taking it stops the
 * launches, however often the watchdog looks again. */
static void
test_watchdog_offline_launches_once (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *activate = NULL;
  g_autoptr(OwsMessage) notify = NULL;

  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (f->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  ows_test_bus_start (f);
  notify = ows_test_peer_expect (f->peer, "enclosure.notify.no_internet");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (notify), "source"), ==,
                   OWS_BUS_NAME);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  g_assert_true (ows_manager_get_in_setup (f->manager));

  /* headless: the client that needs no input takes it */
  id = register_client (f, "hotspot");
  activate = g_strconcat (P "activate.", id, NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_sleep (500);  /* ten re-checks */
  ows_test_peer_assert_count (f->peer, P "setup.launched", 1);
  ows_test_peer_assert_count (f->peer, "enclosure.notify.no_internet", 1);
  g_assert_cmpuint (ows_connectivity_get_probe_count (f->connectivity), ==, 0);

  /* the client gives up, still offline: the watchdog launches again */
  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 2);
  ows_test_peer_assert_count (f->peer, "enclosure.notify.no_internet", 2);
}

/* The selection showing (with a screen) holds the launches as well. */
static void
test_watchdog_offline_selection_showing (Fixture       *f,
                                         gconstpointer  data)
{
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (f->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  ows_test_bus_start (f);
  ows_manager_set_has_screen (f->manager, TRUE);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_sleep (400);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 1);
  g_assert_true (ows_manager_get_in_setup (f->manager));
}

static void
test_watchdog_portal (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *login = ows_test_probe_dup_url (f->probe, "/portal/login?from=check");
  g_autoptr(JsonObject) state = NULL;

  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_REDIRECT);
  ows_test_bus_start (f);
  ows_message_unref (ows_test_peer_expect (f->peer, "enclosure.notify.no_internet"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  g_assert_cmpint (ows_connectivity_get_state (f->connectivity), ==, OWS_CONNECTIVITY_PORTAL);
  g_assert_cmpstr (ows_connectivity_get_portal_uri (f->connectivity), ==, login);
  state = ows_test_peer_status (f->peer);
  g_assert_cmpstr (json_object_get_string_member (state, "connectivity"), ==, "portal");
  g_assert_true (json_object_get_boolean_member (state, "watchdog_active"));
}

/* LAN up, upstream down: said once, no setup (another network rarely helps). */
static void
test_watchdog_network_only (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) state = NULL;

  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_CLOSED);
  ows_test_bus_start (f);
  ows_message_unref (ows_test_peer_expect (f->peer, "enclosure.notify.no_internet"));
  ows_test_sleep (400);
  ows_test_peer_assert_count (f->peer, "enclosure.notify.no_internet", 1);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 0);
  state = ows_test_peer_status (f->peer);
  g_assert_cmpstr (json_object_get_string_member (state, "connectivity"), ==, "network");
}

/* ... but a device that was never online is set up all the same. */
static void
test_watchdog_network_first_boot (Fixture       *f,
                                  gconstpointer  data)
{
  ows_test_bus_set_first_boot (f, TRUE);
  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_CLOSED);
  ows_test_bus_start (f);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
}

/* Offline, then online: the completion messages, once; the selection
 * closes; first_boot is persisted false. */
static void
test_watchdog_online_completes_once (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(OwsMessage) patch = NULL;

  ows_test_bus_set_first_boot (f, TRUE);
  set_plugin (f->config, "grace_period", seconds (0.1));
  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_WRONG_TEXT);
  ows_test_bus_start (f);
  ows_manager_set_has_screen (f->manager, TRUE);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  g_assert_true (ows_manager_get_in_setup (f->manager));

  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_ONLINE);
  ows_message_unref (ows_test_peer_expect (f->peer, "ovos.wifi.setup.completed"));
  ows_message_unref (ows_test_peer_expect (f->peer, "ovos.shell.status.ok"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "stop.setup.event"));
  patch = ows_test_peer_expect (f->peer, "configuration.patch");
  g_assert_false (ows_manager_get_in_setup (f->manager));
  g_assert_false (ows_config_get_boolean (f->config, OWS_CONFIG_PLUGIN_SECTION, "first_boot", TRUE));

  ows_test_sleep (300);
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 1);
  ows_test_peer_assert_count (f->peer, "ovos.shell.status.ok", 1);
  ows_test_peer_assert_count (f->peer, P "stop.setup.event", 1);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 1);
}

/* Online and quiet: not one probe over the test's window. */
static void
test_watchdog_online_quiet (Fixture       *f,
                            gconstpointer  data)
{
  guint requests;

  ows_test_bus_start (f);
  wait_connectivity (f, OWS_CONNECTIVITY_ONLINE);
  requests = ows_test_probe_get_requests (f->probe);
  g_assert_cmpuint (requests, ==, 1);
  ows_test_sleep (1000);  /* twenty times time_between_checks */
  g_assert_cmpuint (ows_test_probe_get_requests (f->probe), ==, requests);
  /* online at start on a device set up earlier: nothing to complete */
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 0);
  ows_test_peer_assert_count (f->peer, "enclosure.notify.no_internet", 0);
}

/* "Connect later": the watchdog sleeps until the user asks again. */
static void
test_watchdog_skip (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) state = NULL;
  guint requests;

  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (f->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  ows_test_bus_start (f);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_send (f->peer, P "skip.setup", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "fully_offline"));
  state = ows_test_peer_status (f->peer);
  g_assert_false (json_object_get_boolean_member (state, "watchdog_active"));

  /* the network comes and goes: nothing is probed, nothing launched */
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (f->monitor), TRUE,
                                G_NETWORK_CONNECTIVITY_FULL);
  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_WRONG_TEXT);
  requests = ows_test_probe_get_requests (f->probe);
  ows_test_sleep (500);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 1);
  g_assert_cmpuint (ows_test_probe_get_requests (f->probe), ==, requests);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 2);
  g_clear_pointer (&state, json_object_unref);
  state = ows_test_peer_status (f->peer);
  g_assert_true (json_object_get_boolean_member (state, "watchdog_active"));
  /* the restarted watchdog looked: a portal now */
  wait_connectivity (f, OWS_CONNECTIVITY_PORTAL);
}

/* remove.active.client asks at once, even with the watchdog off. */
static void
test_watchdog_remove_probes_now (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  guint requests;

  ows_test_bus_start (f);
  wait_connectivity (f, OWS_CONNECTIVITY_ONLINE);
  ows_test_peer_send (f->peer, P "skip.setup", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "fully_offline"));
  id = register_client (f, "phone");
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"phone\"}");
  ows_test_sleep (100);
  requests = ows_test_probe_get_requests (f->probe);
  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_test_sleep (300);
  g_assert_cmpuint (ows_test_probe_get_requests (f->probe), ==, requests + 1);
}

/* The client connected the device and removed itself: "completed" follows
 * from the check it caused, though the device was online all along. */
static void
test_watchdog_client_done (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *activate = NULL;

  ows_test_bus_start (f);
  wait_connectivity (f, OWS_CONNECTIVITY_ONLINE);
  id = register_client (f, "hotspot");
  activate = g_strconcat (P "activate.", id, NULL);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  /* the user asked on a connected device: the watchdog does not end it */
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 0);

  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, "ovos.wifi.setup.completed"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "stop.setup.event"));
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 1);
}

/* A peer says the internet is up: believed, and checked. */
static void
test_watchdog_internet_connected_probes (Fixture       *f,
                                         gconstpointer  data)
{
  guint requests;

  ows_test_bus_start (f);
  wait_connectivity (f, OWS_CONNECTIVITY_ONLINE);
  requests = ows_test_probe_get_requests (f->probe);
  ows_test_peer_send (f->peer, "mycroft.internet.connected", NULL);
  ows_test_sleep (300);
  g_assert_cmpuint (ows_test_probe_get_requests (f->probe), ==, requests + 1);
}

/* First boot, no internet: setup after the grace period, not before. */
static void
test_watchdog_first_boot (Fixture       *f,
                          gconstpointer  data)
{
  gint64 start;

  ows_test_bus_set_first_boot (f, TRUE);
  set_plugin (f->config, "grace_period", seconds (0.5));
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (f->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  start = g_get_monotonic_time ();
  ows_test_bus_start (f);
  ows_manager_set_has_screen (f->manager, TRUE);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * 1000);
  g_assert_true (ows_manager_get_in_setup (f->manager));
}

/* A first boot that is online from the start is done: said, and persisted. */
static void
test_watchdog_first_boot_online (Fixture       *f,
                                 gconstpointer  data)
{
  ows_test_bus_set_first_boot (f, TRUE);
  ows_test_bus_start (f);
  ows_message_unref (ows_test_peer_expect (f->peer, "ovos.wifi.setup.completed"));
  ows_message_unref (ows_test_peer_expect (f->peer, "configuration.patch"));
  g_assert_false (ows_config_get_boolean (f->config, OWS_CONFIG_PLUGIN_SECTION, "first_boot", TRUE));
  ows_test_peer_assert_count (f->peer, P "setup.launched", 0);
}

/* "Never connect", persisted: the next start has no watchdog at all. */
static void
test_watchdog_disabled (Fixture       *f,
                        gconstpointer  data)
{
  set_plugin (f->config, "enable_watchdog", boolean (FALSE));
  ows_test_network_monitor_set (OWS_TEST_NETWORK_MONITOR (f->monitor), FALSE,
                                G_NETWORK_CONNECTIVITY_LOCAL);
  ows_test_bus_start (f);
  g_assert_false (ows_connectivity_is_running (f->connectivity));
  ows_test_sleep (300);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 0);
  ows_test_peer_assert_count (f->peer, "enclosure.notify.no_internet", 0);
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

#define SENSOR(path, func) \
  g_test_add ("/ows/connectivity/" path, Sensor, NULL, sensor_setup, func, sensor_teardown)
#define WATCHDOG(path, func) \
  g_test_add ("/ows/connectivity/watchdog/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  SENSOR ("probe/online", test_probe_online);
  SENSOR ("probe/wrong-text", test_probe_wrong_text);
  SENSOR ("probe/redirect", test_probe_redirect);
  SENSOR ("probe/redirect-not-web", test_probe_redirect_not_web);
  SENSOR ("probe/slow", test_probe_slow);
  SENSOR ("probe/closed", test_probe_closed);
  SENSOR ("probe/no-network", test_probe_no_network);
  SENSOR ("probe/fallbacks", test_probe_fallbacks);
  SENSOR ("probe/proxy", test_probe_proxy);
  SENSOR ("probe/nothing-to-ask", test_probe_nothing_to_ask);
  SENSOR ("probe/one-in-flight", test_probe_one_in_flight);
  SENSOR ("probe/abandoned", test_probe_abandoned);
  SENSOR ("config/invalid", test_config_invalid);
  SENSOR ("timer/offline-rechecks", test_timer_offline_rechecks);
  SENSOR ("timer/online-quiet", test_timer_online_quiet);
  SENSOR ("timer/network-changes", test_timer_network_changes);
  SENSOR ("timer/grace", test_timer_grace);
  SENSOR ("timer/grace-online", test_timer_grace_online);
  SENSOR ("timer/grace-no-network", test_timer_grace_no_network);
  SENSOR ("timer/grace-first-boot", test_timer_grace_first_boot);
  SENSOR ("timer/stop", test_timer_stop);

  WATCHDOG ("offline-launches-once", test_watchdog_offline_launches_once);
  WATCHDOG ("offline-selection-showing", test_watchdog_offline_selection_showing);
  WATCHDOG ("portal", test_watchdog_portal);
  WATCHDOG ("network-only", test_watchdog_network_only);
  WATCHDOG ("network-first-boot", test_watchdog_network_first_boot);
  WATCHDOG ("online-completes-once", test_watchdog_online_completes_once);
  WATCHDOG ("online-quiet", test_watchdog_online_quiet);
  WATCHDOG ("skip", test_watchdog_skip);
  WATCHDOG ("remove-probes-now", test_watchdog_remove_probes_now);
  WATCHDOG ("client-done", test_watchdog_client_done);
  WATCHDOG ("internet-connected-probes", test_watchdog_internet_connected_probes);
  WATCHDOG ("first-boot", test_watchdog_first_boot);
  WATCHDOG ("first-boot-online", test_watchdog_first_boot_online);
  WATCHDOG ("disabled", test_watchdog_disabled);

  return g_test_run ();
}
