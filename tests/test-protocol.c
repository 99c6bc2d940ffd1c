/* test-protocol.c: the manager on a real bus, one test per row of PROTOCOL.md's table.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every test runs twice: on a bus that echoes a sender's frames back to it
 * (ovos-messagebus) and on one that does not (other bus servers). Each
 * request must act exactly once on both.
 */
#include <glib/gstdio.h>

#include "config.h"
#include "ows-manager-private.h"
#include "ows-test-bus.h"

#define P OWS_PREFIX

typedef OwsTestBus Fixture;

static char *
user_config_path (void)
{
  return g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft", "mycroft.conf", NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  ows_test_bus_setup (f, GPOINTER_TO_INT (data));
  ows_manager_set_stop_timeout (f->manager, 200);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ows_test_bus_teardown (f);
}

/* Long enough for a duplicate to show up if one were coming. */
static void
settle (void)
{
  ows_test_sleep (150);
}

static char *
register_client (Fixture    *f,
                 const char *name,
                 gboolean    requires_input)
{
  g_autofree char *data = g_strdup_printf ("{\"client\": \"%s\", \"type\": \"Remote\", "
                                           "\"display_text\": \"%s setup\", \"has_gui\": true, "
                                           "\"requires_input\": %s}",
                                           name, name, requires_input ? "true" : "false");
  g_autoptr(OwsMessage) reply = NULL;

  ows_test_peer_send (f->peer, P "register.client", data);
  for (;;)
    {
      JsonObject *reply_data;

      g_clear_pointer (&reply, ows_message_unref);
      reply = ows_test_peer_expect (f->peer, P "client.registered");
      reply_data = ows_message_get_data (reply);
      if (g_strcmp0 (json_object_get_string_member (reply_data, "client"), name) == 0)
        return g_strdup (json_object_get_string_member (reply_data, "id"));
    }
}

static char *
event_type (const char *event,
            const char *id)
{
  return g_strconcat (P, event, ".", id, NULL);
}

/* PROTOCOL.md 1: a reply keeps the request's context, source and destination swapped. */
static void
assert_reply_context (OwsMessage *reply)
{
  JsonObject *context = ows_message_get_context (reply);

  g_assert_cmpstr (json_object_get_string_member (context, "source"), ==, "wifi");
  g_assert_cmpstr (json_object_get_string_member (context, "destination"), ==, "test-peer");
}

static void
assert_registered_fields (JsonObject *data,
                          const char *type,
                          const char *text,
                          gboolean    has_gui,
                          gboolean    requires_input)
{
  const char *id = json_object_get_string_member (data, "id");

  g_assert_nonnull (id);
  for (const char *p = id; *p; p++)
    g_assert_true (g_ascii_isalnum (*p));
  g_assert_cmpstr (json_object_get_string_member (data, "client_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (data, "type"), ==, type);
  g_assert_cmpstr (json_object_get_string_member (data, "client_plugin_type"), ==, type);
  g_assert_cmpstr (json_object_get_string_member (data, "display_text"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (data, "client_plugin_display_text"), ==, text);
  g_assert_cmpint (json_object_get_boolean_member (data, "has_gui"), ==, has_gui);
  g_assert_cmpint (json_object_get_boolean_member (data, "client_plugin_has_gui"), ==, has_gui);
  g_assert_cmpint (json_object_get_boolean_member (data, "requires_input"), ==, requires_input);
  g_assert_cmpint (json_object_get_boolean_member (data, "client_plugin_requires_input"), ==,
                   requires_input);
}

/* register.client */

static void
test_register_short (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OwsMessage) reply = NULL;

  ows_test_peer_send (f->peer, P "register.client",
                      "{\"client\": \"gui-network\", \"type\": \"onDevice\", "
                      "\"display_text\": \"On Device Setup\", \"has_gui\": true, "
                      "\"requires_input\": true}");
  reply = ows_test_peer_expect (f->peer, P "client.registered");
  assert_reply_context (reply);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (reply), "client"), ==,
                   "gui-network");
  assert_registered_fields (ows_message_get_data (reply), "onDevice", "On Device Setup", TRUE, TRUE);
  ows_test_peer_assert_count (f->peer, P "client.registered", 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ows_manager_get_registry (f->manager))),
                    ==, 1);
}

static void
test_register_long (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OwsMessage) reply = NULL;

  ows_test_peer_send (f->peer, P "register.client",
                      "{\"client\": \"balena\", \"client_plugin_type\": \"Remote\", "
                      "\"client_plugin_display_text\": \"On Mobile Setup\", "
                      "\"client_plugin_has_gui\": false, \"client_plugin_requires_input\": false}");
  reply = ows_test_peer_expect (f->peer, P "client.registered");
  assert_registered_fields (ows_message_get_data (reply), "Remote", "On Mobile Setup", FALSE, FALSE);
  ows_test_peer_assert_count (f->peer, P "client.registered", 1);
}

