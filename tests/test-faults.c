/* test-faults.c: the manager keeps working, and loses nothing, when the bus misbehaves.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <glib/gstdio.h>

#include "config.h"
#include "ows-service.h"
#include "ows-test-network-monitor.h"
#include "ows-test-peer.h"

#define P OWS_PREFIX

typedef struct {
  OwsBusServer *server;
  OwsConfig *config;
  GNetworkMonitor *monitor;   /* no network: the watchdog asks no one */
  OwsService *service;
  OwsManager *manager;
  OwsBus *bus;
  OwsTestPeer *peer;
  guint port;
} Fixture;

static void
write_user_config (const char *json)
{
  g_autofree char *dir = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft", NULL);
  g_autofree char *path = g_build_filename (dir, "mycroft.conf", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A lower payload limit than the bus server's, so a frame can be too big for us only. */
  write_user_config ("{\"websocket\": {\"max_msg_size\": 8}}");
  f->server = ows_bus_server_new ();
  g_assert_true (ows_bus_server_listen (f->server, NULL, 0, NULL, &error));
  f->port = ows_bus_server_get_port (f->server);
  url = ows_bus_server_dup_url (f->server);
  f->peer = ows_test_peer_new (url);

  f->config = ows_config_new ();
  ows_config_load (f->config);
  g_assert_cmpuint (ows_config_get_max_msg_size (f->config), ==, 8 * 1024 * 1024);
  f->monitor = ows_test_network_monitor_new (FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  f->service = ows_service_new (f->config, url, f->monitor);
  f->manager = ows_service_get_manager (f->service);
  g_assert_true (ows_service_start (f->service, FALSE, &error));
  f->bus = ows_service_get_bus (f->service);
  ows_message_unref (ows_test_peer_wait (f->peer, P "alive", OWS_TEST_TIMEOUT_MS));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft",
                                            "mycroft.conf", NULL);

  ows_test_peer_free (f->peer);
  g_clear_object (&f->service);
  ows_bus_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->monitor);
  g_clear_object (&f->config);
  g_unlink (path);
}

static gint64
clients_in_status (OwsTestPeer *peer)
{
  g_autoptr(JsonObject) state = ows_test_peer_status (peer);

  return json_object_get_int_member (state, "clients");
}

static void
register_one (OwsTestPeer *peer,
              const char  *name)
{
  g_autofree char *json = g_strdup_printf ("{\"client\": \"%s\", \"type\": \"onDevice\", "
                                           "\"display_text\": \"x\", \"requires_input\": true}",
                                           name);

  ows_test_peer_send (peer, P "register.client", json);
  ows_message_unref (ows_test_peer_expect (peer, P "client.registered"));
}

static gboolean
bus_disconnected (gpointer data)
{
  return !ows_bus_get_connected (data);
}

static void
test_bus_restart (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) request = NULL;
  g_autofree char *url = NULL;
  OwsTestPeer *peer;

  register_one (f->peer, "survivor");
  ows_bus_server_stop (f->server);
  g_assert_true (ows_test_wait_until (bus_disconnected, f->bus, OWS_TEST_TIMEOUT_MS));

  /* A request from inside the app (a tap on the window) while the bus is down:
   * it acts now, and what it says waits in the queue. */
  request = ows_message_new (P "user.activated", NULL, NULL);
  ows_bus_send (f->bus, request);
  g_assert_true (ows_manager_get_in_setup (f->manager));
  g_assert_cmpuint (ows_bus_get_queue_length (f->bus), >=, 2);

  /* Down long enough for the backoff to grow, so the peer is back first. */
  ows_test_sleep (1000);
  g_assert_true (ows_bus_server_listen (f->server, NULL, f->port, NULL, &error));
  g_assert_no_error (error);
  url = ows_bus_server_dup_url (f->server);
  peer = ows_test_peer_new (url);
  ows_message_unref (ows_test_peer_expect (peer, P "alive"));

  /* queued frames were flushed before alive, once each */
  g_assert_cmpuint (ows_test_peer_count (peer, P "user.activated"), ==, 1);
  g_assert_cmpuint (ows_test_peer_count (peer, P "setup.launched"), ==, 1);
  g_assert_cmpuint (ows_bus_get_queue_length (f->bus), ==, 0);
  /* the registry survived; the manager did not act twice on its own request */
  g_assert_cmpint (clients_in_status (peer), ==, 1);
  ows_test_sleep (150);
  g_assert_cmpuint (ows_test_peer_count (peer, P "setup.launched"), ==, 1);
  ows_test_peer_free (peer);
}

