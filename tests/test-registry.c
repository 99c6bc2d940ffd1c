/* test-registry.c: OwsClient and OwsRegistry: validation, ids, order, the bound.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "ows-registry.h"
#include "ows-test-peer.h"

static void
count_change (guint *changes)
{
  (*changes)++;
}

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

/* A peer may hand over bytes that are not UTF-8 (json-glib decodes a lone
 * surrogate escape into them): refused, so no label or log gets them. */
static void
test_not_utf8 (void)
{
  const char *fields[] = { "client", "type", "display_text" };
  const char *bad[] = { "\xff", "x\xed\xa0\x80y", "\xc0\x80", "cut \xe2\x80" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    for (guint j = 0; j < G_N_ELEMENTS (bad); j++)
      {
        g_autoptr(OwsRegistry) registry = ows_registry_new (0);
        g_autoptr(JsonObject) data = json_object_new ();
        g_autoptr(GError) error = NULL;
        g_autofree char *mentions = g_strdup_printf ("\"%s\"", fields[i]);

        for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
          json_object_set_string_member (data, fields[k], k == i ? bad[j] : "ok");
        g_assert_null (ows_registry_register (registry, data, NULL, &error));
        g_assert_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID);
        g_assert_nonnull (strstr (error->message, "UTF-8"));
        g_assert_nonnull (strstr (error->message, mentions));
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
      }
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

/* Ids name clients in activate.{id}: whoever could predict one could act on
 * another client's activation. They are 96 bits from the kernel's CSPRNG. */

#define N_IDS 10000
#define ID_BITS 96

static GPtrArray *
register_many (guint n)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (n);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"client\":\"c%u\",\"type\":\"t\","
                                               "\"display_text\":\"x\"}", i);
      OwsClient *client = register_json (registry, json, NULL, NULL);

      g_assert_nonnull (client);
      g_ptr_array_add (ids, g_strdup (ows_client_get_id (client)));
    }
  return ids;
}

static gboolean
id_bit (const char *id,
        guint       bit)
{
  return (g_ascii_xdigit_value (id[bit / 4]) >> (3 - bit % 4)) & 1;
}

static guint
common_prefix (const char *a,
               const char *b)
{
  guint n = 0;

  while (a[n] != '\0' && a[n] == b[n])
    n++;
  return n;
}

static guint
common_suffix (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint n = 0;

  while (n < la && n < lb && a[la - 1 - n] == b[lb - 1 - n])
    n++;
  return n;
}

/* 24 lowercase hex digits, all distinct. */
static void
test_ids_distinct (void)
{
  g_autoptr(GPtrArray) ids = register_many (N_IDS);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = ids->pdata[i];

      g_assert_cmpuint (strlen (id), ==, ID_BITS / 4);
      for (const char *p = id; *p != '\0'; p++)
        g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (char *) id);
    }
}

/* Each bit is a coin toss: over 10 000 ids, ones at each position within
 * 6 standard deviations (50) of 5 000. A stuck or biased bit is far out. */
static void
test_ids_bit_balance (void)
{
  g_autoptr(GPtrArray) ids = register_many (N_IDS);

  for (guint bit = 0; bit < ID_BITS; bit++)
    {
      guint ones = 0;

      for (guint i = 0; i < ids->len; i++)
        ones += id_bit (ids->pdata[i], bit);
      if (ones < N_IDS / 2 - 300 || ones > N_IDS / 2 + 300)
        g_error ("bit %u is 1 in %u of %u ids", bit, ones, N_IDS);
    }
}

/* One id says nothing of the next: no counter (a constant step, shared
 * leading or trailing digits) and about half the bits differ. A common
 * run of 8 hex digits between neighbours has odds of 2e-6 by chance. */
static void
test_ids_no_structure (void)
{
  g_autoptr(GPtrArray) ids = register_many (N_IDS);
  guint64 first_step = 0;
  gboolean same_step = TRUE;
  guint64 prefix_sum = 0, flipped = 0;

  for (guint i = 1; i < ids->len; i++)
    {
      const char *a = ids->pdata[i - 1], *b = ids->pdata[i];
      guint64 step = g_ascii_strtoull (b + 8, NULL, 16) - g_ascii_strtoull (a + 8, NULL, 16);
      guint prefix = common_prefix (a, b);

      if (i == 1)
        first_step = step;
      same_step &= step == first_step;
      g_assert_cmpuint (prefix, <, 8);
      g_assert_cmpuint (common_suffix (a, b), <, 8);
      prefix_sum += prefix;
      for (guint bit = 0; bit < ID_BITS; bit++)
        flipped += id_bit (a, bit) != id_bit (b, bit);
    }
  g_assert_false (same_step);
  /* Expected 1/15 digit per pair, 667 in all; a counter shares ~20 each. */
  g_assert_cmpuint (prefix_sum, <, 2000);
  /* Expected 48 bits of 96 per pair; a standard deviation of the mean is 0.05. */
  g_assert_cmpfloat ((double) flipped / (ids->len - 1), >, 46.0);
  g_assert_cmpfloat ((double) flipped / (ids->len - 1), <, 50.0);
}

static char *
first_id_after_seed (guint32 seed)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (0);
  OwsClient *client;

  g_random_set_seed (seed);
  client = register_json (registry, "{\"client\":\"a\",\"type\":\"t\",\"display_text\":\"x\"}",
                          NULL, NULL);
  return g_strdup (ows_client_get_id (client));
}