static void
test_register_invalid (Fixture       *f,
                       gconstpointer  data)
{
  const struct { const char *data, *field, *client; } cases[] = {
    { "{\"type\": \"Remote\", \"display_text\": \"x\"}", "\"client\"", NULL },
    { "{\"client\": \"\", \"type\": \"Remote\", \"display_text\": \"x\"}", "\"client\"", "" },
    { "{\"client\": \"c\", \"display_text\": \"x\"}", "\"type\"", "c" },
    { "{\"client\": \"c\", \"type\": \"Remote\"}", "\"display_text\"", "c" },
    { "{\"client\": \"c\", \"type\": \"Remote\", \"display_text\": 5}", "\"display_text\"", "c" },
    { "{\"client\": \"c\", \"type\": \"Remote\", \"display_text\": \"x\", \"has_gui\": \"no\"}",
      "\"has_gui\"", "c" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OwsMessage) reply = NULL;
      JsonObject *reply_data;

      ows_test_peer_send (f->peer, P "register.client", cases[i].data);
      reply = ows_test_peer_expect (f->peer, P "client.registration.failure");
      assert_reply_context (reply);
      reply_data = ows_message_get_data (reply);
      g_assert_nonnull (strstr (json_object_get_string_member (reply_data, "error"), cases[i].field));
      g_assert_true (json_object_has_member (reply_data, "client"));
      if (cases[i].client != NULL)
        g_assert_cmpstr (json_object_get_string_member (reply_data, "client"), ==, cases[i].client);
      else
        g_assert_true (json_object_get_null_member (reply_data, "client"));
    }
  ows_test_peer_assert_count (f->peer, P "client.registration.failure", G_N_ELEMENTS (cases));
  ows_test_peer_assert_count (f->peer, P "client.registered", 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ows_manager_get_registry (f->manager))),
                    ==, 0);
}

static void
test_register_again (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = register_client (f, "restarting", FALSE);
  g_autoptr(OwsMessage) reply = NULL;

  /* A client that restarted registers again, with new text: same id, and a reply. */
  ows_test_peer_send (f->peer, P "register.client",
                      "{\"client\": \"restarting\", \"type\": \"onDevice\", "
                      "\"display_text\": \"Renamed\", \"requires_input\": true}");
  reply = ows_test_peer_expect (f->peer, P "client.registered");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (reply), "id"), ==, id);
  assert_registered_fields (ows_message_get_data (reply), "onDevice", "Renamed", FALSE, TRUE);
  ows_test_peer_assert_count (f->peer, P "client.registered", 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ows_manager_get_registry (f->manager))),
                    ==, 1);
}

static void
test_register_full (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OwsMessage) failure = NULL;
  guint limit = OWS_REGISTRY_DEFAULT_LIMIT;

  for (guint i = 0; i < limit; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"client\": \"c%u\", \"type\": \"t\", "
                                               "\"display_text\": \"x\"}", i);
      ows_test_peer_send (f->peer, P "register.client", json);
    }
  ows_test_peer_send (f->peer, P "register.client",
                      "{\"client\": \"one-too-many\", \"type\": \"t\", \"display_text\": \"x\"}");
  failure = ows_test_peer_expect (f->peer, P "client.registration.failure");
  g_assert_nonnull (strstr (json_object_get_string_member (ows_message_get_data (failure), "error"),
                            "full"));
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (failure), "client"), ==,
                   "one-too-many");
  ows_test_peer_assert_count (f->peer, P "client.registered", limit);
  g_assert_nonnull (ows_registry_lookup_name (ows_manager_get_registry (f->manager), "c0"));
}

/* json-glib reads "keeper-A\u0000evil" as "keeper-A"; upstream compares
 * whole strings, so this is not keeper-A re-registering: it is refused. */
static void
test_register_nul (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = register_client (f, "keeper-A", FALSE);
  g_autoptr(OwsMessage) failure = NULL;
  g_autoptr(OwsMessage) second = NULL;
  OwsClient *client;

  ows_test_peer_send (f->peer, P "register.client",
                      "{\"client\": \"keeper-A\\u0000evil\", \"type\": \"Remote\", "
                      "\"display_text\": \"Evil text\"}");
  failure = ows_test_peer_expect (f->peer, P "client.registration.failure");
  assert_reply_context (failure);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (failure), "error"), ==,
                   "The field \"client\" contains a NUL character.");
  g_assert_true (json_object_get_null_member (ows_message_get_data (failure), "client"));

  /* A NUL in another field names that field, and the client. */
  ows_test_peer_send (f->peer, P "register.client",
                      "{\"client\": \"keeper-A\", \"type\": \"Remote\", "
                      "\"display_text\": \"Evil\\u0000 text\"}");
  second = ows_test_peer_expect (f->peer, P "client.registration.failure");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (second), "error"), ==,
                   "The field \"display_text\" contains a NUL character.");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (second), "client"), ==,
                   "keeper-A");

  ows_test_peer_assert_count (f->peer, P "client.registered", 1);
  client = ows_registry_lookup_name (ows_manager_get_registry (f->manager), "keeper-A");
  g_assert_nonnull (client);
  g_assert_cmpstr (ows_client_get_id (client), ==, id);
  g_assert_cmpstr (ows_client_get_display_text (client), ==, "keeper-A setup");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ows_manager_get_registry (f->manager))),
                    ==, 1);
}

/* deregister.client */