static void
test_bad_frames (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *huge_text = g_strnfill (2 * 1024 * 1024, 'x');
  g_autofree char *huge_register = g_strdup_printf (
    "{\"type\": \"" P "register.client\", \"data\": {\"client\": \"huge\", "
    "\"type\": \"onDevice\", \"display_text\": \"%s\"}}", huge_text);
  const char *frames[] = {
    "not json at all",
    "{\"type\": \"" P "status\"",
    "[\"" P "status\"]",
    "42",
    "\"" P "status\"",
    "null",
    "{}",
    "{\"type\": 5}",
    "{\"type\": \"\"}",
    "{\"type\": \"" P "register.client\", \"data\": [1, 2]}",
    "{\"type\": \"" P "register.client\", \"data\": \"client\"}",
    "{\"type\": \"" P "set.active.client\", \"data\": 7}",
    "{\"type\": \"" P "deregister.client\", \"data\": {\"client_id\": [\"x\"]}}",
    "{\"type\": \"" P "set.active.client\", \"data\": {\"client\": {\"nested\": true}}}",
    "{\"type\": \"" P "skip.setup\", \"data\": true}",
  };
  g_autoptr(OwsMessage) failure = NULL;

  register_one (f->peer, "steady");
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    ows_test_peer_send_raw (f->peer, frames[i], strlen (frames[i]));
  ows_test_peer_send_raw (f->peer, huge_register, strlen (huge_register));
  failure = ows_test_peer_expect (f->peer, P "client.registration.failure");
  g_assert_nonnull (strstr (json_object_get_string_member (ows_message_get_data (failure), "error"),
                            "too long"));

  /* the next good request is answered, and nothing changed */
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
  g_assert_null (ows_manager_get_active_client (f->manager));
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_NORMAL);
  g_assert_cmpuint (ows_test_peer_count (f->peer, P "fully_offline"), ==, 0);
  g_assert_true (ows_bus_get_connected (f->bus));
}

static void
test_frame_over_limit (Fixture       *f,
                       gconstpointer  data)
{
  gsize size = 10 * 1024 * 1024;
  g_autofree char *frame = g_malloc (size + 1);
  int prefix;

  register_one (f->peer, "steady");
  ows_test_peer_clear (f->peer);

  /* 10 MiB against our 8 MiB limit: the connection goes, and comes back */
  prefix = g_snprintf (frame, size, "{\"type\": \"gui.page.upload\", \"data\": {\"blob\": \"");
  memset (frame + prefix, 'A', size - prefix - 3);
  memcpy (frame + size - 3, "\"}}", 4);
  ows_test_peer_send_raw (f->peer, frame, size);

  ows_message_unref (ows_test_peer_expect (f->peer, P "alive"));
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_NORMAL);
}

/* Most of a real bus is other people's traffic; it must not get in the way. */
static void
test_unrelated_traffic (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) trace = ows_test_load_trace ("real-balena-activation.jsonl");
  g_autoptr(GPtrArray) unrelated = g_ptr_array_new ();
  g_autoptr(OwsMessage) reply = NULL;

  for (guint i = 0; i < trace->len; i++)
    if (!g_str_has_prefix (g_ptr_array_index (trace, i), "{\"type\":\"ovos.phal"))
      g_ptr_array_add (unrelated, g_ptr_array_index (trace, i));
  g_assert_cmpuint (unrelated->len, >, 5);

  for (guint i = 0; i < 2000; i++)
    {
      const char *frame = g_ptr_array_index (unrelated, i % unrelated->len);

      ows_test_peer_send_raw (f->peer, frame, strlen (frame));
      if (i == 1000)
        ows_test_peer_send (f->peer, P "register.client",
                            "{\"client\": \"in-the-crowd\", \"type\": \"Remote\", "
                            "\"display_text\": \"x\"}");
    }
  /* the flood itself takes a while under sanitizers and valgrind */
  reply = ows_test_peer_wait (f->peer, P "client.registered", 6 * OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (reply);
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

  g_test_add ("/ows/faults/bus-restart", Fixture, NULL, fixture_setup, test_bus_restart,
              fixture_teardown);
  g_test_add ("/ows/faults/bad-frames", Fixture, NULL, fixture_setup, test_bad_frames,
              fixture_teardown);
  g_test_add ("/ows/faults/frame-over-limit", Fixture, NULL, fixture_setup, test_frame_over_limit,
              fixture_teardown);
  g_test_add ("/ows/faults/unrelated-traffic", Fixture, NULL, fixture_setup, test_unrelated_traffic,
              fixture_teardown);

  return g_test_run ();
}
