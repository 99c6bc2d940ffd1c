/* ows-test-bus.c: a manager on a fresh embedded bus, with a scripted peer on it: the fixture of the protocol and window tests.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <glib/gstdio.h>

#include "config.h"
#include "ows-bus-server-private.h"
#include "ows-connectivity-private.h"
#include "ows-service-private.h"
#include "ows-test-bus.h"

/* The bus, the peer, the config, the network and its probe endpoint, but no
 * manager yet: a test changes what it needs, then ows_test_bus_start().
 * No user mycroft.conf from an earlier test. @echo: whether the bus echoes a
 * sender's frames back to it, as ovos-messagebus does.
 *
 * The watchdog's defaults here: not a first boot, a grace period longer than
 * any test, and time_between_checks of an hour, so nothing happens by
 * itself unless a test asks for it. */
void
ows_test_bus_init (OwsTestBus *bus,
                   gboolean    echo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_file = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft",
                                                 "mycroft.conf", NULL);
  g_autoptr(JsonNode) hour = json_node_init_int (json_node_alloc (), 3600);

  g_unlink (user_file);
  bus->server = ows_bus_server_new ();
  ows_bus_server_set_echo (bus->server, echo);
  g_assert_true (ows_bus_server_listen (bus->server, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  bus->port = ows_bus_server_get_port (bus->server);
  bus->url = ows_bus_server_dup_url (bus->server);
  bus->peer = ows_test_peer_new (bus->url);

  bus->config = ows_config_new ();
  ows_test_bus_set_first_boot (bus, FALSE);
  bus->monitor = ows_test_network_monitor_new (TRUE, G_NETWORK_CONNECTIVITY_FULL);
  bus->probe = ows_test_probe_new ();
  ows_test_probe_configure (bus->probe, bus->config);
  ows_config_override (bus->config, OWS_CONFIG_PLUGIN_SECTION, "grace_period", hour);
  ows_config_override (bus->config, OWS_CONFIG_PLUGIN_SECTION, "time_between_checks", hour);
}

/* The manager starts; it has said alive, in its own name, when this returns. */
void
ows_test_bus_start (OwsTestBus *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) alive = NULL;

  bus->service = ows_service_new (bus->config, bus->url, bus->monitor);
  bus->manager = ows_service_get_manager (bus->service);
  bus->connectivity = ows_service_get_connectivity (bus->service);
  ows_connectivity_set_probe_timeout (bus->connectivity, 500);
  /* Nobody else manages this bus: no need to wait long to learn it. */
  ows_service_set_probe_deadline (bus->service, 100);
  g_assert_true (ows_service_start (bus->service, FALSE, &error));
  alive = ows_test_peer_wait (bus->peer, OWS_PREFIX "alive", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (alive);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (alive), "source"), ==,
                   OWS_BUS_NAME);
}

/* The manager starts on a device that is online, and knows it when this returns. */
void
ows_test_bus_start_online (OwsTestBus *bus)
{
  gint64 deadline;

  ows_test_bus_start (bus);
  deadline = g_get_monotonic_time () + OWS_TEST_TIMEOUT_MS * 1000;
  while (ows_connectivity_get_state (bus->connectivity) != OWS_CONNECTIVITY_ONLINE &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ows_connectivity_get_state (bus->connectivity), ==, OWS_CONNECTIVITY_ONLINE);
}

/* The usual start: a device that is online, and knows it. */
void
ows_test_bus_setup (OwsTestBus *bus,
                    gboolean    echo)
{
  ows_test_bus_init (bus, echo);
  ows_test_bus_start_online (bus);
}

/* Said by the user's mycroft.conf, not an override, so that the manager
 * can persist first_boot=false over it as on a device. */
void
ows_test_bus_set_first_boot (OwsTestBus *bus,
                             gboolean    first_boot)
{
  g_autofree char *dir = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft", NULL);
  g_autofree char *path = g_build_filename (dir, "mycroft.conf", NULL);
  g_autofree char *json = g_strdup_printf ("{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": "
                                           "{\"first_boot\": %s}}}",
                                           first_boot ? "true" : "false");

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  ows_config_load (bus->config);
}

/* The peer may have been freed (and set to NULL) by a test that stopped the bus. */
void
ows_test_bus_teardown (OwsTestBus *bus)
{
  g_clear_pointer (&bus->peer, ows_test_peer_free);
  g_clear_object (&bus->service);
  ows_bus_server_stop (bus->server);
  g_assert_finalize_object (bus->server);
  g_clear_pointer (&bus->probe, ows_test_probe_free);
  g_clear_object (&bus->monitor);
  g_clear_object (&bus->config);
  g_free (bus->url);
}