static void
test_deregister (Fixture       *f,
                 gconstpointer  data)
{
  const char *fields[] = { "client_id", "id", "client" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *id = register_client (f, "leaving", FALSE);
      g_autofree char *json = g_strdup_printf ("{\"%s\": \"%s\"}", fields[i],
                                               i < 2 ? id : "leaving");
      g_autoptr(OwsMessage) reply = NULL;
      JsonObject *reply_data;

      ows_test_peer_send (f->peer, P "deregister.client", json);
      reply = ows_test_peer_expect (f->peer, P "client.deregistered");
      assert_reply_context (reply);
      reply_data = ows_message_get_data (reply);
      g_assert_cmpstr (json_object_get_string_member (reply_data, "client"), ==, "leaving");
      g_assert_cmpstr (json_object_get_string_member (reply_data, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (reply_data, "client_id"), ==, id);
      g_assert_null (ows_registry_lookup_name (ows_manager_get_registry (f->manager), "leaving"));
    }
  ows_test_peer_assert_count (f->peer, P "client.deregistered", 3);
}

static void
test_deregister_order_and_unknown (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *id = register_client (f, "known", FALSE);
  g_autoptr(OwsMessage) failure = NULL;

  /* client_id is present, so it alone decides, even though client names a known one */
  ows_test_peer_send (f->peer, P "deregister.client", "{\"client_id\": \"nope\", \"client\": \"known\"}");
  failure = ows_test_peer_expect (f->peer, P "client.deregistration.failure");
  assert_reply_context (failure);
  g_assert_nonnull (json_object_get_string_member (ows_message_get_data (failure), "error"));
  ows_test_peer_send (f->peer, P "deregister.client", "{}");
  g_clear_pointer (&failure, ows_message_unref);
  failure = ows_test_peer_expect (f->peer, P "client.deregistration.failure");
  ows_test_peer_assert_count (f->peer, P "client.deregistered", 0);
  g_assert_nonnull (ows_registry_lookup_id (ows_manager_get_registry (f->manager), id));
}

/* "<id>\u0000zz" is not the id: no answer, the client stays. */
static void
test_deregister_nul (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = register_client (f, "staying", FALSE);
  g_autofree char *by_id = g_strdup_printf ("{\"client_id\": \"%s\\u0000zz\"}", id);

  ows_test_peer_send (f->peer, P "deregister.client", by_id);
  ows_test_peer_send (f->peer, P "deregister.client", "{\"client\": \"staying\\u0000\"}");
  ows_test_peer_send (f->peer, P "deregister.client",
                      "{\"client\": \"staying\", \"context_note\": \"x\\u0000\"}");
  ows_test_peer_assert_none (f->peer, P "client.deregistered", 300);
  ows_test_peer_assert_count (f->peer, P "client.deregistration.failure", 0);
  g_assert_nonnull (ows_registry_lookup_id (ows_manager_get_registry (f->manager), id));

  /* The escaped backslash before "u0000" is no NUL: an unknown id, refused as such. */
  ows_test_peer_send (f->peer, P "deregister.client", "{\"client_id\": \"x\\\\u0000\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, P "client.deregistration.failure"));
  g_assert_nonnull (ows_registry_lookup_id (ows_manager_get_registry (f->manager), id));
}

static void
test_deregister_active (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = register_client (f, "busy", FALSE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *deactivate = event_type ("deactivate", id);
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\"}", id);

  ows_test_peer_send (f->peer, P "set.active.client", json);
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_peer_send (f->peer, P "deregister.client", json);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  ows_message_unref (ows_test_peer_expect (f->peer, P "client.deregistered"));
  g_assert_null (ows_manager_get_active_client (f->manager));
  ows_test_peer_assert_count (f->peer, deactivate, 1);
}

/* get.registered.clients */

static void
test_get_registered_clients (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *b = register_client (f, "b-first", TRUE);
  g_autofree char *a = register_client (f, "a-second", FALSE);
  g_autoptr(OwsMessage) reply = NULL;
  JsonArray *clients;

  ows_test_peer_send (f->peer, P "get.registered.clients", NULL);
  reply = ows_test_peer_expect (f->peer, P "registered.clients");
  assert_reply_context (reply);
  clients = json_object_get_array_member (ows_message_get_data (reply), "clients");
  g_assert_cmpuint (json_array_get_length (clients), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clients, 0), "client"),
                   ==, "b-first");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clients, 1), "id"),
                   ==, a);
  assert_registered_fields (json_array_get_object_element (clients, 0), "Remote", "b-first setup",
                            TRUE, TRUE);
  ows_test_peer_assert_count (f->peer, P "registered.clients", 1);
}

/* set.active.client */

static void
test_set_active_client (Fixture       *f,
                        gconstpointer  data)
{
  const char *requests[] = {
    "{\"client\": \"%s\"}",
    "{\"id\": \"%s\"}",
    "{\"user_requested_client\": \"%s\"}",
    "{\"user_requested_id\": \"%s\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *name = g_strdup_printf ("client-%u", i);
      g_autofree char *id = register_client (f, name, TRUE);
      g_autofree char *activate = event_type ("activate", id);
      g_autofree char *json = g_strdup_printf (requests[i], i % 2 ? id : name);
      g_autoptr(OwsMessage) message = NULL;
      JsonObject *context;

      ows_test_peer_send (f->peer, P "set.active.client", json);
      message = ows_test_peer_expect (f->peer, activate);
      context = ows_message_get_context (message);
      g_assert_cmpstr (json_object_get_string_member (context, "source"), ==, OWS_BUS_NAME);
      g_assert_cmpstr (json_object_get_string_member (context, "destination"), ==, name);
      g_assert_cmpuint (json_object_get_size (ows_message_get_data (message)), ==, 0);
      g_assert_cmpstr (ows_client_get_name (ows_manager_get_active_client (f->manager)), ==, name);
      ows_test_peer_assert_count (f->peer, activate, 1);
    }
}

static void
test_set_active_switch (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *one = register_client (f, "one", TRUE);
  g_autofree char *two = register_client (f, "two", TRUE);
  g_autofree char *activate_one = event_type ("activate", one);
  g_autofree char *deactivate_one = event_type ("deactivate", one);
  g_autofree char *activate_two = event_type ("activate", two);
  g_autoptr(JsonObject) state = NULL;

  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"one\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate_one));
  /* the active one again: activate.{id} again, nothing else */
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"one\"}");
  ows_test_peer_assert_count (f->peer, activate_one, 2);
  ows_test_peer_assert_count (f->peer, deactivate_one, 0);

  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"two\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate_two));
  g_assert_cmpuint (ows_test_peer_count (f->peer, deactivate_one), ==, 1);
  ows_test_peer_assert_count (f->peer, activate_two, 1);

  state = ows_test_peer_status (f->peer);
  g_assert_true (json_object_get_boolean_member (state, "client_in_setup"));
  g_assert_cmpstr (json_object_get_string_member (state, "active_client"), ==, "two");
  g_assert_cmpstr (json_object_get_string_member (state, "active_client_id"), ==, two);
}

