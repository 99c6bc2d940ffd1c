/* test-registry.c: OwsClient and OwsRegistry: validation, ids, order, the bound.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "ows-registry.h"
#include "ows-test-peer.h"

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static OwsClient *
register_json (OwsRegistry *registry,
               const char  *json,
               gboolean    *is_new,
               GError     **error)
{
  g_autoptr(JsonObject) data = object_from (json);

  return ows_registry_register (registry, data, is_new, error);
}

typedef struct {
  const char *json;
  const char *type, *text;
  gboolean has_gui, requires_input;
} ValidCase;

static void
test_valid_spellings (void)
{
  const ValidCase cases[] = {
    { "{\"client\":\"a\",\"type\":\"onDevice\",\"display_text\":\"On Device\","
      "\"has_gui\":true,\"requires_input\":true}", "onDevice", "On Device", TRUE, TRUE },
    { "{\"client\":\"a\",\"client_plugin_type\":\"Remote\",\"client_plugin_display_text\":\"M\","
      "\"client_plugin_has_gui\":true,\"client_plugin_requires_input\":false}",
      "Remote", "M", TRUE, FALSE },
    /* both spellings: the short one wins */
    { "{\"client\":\"a\",\"type\":\"short\",\"client_plugin_type\":\"long\","
      "\"display_text\":\"S\",\"client_plugin_display_text\":\"L\",\"has_gui\":false,"
      "\"client_plugin_has_gui\":true}", "short", "S", FALSE, FALSE },
    /* null counts as absent, so the other spelling is used */
    { "{\"client\":\"a\",\"type\":null,\"client_plugin_type\":\"long\",\"display_text\":\"T\","
      "\"has_gui\":null,\"requires_input\":null}", "long", "T", FALSE, FALSE },
    /* both booleans false: an audio-only client, accepted */
    { "{\"client\":\"a\",\"type\":\"sound\",\"display_text\":\"Data over sound\"}",
      "sound", "Data over sound", FALSE, FALSE },
    { "{\"client\":\"\u00e9t\u00e9\",\"type\":\"onDevice\",\"display_text\":\"\u05e9\u05dc\u05d5\u05dd <b>&amp;\"}",
      "onDevice", "\u05e9\u05dc\u05d5\u05dd <b>&amp;", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OwsRegistry) registry = ows_registry_new (0);
      g_autoptr(GError) error = NULL;
      gboolean is_new = FALSE;
      OwsClient *client = register_json (registry, cases[i].json, &is_new, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_no_error (error);
      g_assert_nonnull (client);
      g_assert_true (is_new);
      g_assert_cmpstr (ows_client_get_client_type (client), ==, cases[i].type);
      g_assert_cmpstr (ows_client_get_display_text (client), ==, cases[i].text);
      g_assert_cmpint (ows_client_get_has_gui (client), ==, cases[i].has_gui);
      g_assert_cmpint (ows_client_get_requires_input (client), ==, cases[i].requires_input);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
    }
}

typedef struct {
  const char *json;
  const char *mentions;  /* the field the sentence must name */
} InvalidCase;

