/* ows-test-bus.c: a manager on a fresh embedded bus, with a scripted peer on it: the fixture of the protocol and window tests.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <glib/gstdio.h>

#include "config.h"
#include "ows-test-bus.h"

/* No user mycroft.conf from an earlier test; the manager has said alive,
 * in its own name, before the test starts. @echo: whether the bus echoes
 * a sender's frames back to it, as ovos-messagebus does. */
void
ows_test_bus_setup (OwsTestBus *bus,
                    gboolean    echo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) alive = NULL;
  g_autofree char *user_file = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft",
                                                 "mycroft.conf", NULL);

  g_unlink (user_file);
  bus->server = ows_bus_server_new ();
  ows_bus_server_set_echo (bus->server, echo);
  g_assert_true (ows_bus_server_listen (bus->server, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  bus->port = ows_bus_server_get_port (bus->server);
  bus->url = ows_bus_server_dup_url (bus->server);
  bus->peer = ows_test_peer_new (bus->url);

  bus->config = ows_config_new ();
  ows_config_load (bus->config);
  bus->service = ows_service_new (bus->config, bus->url);
  bus->manager = ows_service_get_manager (bus->service);
  g_assert_true (ows_service_start (bus->service, FALSE, &error));
  alive = ows_test_peer_wait (bus->peer, OWS_PREFIX "alive", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (alive);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (alive), "source"), ==,
                   OWS_BUS_NAME);
}

/* The peer may have been freed (and set to NULL) by a test that stopped the bus. */
void
ows_test_bus_teardown (OwsTestBus *bus)
{
  g_clear_pointer (&bus->peer, ows_test_peer_free);
  g_clear_object (&bus->service);
  ows_bus_server_stop (bus->server);
  g_assert_finalize_object (bus->server);
  g_clear_object (&bus->config);
  g_free (bus->url);
}