static void
test_set_active_unknown (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *one = register_client (f, "one", TRUE);
  g_autofree char *two = register_client (f, "two", TRUE);
  g_autofree char *mismatch = g_strdup_printf ("{\"client\": \"one\", \"id\": \"%s\"}", two);
  g_autofree char *activate_one = event_type ("activate", one);
  g_autofree char *activate_two = event_type ("activate", two);

  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"ghost\"}");
  ows_test_peer_send (f->peer, P "set.active.client", "{\"id\": \"ghost\"}");
  ows_test_peer_send (f->peer, P "set.active.client", mismatch);
  ows_test_peer_send (f->peer, P "set.active.client", "{}");
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": 42}");
  ows_test_peer_assert_count (f->peer, activate_one, 0);
  ows_test_peer_assert_count (f->peer, activate_two, 0);
  g_assert_null (ows_manager_get_active_client (f->manager));
}

/* remove.active.client */

static void
test_remove_active_client (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = register_client (f, "BalenaWifiSetupPlugin", FALSE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *deactivate = event_type ("deactivate", id);
  g_autoptr(OwsMessage) message = NULL;

  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"BalenaWifiSetupPlugin\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  /* as in the trace: another name in data.client, and the frame twice */
  ows_test_peer_send (f->peer, P "remove.active.client", "{\"client\": \"ovos-PHAL-plugin-balena-wifi\"}");
  ows_test_peer_send (f->peer, P "remove.active.client", "{\"client\": \"ovos-PHAL-plugin-balena-wifi\"}");
  message = ows_test_peer_expect (f->peer, deactivate);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (message), "destination"),
                   ==, "BalenaWifiSetupPlugin");
  ows_test_peer_assert_count (f->peer, deactivate, 1);
  g_assert_null (ows_manager_get_active_client (f->manager));
}

/* client.setup.failure */

static void
test_setup_failure_screen (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = register_client (f, "flaky", TRUE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *deactivate = event_type ("deactivate", id);

  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  g_assert_true (ows_manager_get_in_setup (f->manager));
  ows_test_peer_send (f->peer, P "client.select", "{\"client\": \"flaky\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_peer_send (f->peer, P "client.setup.failure", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  settle ();
  g_assert_null (ows_manager_get_active_client (f->manager));
  /* with a screen the selection comes back, naming the client that failed */
  g_assert_true (ows_manager_get_in_setup (f->manager));
  g_assert_cmpint (ows_manager_get_outcome (f->manager), ==, OWS_OUTCOME_FAILED);
  g_assert_cmpstr (ows_client_get_name (ows_manager_get_outcome_client (f->manager)), ==, "flaky");
  ows_test_peer_assert_count (f->peer, deactivate, 1);
}

static void
test_setup_failure_headless (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *first = register_client (f, "first", FALSE);
  g_autofree char *second = register_client (f, "second", FALSE);
  g_autofree char *activate_first = event_type ("activate", first);
  g_autofree char *activate_second = event_type ("activate", second);
  g_autofree char *deactivate_first = event_type ("deactivate", first);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate_first));
  ows_test_peer_send (f->peer, P "client.setup.failure", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate_first));
  /* no immediate retry loop: nothing is activated until the next launch */
  ows_test_peer_assert_count (f->peer, activate_second, 0);
  ows_test_peer_assert_count (f->peer, activate_first, 1);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate_second));
  ows_test_peer_assert_count (f->peer, activate_first, 1);
}

/* client.select */

static void
test_client_select (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = register_client (f, "picked", TRUE);
  g_autofree char *other = register_client (f, "other", TRUE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *activate_other = event_type ("activate", other);
  g_autofree char *json = g_strdup_printf ("{\"user_requested_client\": \"picked\", "
                                           "\"user_requested_id\": \"%s\"}", id);
  g_autoptr(OwsMessage) set_active = NULL;
  JsonObject *set_data;

  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_send (f->peer, P "client.select", json);
  set_active = ows_test_peer_expect (f->peer, P "set.active.client");
  assert_reply_context (set_active);
  set_data = ows_message_get_data (set_active);
  g_assert_cmpstr (json_object_get_string_member (set_data, "client"), ==, "picked");
  g_assert_cmpstr (json_object_get_string_member (set_data, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (set_data, "user_requested_client"), ==, "picked");
  g_assert_cmpstr (json_object_get_string_member (set_data, "user_requested_id"), ==, id);
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  g_assert_false (ows_manager_get_in_setup (f->manager));

  /* ignored while a client is active */
  ows_test_peer_send (f->peer, P "client.select", "{\"client\": \"other\"}");
  ows_test_peer_assert_count (f->peer, P "set.active.client", 1);
  ows_test_peer_assert_count (f->peer, activate_other, 0);
  /* the manager's own set.active.client acted exactly once, echo or not */
  ows_test_peer_assert_count (f->peer, activate, 1);
}

/* skip.setup and fully.offline */

static void
test_skip_setup (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = register_client (f, "auto", FALSE);
  g_autofree char *deactivate = event_type ("deactivate", id);
  g_autoptr(OwsMessage) offline = NULL;
  g_autoptr(JsonObject) state = NULL;

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_send (f->peer, P "skip.setup", NULL);
  offline = ows_test_peer_expect (f->peer, P "fully_offline");
  assert_reply_context (offline);
  ows_message_unref (ows_test_peer_expect (f->peer, P "stop.setup.event"));
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  state = ows_test_peer_status (f->peer);
  g_assert_cmpstr (json_object_get_string_member (state, "setup_mode"), ==, "skipped");
  g_assert_false (json_object_get_boolean_member (state, "in_setup"));
  g_assert_false (json_object_get_boolean_member (state, "client_in_setup"));

  /* skipping again with nothing running: no stop.setup.event */
  ows_test_peer_send (f->peer, P "skip.setup", NULL);
  ows_test_peer_assert_count (f->peer, P "fully_offline", 2);
  ows_test_peer_assert_count (f->peer, P "stop.setup.event", 1);
}

static void
test_fully_offline (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *user_file = user_config_path ();
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) state = NULL;
  JsonObject *plugin;

  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_send (f->peer, P "fully.offline", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "fully_offline"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "stop.setup.event"));
  ows_message_unref (ows_test_peer_expect (f->peer, "configuration.patch"));
  state = ows_test_peer_status (f->peer);
  g_assert_cmpstr (json_object_get_string_member (state, "setup_mode"), ==, "offline");
  g_assert_false (json_object_get_boolean_member (state, "in_setup"));

  /* persisted in the user file, so the choice survives a restart */
  g_assert_true (g_file_get_contents (user_file, &contents, NULL, NULL));
  root = json_from_string (contents, NULL);
  plugin = json_object_get_object_member (json_object_get_object_member (json_node_get_object (root),
                                                                         "PHAL"), OWS_BUS_NAME);
  g_assert_false (json_object_get_boolean_member (plugin, "enable_watchdog"));
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  ows_test_peer_assert_count (f->peer, "configuration.patch", 3);  /* enable_watchdog true, then false, first_boot */
}