/* Not GLib's Mersenne Twister (g_uuid_string_random's source): its state
 * can be recovered from its outputs, and a seed replays it. */
static void
test_ids_not_glib_prng (void)
{
  g_autofree char *uuid1 = NULL;
  g_autofree char *uuid2 = NULL;
  g_autofree char *id1 = first_id_after_seed (42);
  g_autofree char *id2 = first_id_after_seed (42);

  g_assert_cmpstr (id1, !=, id2);

  /* What the same seed does to an id from GLib's generator. */
  g_random_set_seed (42);
  uuid1 = g_uuid_string_random ();
  g_random_set_seed (42);
  uuid2 = g_uuid_string_random ();
  g_assert_cmpstr (uuid1, ==, uuid2);
}

/* A client that registers again (it restarted) keeps its id, however
 * many others came and went meanwhile. */
static void
test_ids_kept_on_reregister (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (0);
  g_autofree char *id = NULL;
  OwsClient *again;

  id = g_strdup (ows_client_get_id (register_json (registry, "{\"client\":\"phone\",\"type\":\"t\","
                                                             "\"display_text\":\"x\"}", NULL, NULL)));
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"client\":\"c%u\",\"type\":\"t\","
                                               "\"display_text\":\"x\"}", i);
      OwsClient *other = register_json (registry, json, NULL, NULL);

      g_assert_true (ows_registry_remove (registry, other));
    }
  again = register_json (registry, "{\"client\":\"phone\",\"type\":\"Remote\","
                                   "\"display_text\":\"y\"}", NULL, NULL);
  g_assert_cmpstr (ows_client_get_id (again), ==, id);
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

/* A view's mirror: the other manager's ids, kept; a client it registered
 * anew (another id) replaces the old one; an entry without an id or with a
 * bad field is refused, saying which; clear empties it in one change. */
static void
test_mirror (void)
{
  g_autoptr(OwsRegistry) registry = ows_registry_new (OWS_REGISTRY_DEFAULT_LIMIT);
  g_autoptr(JsonObject) a = object_from ("{\"client\":\"a\",\"type\":\"onDevice\","
                                         "\"display_text\":\"A\",\"id\":\"theirsA\"}");
  g_autoptr(JsonObject) b = object_from ("{\"client\":\"b\",\"client_plugin_type\":\"Remote\","
                                         "\"client_plugin_display_text\":\"B\",\"client_id\":\"theirsB\"}");
  g_autoptr(JsonObject) a_again = object_from ("{\"client\":\"a\",\"type\":\"onDevice\","
                                               "\"display_text\":\"A2\",\"id\":\"newA\"}");
  g_autoptr(JsonObject) no_id = object_from ("{\"client\":\"c\",\"type\":\"onDevice\","
                                             "\"display_text\":\"C\"}");
  g_autoptr(JsonObject) bad = object_from ("{\"client\":\"d\",\"type\":\"onDevice\","
                                           "\"display_text\":\"D\",\"id\":\"x\",\"has_gui\":1}");
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_assert_nonnull (ows_registry_mirror (registry, a, &error));
  g_assert_nonnull (ows_registry_mirror (registry, b, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ows_client_get_name (ows_registry_lookup_id (registry, "theirsA")), ==, "a");
  g_assert_cmpstr (ows_client_get_name (ows_registry_lookup_id (registry, "theirsB")), ==, "b");

  g_assert_nonnull (ows_registry_mirror (registry, a_again, &error));
  g_assert_null (ows_registry_lookup_id (registry, "theirsA"));
  g_assert_cmpstr (ows_client_get_display_text (ows_registry_lookup_id (registry, "newA")), ==, "A2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);

  g_assert_null (ows_registry_mirror (registry, no_id, &error));
  g_assert_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "\"id\""));
  g_clear_error (&error);
  g_assert_null (ows_registry_mirror (registry, bad, &error));
  g_assert_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);

  g_signal_connect_swapped (registry, "items-changed", G_CALLBACK (count_change), &changes);
  ows_registry_clear (registry);
  ows_registry_clear (registry);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
  g_assert_null (ows_registry_lookup_name (registry, "b"));
  g_assert_null (ows_registry_lookup_id (registry, "theirsB"));
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

  g_test_add_func ("/ows/registry/valid-spellings", test_valid_spellings);
  g_test_add_func ("/ows/registry/invalid", test_invalid);
  g_test_add_func ("/ows/registry/too-long", test_too_long);
  g_test_add_func ("/ows/registry/not-utf8", test_not_utf8);
  g_test_add_func ("/ows/registry/order-update-remove", test_order_update_remove);
  g_test_add_func ("/ows/registry/ids", test_ids);
  g_test_add_func ("/ows/registry/ids-distinct", test_ids_distinct);
  g_test_add_func ("/ows/registry/ids-bit-balance", test_ids_bit_balance);
  g_test_add_func ("/ows/registry/ids-no-structure", test_ids_no_structure);
  g_test_add_func ("/ows/registry/ids-not-glib-prng", test_ids_not_glib_prng);
  g_test_add_func ("/ows/registry/ids-kept-on-reregister", test_ids_kept_on_reregister);
  g_test_add_func ("/ows/registry/bound", test_bound);
  g_test_add_func ("/ows/registry/default-limit", test_default_limit);
  g_test_add_func ("/ows/registry/json-union", test_json_union);
  g_test_add_func ("/ows/registry/mirror", test_mirror);

  return g_test_run ();
}