static void
test_invalid (void)
{
  const InvalidCase cases[] = {
    { "{}", "\"client\"" },
    { "{\"client\":null,\"type\":\"a\",\"display_text\":\"b\"}", "\"client\"" },
    { "{\"client\":\"\",\"type\":\"a\",\"display_text\":\"b\"}", "\"client\"" },
    { "{\"client\":7,\"type\":\"a\",\"display_text\":\"b\"}", "\"client\"" },
    { "{\"client\":[\"x\"],\"type\":\"a\",\"display_text\":\"b\"}", "\"client\"" },
    { "{\"client\":\"x\",\"display_text\":\"b\"}", "\"type\"" },
    { "{\"client\":\"x\",\"type\":\"\",\"display_text\":\"b\"}", "\"type\"" },
    { "{\"client\":\"x\",\"client_plugin_type\":{},\"display_text\":\"b\"}", "\"client_plugin_type\"" },
    { "{\"client\":\"x\",\"type\":\"a\"}", "\"display_text\"" },
    { "{\"client\":\"x\",\"type\":\"a\",\"display_text\":false}", "\"display_text\"" },
    { "{\"client\":\"x\",\"type\":\"a\",\"display_text\":\"b\",\"has_gui\":\"yes\"}", "\"has_gui\"" },
    { "{\"client\":\"x\",\"type\":\"a\",\"display_text\":\"b\",\"client_plugin_requires_input\":1}",
      "\"client_plugin_requires_input\"" },
    /* the first bad field is the one reported */
    { "{\"client\":\"x\",\"type\":1,\"display_text\":2}", "\"type\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OwsRegistry) registry = ows_registry_new (0);
      g_autoptr(GError) error = NULL;
      OwsClient *client = register_json (registry, cases[i].json, NULL, &error);

      g_test_message ("case %u: %s → %s", i, cases[i].json, error ? error->message : "(none)");
      g_assert_null (client);
      g_assert_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      g_assert_true (g_str_has_suffix (error->message, "."));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
    }
}

static void
test_too_long (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (2 * 1024 * 1024, 'x');
  g_autofree char *json = g_strdup_printf ("{\"client\":\"x\",\"type\":\"a\",\"display_text\":\"%s\"}",
                                           text);

  g_assert_null (register_json (registry, json, NULL, &error));
  g_assert_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too long"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_order_update_remove (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (0);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(OwsClient) first = NULL;
  g_autoptr(OwsClient) item = NULL;
  g_autofree char *first_id = NULL;
  gboolean is_new = TRUE;
  OwsClient *again;
  guint notified = 0;

  g_signal_connect (registry, "items-changed", G_CALLBACK (items_changed_cb), log);
  first = g_object_ref (register_json (registry, "{\"client\":\"a\",\"type\":\"t\",\"display_text\":\"A\"}",
                                       NULL, NULL));
  first_id = g_strdup (ows_client_get_id (first));
  register_json (registry, "{\"client\":\"b\",\"type\":\"t\",\"display_text\":\"B\"}", NULL, NULL);
  register_json (registry, "{\"client\":\"c\",\"type\":\"t\",\"display_text\":\"C\"}", NULL, NULL);
  g_assert_cmpstr (log->str, ==, "0-0+1;1-0+1;2-0+1;");

  /* the same name again: same object, same id, fields updated in place */
  g_signal_connect (first, "notify::display-text", G_CALLBACK (count_cb), &notified);
  again = register_json (registry, "{\"client\":\"a\",\"type\":\"t\",\"display_text\":\"A2\"}",
                         &is_new, NULL);
  g_assert_true (again == first);
  g_assert_false (is_new);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (ows_client_get_id (again), ==, first_id);
  g_assert_cmpstr (ows_client_get_display_text (again), ==, "A2");
  g_assert_cmpstr (log->str, ==, "0-0+1;1-0+1;2-0+1;");

  item = g_list_model_get_item (G_LIST_MODEL (registry), 1);
  g_assert_cmpstr (ows_client_get_name (item), ==, "b");
  g_assert_true (ows_registry_lookup_id (registry, first_id) == first);
  g_assert_true (ows_registry_lookup_name (registry, "b") == item);
  g_assert_null (ows_registry_lookup_name (registry, "zzz"));
  g_assert_null (ows_registry_lookup_id (registry, NULL));

  g_assert_true (ows_registry_remove (registry, item));
  g_assert_false (ows_registry_remove (registry, item));
  g_assert_cmpstr (log->str, ==, "0-0+1;1-0+1;2-0+1;1-1+0;");
  g_assert_null (ows_registry_lookup_name (registry, "b"));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (registry), 2));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (registry)) == OWS_TYPE_CLIENT);
}

static void
test_ids (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (1000);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"client\":\"c%u\",\"type\":\"t\","
                                               "\"display_text\":\"x\"}", i);
      OwsClient *client = register_json (registry, json, NULL, NULL);
      const char *id = ows_client_get_id (client);

      g_assert_cmpuint (strlen (id), >=, 16);
      for (const char *p = id; *p; p++)
        g_assert_true (g_ascii_isalnum (*p));
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (char *) id);
    }
}

static void
test_bound (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (3);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"client\":\"c%u\",\"type\":\"t\","
                                               "\"display_text\":\"x\"}", i);
      g_assert_nonnull (register_json (registry, json, NULL, NULL));
    }
  g_assert_null (register_json (registry, "{\"client\":\"new\",\"type\":\"t\",\"display_text\":\"x\"}",
                                NULL, &error));
  g_assert_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 3);
  g_assert_nonnull (ows_registry_lookup_name (registry, "c0"));

  /* a registered client may still update itself when the registry is full */
  g_assert_nonnull (register_json (registry, "{\"client\":\"c0\",\"type\":\"t\",\"display_text\":\"y\"}",
                                   NULL, NULL));
}

static void
test_default_limit (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (0);

  g_assert_cmpuint (ows_registry_get_limit (registry), ==, OWS_REGISTRY_DEFAULT_LIMIT);
}

static void
test_json_union (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (0);
  g_autoptr(JsonArray) array = NULL;
  JsonObject *entry;

  register_json (registry, "{\"client\":\"a\",\"type\":\"Remote\",\"display_text\":\"A\","
                           "\"has_gui\":true}", NULL, NULL);
  array = ows_registry_to_json (registry);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  entry = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "client"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (entry, "type"), ==, "Remote");
  g_assert_cmpstr (json_object_get_string_member (entry, "client_plugin_type"), ==, "Remote");
  g_assert_cmpstr (json_object_get_string_member (entry, "display_text"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (entry, "client_plugin_display_text"), ==, "A");
  g_assert_true (json_object_get_boolean_member (entry, "has_gui"));
  g_assert_true (json_object_get_boolean_member (entry, "client_plugin_has_gui"));
  g_assert_false (json_object_get_boolean_member (entry, "requires_input"));
  g_assert_false (json_object_get_boolean_member (entry, "client_plugin_requires_input"));
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==,
                   json_object_get_string_member (entry, "client_id"));
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

  g_test_add_func ("/ows/registry/valid-spellings", test_valid_spellings);
  g_test_add_func ("/ows/registry/invalid", test_invalid);
  g_test_add_func ("/ows/registry/too-long", test_too_long);
  g_test_add_func ("/ows/registry/order-update-remove", test_order_update_remove);
  g_test_add_func ("/ows/registry/ids", test_ids);
  g_test_add_func ("/ows/registry/bound", test_bound);
  g_test_add_func ("/ows/registry/default-limit", test_default_limit);
  g_test_add_func ("/ows/registry/json-union", test_json_union);

  return g_test_run ();
}