static void
test_fully_offline_corrupt_user_file (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *user_file = user_config_path ();
  g_autofree char *dir = g_path_get_dirname (user_file);
  g_autofree char *after = NULL;
  g_autoptr(OwsMessage) failed = NULL;
  const char *broken = "{\"websocket\": {\"port\": 8181,,}";
  const char *error;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (user_file, broken, -1, NULL));
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_WARNING, "*mycroft.conf*");
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_WARNING, "*mycroft.conf*");
  ows_test_peer_send (f->peer, P "fully.offline", NULL);

  /* the choice holds for this run, the file is left alone, and we say so */
  failed = ows_test_peer_expect (f->peer, P "setup.failed");
  error = json_object_get_string_member (ows_message_get_data (failed), "error");
  g_assert_nonnull (strstr (error, user_file));
  ows_message_unref (ows_test_peer_expect (f->peer, "configuration.patch"));
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_OFFLINE);
  g_assert_false (ows_config_get_boolean (f->config, OWS_CONFIG_PLUGIN_SECTION, "enable_watchdog",
                                          TRUE));
  g_assert_true (g_file_get_contents (user_file, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, broken);
  settle ();
  g_test_assert_expected_messages ();
}

/* user.activated */

static void
test_user_activated (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OwsMessage) patch = NULL;
  g_autoptr(OwsMessage) launched = NULL;
  JsonObject *plugin;
  g_autofree char *late = NULL;
  g_autofree char *activate_late = NULL;
  g_autofree char *deactivate_late = NULL;

  g_free (register_client (f, "needs-input", TRUE));
  ows_test_peer_send (f->peer, P "skip.setup", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "fully_offline"));
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_SKIPPED);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  patch = ows_test_peer_expect (f->peer, "configuration.patch");
  plugin = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (ows_message_get_data (patch),
                                                                  "config"), "PHAL"),
    OWS_BUS_NAME);
  g_assert_true (json_object_get_boolean_member (plugin, "enable_watchdog"));
  launched = ows_test_peer_expect (f->peer, P "setup.launched");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (launched), "source"), ==,
                   OWS_BUS_NAME);
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_NORMAL);
  g_assert_true (ows_manager_get_in_setup (f->manager));

  /* headless, nothing needs no input yet: a client that registers later is activated */
  settle ();
  g_assert_null (ows_manager_get_active_client (f->manager));
  late = register_client (f, "late", FALSE);
  activate_late = event_type ("activate", late);
  deactivate_late = event_type ("deactivate", late);
  ows_message_unref (ows_test_peer_expect (f->peer, activate_late));
  g_assert_false (ows_manager_get_in_setup (f->manager));

  /* a client is active: the user wants the choices all the same (upstream
   * shows its selection whatever is active). It is deactivated, setup is
   * launched again, nothing is completed; headless, the choice is the
   * same client, activated afresh. */
  ows_test_peer_clear (f->peer);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate_late));
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_message_unref (ows_test_peer_expect (f->peer, activate_late));
  settle ();
  ows_test_peer_assert_count (f->peer, deactivate_late, 1);
  ows_test_peer_assert_count (f->peer, P "setup.launched", 1);
  ows_test_peer_assert_count (f->peer, activate_late, 1);
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 0);
  ows_test_peer_assert_count (f->peer, P "stop.setup.event", 0);
}

/* With a screen, user.activated while a client runs brings the choices
 * back, in that order on the bus: deactivate, then setup.launched. */
static void
test_user_activated_while_active (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *id = register_client (f, "busy", FALSE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *deactivate = event_type ("deactivate", id);
  g_autoptr(OwsMessage) launched = NULL;

  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"busy\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  g_assert_cmpint (ows_manager_get_phase (f->manager), ==, OWS_PHASE_RUNNING);
  ows_test_peer_clear (f->peer);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  launched = ows_test_peer_expect (f->peer, P "setup.launched");
  settle ();
  g_assert_null (ows_manager_get_active_client (f->manager));
  g_assert_true (ows_manager_get_in_setup (f->manager));
  g_assert_cmpint (ows_manager_get_phase (f->manager), ==, OWS_PHASE_SELECTION);
  ows_test_peer_assert_count (f->peer, deactivate, 1);
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 0);
  ows_test_peer_assert_count (f->peer, P "remove.active.client", 0);
}

static void
test_headless_picks_first_no_input (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *input = register_client (f, "keyboard", TRUE);
  g_autofree char *first = register_client (f, "first-free", FALSE);
  g_autofree char *second = register_client (f, "second-free", FALSE);
  g_autofree char *activate_first = event_type ("activate", first);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate_first));
  ows_test_peer_assert_count (f->peer, activate_first, 1);
  g_assert_cmpstr (ows_client_get_name (ows_manager_get_active_client (f->manager)), ==, "first-free");
}

/* client.select.page.removed */

static void
test_page_removed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;

  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  before = ows_test_peer_status (f->peer);
  g_assert_true (json_object_get_boolean_member (before, "in_setup"));
  ows_test_peer_send (f->peer, P "client.select.page.removed", NULL);
  after = ows_test_peer_status (f->peer);
  g_assert_false (json_object_get_boolean_member (after, "in_setup"));
}

/* gui.status.request: is the OVOS screen there? */

static gboolean
status_ovos_gui (Fixture *f)
{
  g_autoptr(JsonObject) state = ows_test_peer_status (f->peer);

  g_assert_true (json_object_has_member (state, "ovos_gui"));
  return json_object_get_boolean_member (state, "ovos_gui");
}

static void
test_ovos_gui (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(OwsMessage) asked = NULL;
  g_autoptr(OwsMessage) asked_again = NULL;

  /* Asked on connecting, in the app's name; nobody answered yet. */
  asked = ows_test_peer_expect (f->peer, "gui.status.request");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (asked), "source"), ==,
                   OWS_BUS_NAME);
  g_assert_false (status_ovos_gui (f));
  g_assert_false (ows_manager_get_ovos_gui (f->manager));

  /* ovos-gui answers (ours or anyone's question: the bus tells all). */
  ows_test_peer_send (f->peer, "gui.status.request.response", "{\"connected\": true}");
  g_assert_true (status_ovos_gui (f));

  /* Answers that say nothing change nothing. */
  ows_test_peer_send (f->peer, "gui.status.request.response", "{\"connected\": \"yes\"}");
  ows_test_peer_send (f->peer, "gui.status.request.response", "{}");
  ows_test_peer_send (f->peer, "gui.status.request.response", "{\"connected\": null}");
  g_assert_true (status_ovos_gui (f));

  /* Asked again at every launch; silence for a second means no screen. */
  ows_test_peer_clear (f->peer);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  asked_again = ows_test_peer_expect (f->peer, "gui.status.request");
  g_assert_true (ows_manager_get_ovos_gui (f->manager));
  ows_test_sleep (1300);
  g_assert_false (status_ovos_gui (f));

  /* An answer within the second holds. */
  ows_test_peer_clear (f->peer);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, "gui.status.request"));
  ows_test_peer_send (f->peer, "gui.status.request.response", "{\"connected\": true}");
  ows_test_sleep (1300);
  g_assert_true (status_ovos_gui (f));
}

/* A client that needs input on the OVOS screen is not offered without it;
 * headless choice never took it anyway. */
static void
test_offers (Fixture       *f,
             gconstpointer  data)
{
  OwsRegistry *registry = ows_manager_get_registry (f->manager);

  g_free (register_client (f, "screen-input", TRUE));   /* has_gui, requires_input */
  g_free (register_client (f, "screen-only", FALSE));   /* has_gui, no input */
  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  settle ();
  g_assert_false (ows_manager_offers (f->manager, ows_registry_lookup_name (registry, "screen-input")));
  g_assert_true (ows_manager_offers (f->manager, ows_registry_lookup_name (registry, "screen-only")));
  g_assert_cmpint (ows_manager_get_phase (f->manager), ==, OWS_PHASE_SELECTION);

  ows_test_peer_send (f->peer, P "deregister.client", "{\"client\": \"screen-only\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, P "client.deregistered"));
  /* Only the one that cannot work here is left: the screen waits. */
  g_assert_cmpint (ows_manager_get_phase (f->manager), ==, OWS_PHASE_WAITING);
  ows_test_peer_send (f->peer, "gui.status.request.response", "{\"connected\": true}");
  settle ();
  g_assert_true (ows_manager_offers (f->manager, ows_registry_lookup_name (registry, "screen-input")));
  g_assert_cmpint (ows_manager_get_phase (f->manager), ==, OWS_PHASE_SELECTION);
}

/* A client says it is done while the internet is still out of reach: with
 * a screen, the choices come back, saying so; nothing is completed. */
static void
test_finished_without_internet (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *id = register_client (f, "optimist", FALSE);
  g_autofree char *activate = event_type ("activate", id);

  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_test_peer_send (f->peer, P "client.select", "{\"client\": \"optimist\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_CLOSED);
  ows_test_peer_clear (f->peer);
  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, "enclosure.notify.no_internet"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  settle ();
  g_assert_cmpint (ows_manager_get_phase (f->manager), ==, OWS_PHASE_SELECTION);
  g_assert_cmpint (ows_manager_get_outcome (f->manager), ==, OWS_OUTCOME_NO_INTERNET);
  g_assert_cmpstr (ows_client_get_name (ows_manager_get_outcome_client (f->manager)), ==, "optimist");
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 0);
}

/* status */

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(OwsMessage) reply = NULL;

  g_free (register_client (f, "a", TRUE));
  g_free (register_client (f, "b", TRUE));
  ows_test_peer_clear (f->peer);
  ows_test_peer_send (f->peer, P "status", NULL);
  reply = ows_test_peer_expect (f->peer, P "status.response");
  assert_reply_context (reply);
  state = json_object_ref (ows_message_get_data (reply));
  g_assert_true (json_object_get_boolean_member (state, "watchdog_active"));
  g_assert_false (json_object_get_boolean_member (state, "in_setup"));
  g_assert_false (json_object_get_boolean_member (state, "client_in_setup"));
  g_assert_true (json_object_get_null_member (state, "active_client"));
  g_assert_true (json_object_get_null_member (state, "active_client_id"));
  g_assert_cmpstr (json_object_get_string_member (state, "setup_mode"), ==, "normal");
  g_assert_cmpint (json_object_get_int_member (state, "clients"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (state, "connectivity"), ==, "online");
  /* the watchdog runs: alive, as upstream says it */
  ows_test_peer_assert_count (f->peer, P "alive", 1);
  ows_test_peer_assert_count (f->peer, P "status.response", 1);
}

/* "status\u0000x" is another type, not status: no answer. */
static void
test_status_nul (Fixture       *f,
                 gconstpointer  data)
{
  ows_test_peer_send (f->peer, P "status\\u0000x", NULL);
  ows_test_peer_send_raw (f->peer, "{\"type\": \"" P "status\\u0000\"}",
                          strlen ("{\"type\": \"" P "status\\u0000\"}"));
  ows_test_peer_assert_none (f->peer, P "status.response", 300);
  /* ... while a NUL elsewhere in a status request drops it too */
  ows_test_peer_send (f->peer, P "status", "{\"note\": \"\\u0000\"}");
  ows_test_peer_assert_none (f->peer, P "status.response", 300);
  ows_test_peer_send (f->peer, P "status", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "status.response"));
  ows_test_peer_assert_count (f->peer, P "status.response", 1);
}

/* mycroft.internet.connected and mycroft.internet.is_ready */

static void
test_internet_connected (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = register_client (f, "quiet", FALSE);
  g_autofree char *deactivate = event_type ("deactivate", id);
  g_autoptr(OwsMessage) completed = NULL;

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_send (f->peer, "mycroft.internet.connected", NULL);
  completed = ows_test_peer_expect (f->peer, "ovos.wifi.setup.completed");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (completed), "source"), ==,
                   OWS_BUS_NAME);
  ows_message_unref (ows_test_peer_expect (f->peer, "ovos.shell.status.ok"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "stop.setup.event"));
  g_assert_true (ows_config_get_boolean (f->config, OWS_CONFIG_PLUGIN_SECTION, "first_boot", TRUE)
                 == FALSE);
  g_assert_cmpint (ows_connectivity_get_state (f->connectivity), ==, OWS_CONNECTIVITY_ONLINE);
  /* the client ignores stop.setup.event: the app deactivates it after the timeout */
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  g_assert_null (ows_manager_get_active_client (f->manager));

  /* said once: a repeated mycroft.internet.connected is quiet */
  ows_test_peer_send (f->peer, "mycroft.internet.connected", NULL);
  ows_test_peer_assert_count (f->peer, "ovos.wifi.setup.completed", 1);
  ows_test_peer_assert_count (f->peer, "ovos.shell.status.ok", 1);
  ows_test_peer_assert_count (f->peer, deactivate, 1);
}

static void
test_internet_connected_client_answers (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *id = register_client (f, "polite", FALSE);
  g_autofree char *deactivate = event_type ("deactivate", id);

  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_send (f->peer, "mycroft.internet.connected", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "stop.setup.event"));
  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  ows_test_sleep (400);  /* past the stop timeout: no second deactivate */
  ows_test_peer_assert_count (f->peer, deactivate, 1);
}

static gboolean
is_ready (Fixture *f)
{
  g_autoptr(OwsMessage) reply = NULL;

  ows_test_peer_send (f->peer, "mycroft.internet.is_ready", NULL);
  reply = ows_test_peer_expect (f->peer, "mycroft.internet.is_ready.response");
  assert_reply_context (reply);
  return json_object_get_boolean_member (ows_message_get_data (reply), "status");
}

static gboolean
behind_portal (gpointer watchdog)
{
  return ows_connectivity_get_state (watchdog) == OWS_CONNECTIVITY_PORTAL;
}

static void
test_is_ready (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = register_client (f, "c", TRUE);
  g_autofree char *activate = event_type ("activate", id);

  g_assert_true (is_ready (f));   /* online, normal mode */
  ows_test_peer_send (f->peer, P "skip.setup", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "fully_offline"));
  g_assert_true (is_ready (f));   /* skipped */
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"c\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  g_assert_false (is_ready (f));  /* a client is active */
  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_test_peer_send (f->peer, "mycroft.internet.connected", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, "ovos.wifi.setup.completed"));
  g_assert_true (is_ready (f));   /* online */

  /* behind a portal, in normal mode: not ready */
  ows_test_probe_set_mode (f->probe, OWS_TEST_PROBE_WRONG_TEXT);
  ows_connectivity_check (f->connectivity);
  g_assert_true (ows_test_wait_until (behind_portal, f->connectivity, OWS_TEST_TIMEOUT_MS));
  g_assert_false (is_ready (f));
  ows_test_peer_assert_count (f->peer, "mycroft.internet.is_ready.response", 5);
}

/* The frames real clients sent to the upstream plugin, byte for byte. */
static void
test_trace_registration (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) trace = ows_test_load_trace ("real-clients-register.jsonl");
  g_autoptr(OwsMessage) reply = NULL;
  JsonArray *clients;

  for (guint i = 0; i < trace->len; i++)
    {
      const char *frame = g_ptr_array_index (trace, i);

      /* replay what the clients said, not what the upstream plugin answered */
      if (strstr (frame, "register.client") != NULL || strstr (frame, "session.sync") != NULL)
        ows_test_peer_send_raw (f->peer, frame, strlen (frame));
    }
  ows_test_peer_send (f->peer, P "get.registered.clients", NULL);
  reply = ows_test_peer_expect (f->peer, P "registered.clients");
  clients = json_object_get_array_member (ows_message_get_data (reply), "clients");
  g_assert_cmpuint (json_array_get_length (clients), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clients, 0), "client"),
                   ==, "ovos-PHAL-plugin-gui-network-client");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clients, 1), "client"),
                   ==, "BalenaWifiSetupPlugin");
  ows_test_peer_assert_count (f->peer, P "client.registered", 4);  /* each registered twice, as in the trace */
}

/* SIGTERM and SIGINT end here: stop.setup.event goes out, but only while setup runs. */
static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ows_service_stop_finish (OWS_SERVICE (source), result);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
assert_shutdown_says (Fixture *f,
                      guint    stop_events)
{
  gboolean stopped = FALSE;

  ows_service_stop_async (f->service, stopped_cb, &stopped);
  g_assert_true (ows_test_wait_until (is_true, &stopped, OWS_TEST_TIMEOUT_MS));
  ows_test_peer_assert_count (f->peer, P "stop.setup.event", stop_events);
  g_assert_false (ows_bus_get_connected (ows_service_get_bus (f->service)));
}

static void
test_shutdown_idle (Fixture       *f,
                    gconstpointer  data)
{
  assert_shutdown_says (f, 0);
}

static void
test_shutdown_while_setup (Fixture       *f,
                           gconstpointer  data)
{
  g_free (register_client (f, "working", FALSE));
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  assert_shutdown_says (f, 1);
}

/* PROTOCOL.md 2: "never connect" chosen on an earlier run holds at start. */
static void
test_start_offline (void)
{
  g_autoptr(OwsConfig) config = ows_config_new ();
  g_autoptr(GNetworkMonitor) monitor = ows_test_network_monitor_new (FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  g_autoptr(OwsConnectivity) watchdog = ows_connectivity_new (config, monitor);
  g_autoptr(JsonNode) off = json_node_init_boolean (json_node_alloc (), FALSE);
  g_autoptr(OwsManager) normal = ows_manager_new (config, watchdog);
  g_autoptr(OwsManager) offline = NULL;

  g_assert_cmpint (ows_manager_get_setup_mode (normal), ==, OWS_SETUP_MODE_NORMAL);
  g_assert_true (ows_connectivity_is_running (watchdog));
  ows_connectivity_stop (watchdog);
  ows_config_override (config, OWS_CONFIG_PLUGIN_SECTION, "enable_watchdog", off);
  offline = ows_manager_new (config, watchdog);
  g_assert_cmpint (ows_manager_get_setup_mode (offline), ==, OWS_SETUP_MODE_OFFLINE);
  g_assert_false (ows_connectivity_is_running (watchdog));
}

static void
add (const char *name,
     void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *echo = g_strconcat ("/ows/protocol/echo/", name, NULL);
  g_autofree char *no_echo = g_strconcat ("/ows/protocol/no-echo/", name, NULL);

  g_test_add (echo, Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test, fixture_teardown);
  g_test_add (no_echo, Fixture, GINT_TO_POINTER (FALSE), fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

  g_test_add_func ("/ows/protocol/start-offline", test_start_offline);
  add ("register/short-spelling", test_register_short);
  add ("register/long-spelling", test_register_long);
  add ("register/invalid", test_register_invalid);
  add ("register/same-name-again", test_register_again);
  add ("register/full", test_register_full);
  add ("register/nul", test_register_nul);
  add ("register/trace", test_trace_registration);
  add ("deregister/each-field", test_deregister);
  add ("deregister/order-and-unknown", test_deregister_order_and_unknown);
  add ("deregister/active", test_deregister_active);
  add ("deregister/nul", test_deregister_nul);
  add ("get-registered-clients", test_get_registered_clients);
  add ("set-active-client/each-field", test_set_active_client);
  add ("set-active-client/switch", test_set_active_switch);
  add ("set-active-client/unknown", test_set_active_unknown);
  add ("remove-active-client", test_remove_active_client);
  add ("client-setup-failure/screen", test_setup_failure_screen);
  add ("client-setup-failure/headless", test_setup_failure_headless);
  add ("client-select", test_client_select);
  add ("skip-setup", test_skip_setup);
  add ("fully-offline", test_fully_offline);
  add ("fully-offline/corrupt-user-file", test_fully_offline_corrupt_user_file);
  add ("user-activated", test_user_activated);
  add ("user-activated/while-active", test_user_activated_while_active);
  add ("ovos-gui", test_ovos_gui);
  add ("ovos-gui/offers", test_offers);
  add ("remove-active/finished-without-internet", test_finished_without_internet);
  add ("user-activated/headless-first-no-input", test_headless_picks_first_no_input);
  add ("client-select-page-removed", test_page_removed);
  add ("status", test_status);
  add ("status/nul", test_status_nul);
  add ("internet-connected", test_internet_connected);
  add ("internet-connected/client-answers", test_internet_connected_client_answers);
  add ("is-ready", test_is_ready);
  add ("shutdown/idle", test_shutdown_idle);
  add ("shutdown/while-setup", test_shutdown_while_setup);

  return g_test_run ();
}
