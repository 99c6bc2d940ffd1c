/* ows-registry.c: the ordered list of registered clients, as a GListModel.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-registry"

#include <errno.h>
#include <sys/random.h>

#include "ows-registry.h"

struct _OwsRegistry
{
  GObject parent_instance;

  GPtrArray *clients;   /* OwsClient, registration order */
  GHashTable *by_name;  /* name → OwsClient (borrowed) */
  GHashTable *by_id;    /* id → OwsClient (borrowed) */
  guint limit;
};

static void ows_registry_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OwsRegistry, ows_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ows_registry_list_model_init))

G_DEFINE_QUARK (ows-registry-error-quark, ows_registry_error)

static GType
ows_registry_get_item_type (GListModel *model)
{
  return OWS_TYPE_CLIENT;
}

static guint
ows_registry_get_n_items (GListModel *model)
{
  return OWS_REGISTRY (model)->clients->len;
}

static gpointer
ows_registry_get_item (GListModel *model,
                       guint       position)
{
  OwsRegistry *self = OWS_REGISTRY (model);

  if (position >= self->clients->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->clients, position));
}

static void
ows_registry_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ows_registry_get_item_type;
  iface->get_n_items = ows_registry_get_n_items;
  iface->get_item = ows_registry_get_item;
}

static void
ows_registry_finalize (GObject *object)
{
  OwsRegistry *self = OWS_REGISTRY (object);

  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->clients);

  G_OBJECT_CLASS (ows_registry_parent_class)->finalize (object);
}

static void
ows_registry_class_init (OwsRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ows_registry_finalize;
}

static void
ows_registry_init (OwsRegistry *self)
{
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

OwsRegistry *
ows_registry_new (guint limit)
{
  OwsRegistry *self = g_object_new (OWS_TYPE_REGISTRY, NULL);

  self->limit = limit > 0 ? limit : OWS_REGISTRY_DEFAULT_LIMIT;
  return self;
}

guint
ows_registry_get_limit (OwsRegistry *self)
{
  g_return_val_if_fail (OWS_IS_REGISTRY (self), 0);
  return self->limit;
}

/* Ids name the client in activate.{id}: anyone who could guess the next one
 * could pre-subscribe to it, so they come from the kernel's CSPRNG rather
 * than GLib's Mersenne Twister (which g_uuid_string_random uses). */
static char *
new_random_id (void)
{
  guint8 bytes[12];
  GString *id;
  gssize got;

  /* Up to 256 bytes come whole once the pool is ready; before that it
   * blocks, and a signal can cut the wait short. No weaker fallback: a
   * guessable id is the very thing this avoids. */
  do
    got = getrandom (bytes, sizeof bytes, 0);
  while (got < 0 && errno == EINTR);
  if (got != sizeof bytes)
    g_error ("The kernel gives no random bytes for client ids: %s", g_strerror (errno));

  id = g_string_sized_new (2 * sizeof bytes);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (id, "%02x", bytes[i]);
  return g_string_free (id, FALSE);
}

static char *
generate_id (OwsRegistry *self)
{
  char *id = new_random_id ();

  while (g_hash_table_contains (self->by_id, id))
    {
      g_free (id);
      id = new_random_id ();
    }
  return id;
}

static const char *
json_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

/* PROTOCOL.md: null counts as absent, and the short spelling wins when both
 * are present. Returns the field's node and the spelling it came from. */
static JsonNode *
pick_field (JsonObject  *data,
            const char  *short_name,
            const char  *long_name,
            const char **spelling)
{
  const char *names[] = { short_name, long_name };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node;

      if (names[i] == NULL)
        continue;
      node = json_object_get_member (data, names[i]);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          *spelling = names[i];
          return node;
        }
    }
  *spelling = short_name;
  return NULL;
}

/* Bounds that no real client comes near, so that a peer cannot make every
 * screen and every status reply carry megabytes. */
#define MAX_NAME_BYTES 256
#define MAX_TEXT_BYTES 16384

static const char *
get_text_field (JsonObject  *data,
                const char  *short_name,
                const char  *long_name,
                gsize        max_bytes,
                GError     **error)
{
  const char *spelling;
  JsonNode *node = pick_field (data, short_name, long_name, &spelling);
  const char *value;
  gsize length;

  if (node == NULL)
    {
      g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID,
                   "The field \"%s\" is missing.", short_name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID,
                   "The field \"%s\" must be a string, not %s.", spelling, json_kind (node));
      return NULL;
    }
  value = json_node_get_string (node);
  length = strlen (value);
  if (length == 0)
    {
      g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID,
                   "The field \"%s\" is empty.", spelling);
      return NULL;
    }
  if (length > max_bytes)
    {
      g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID,
                   "The field \"%s\" is too long (%" G_GSIZE_FORMAT " bytes, at most %"
                   G_GSIZE_FORMAT ").", spelling, length, max_bytes);
      return NULL;
    }
  if (!g_utf8_validate (value, length, NULL))
    {
      g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID,
                   "The field \"%s\" is not valid UTF-8.", spelling);
      return NULL;
    }
  return value;
}

static gboolean
get_flag_field (JsonObject  *data,
                const char  *short_name,
                const char  *long_name,
                gboolean    *value,
                GError     **error)
{
  const char *spelling;
  JsonNode *node = pick_field (data, short_name, long_name, &spelling);

  *value = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_INVALID,
                   "The field \"%s\" must be true or false, not %s.", spelling, json_kind (node));
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* Adds a client, or updates the one of the same name. @id: the id another
 * manager gave it (a view's mirror), or NULL for a new one of ours; a
 * client that restarted keeps its id. */
static OwsClient *
add_or_update (OwsRegistry  *self,
               JsonObject   *data,
               const char   *id,
               gboolean     *out_is_new,
               GError      **error)
{
  const char *name, *type, *text;
  gboolean has_gui, requires_input;
  OwsClient *client;

  if (!(name = get_text_field (data, "client", NULL, MAX_NAME_BYTES, error)) ||
      !(type = get_text_field (data, "type", "client_plugin_type", MAX_NAME_BYTES, error)) ||
      !(text = get_text_field (data, "display_text", "client_plugin_display_text",
                               MAX_TEXT_BYTES, error)) ||
      !get_flag_field (data, "has_gui", "client_plugin_has_gui", &has_gui, error) ||
      !get_flag_field (data, "requires_input", "client_plugin_requires_input",
                       &requires_input, error))
    return NULL;

  client = g_hash_table_lookup (self->by_name, name);
  /* The other manager forgot it and registered it anew. */
  if (client != NULL && id != NULL && g_strcmp0 (ows_client_get_id (client), id) != 0)
    {
      ows_registry_remove (self, client);
      client = NULL;
    }
  if (out_is_new)
    *out_is_new = client == NULL;

  if (client == NULL)
    {
      g_autofree char *new_id = NULL;

      if (self->clients->len >= self->limit)
        {
          g_set_error (error, OWS_REGISTRY_ERROR, OWS_REGISTRY_ERROR_FULL,
                       "The registry is full (%u clients): \"%s\" was not registered.",
                       self->limit, name);
          return NULL;
        }
      if (id != NULL && g_hash_table_contains (self->by_id, id))
        ows_registry_remove (self, g_hash_table_lookup (self->by_id, id));
      new_id = id != NULL ? g_strdup (id) : generate_id (self);
      client = ows_client_new (name, new_id);
      g_ptr_array_add (self->clients, client);
      g_hash_table_insert (self->by_name, (char *) ows_client_get_name (client), client);
      g_hash_table_insert (self->by_id, (char *) ows_client_get_id (client), client);
      ows_client_update (client, type, text, has_gui, requires_input);
      g_list_model_items_changed (G_LIST_MODEL (self), self->clients->len - 1, 0, 1);
      return client;
    }

  ows_client_update (client, type, text, has_gui, requires_input);
  return client;
}

/* Registers a new client or updates the one of the same name (a client that
 * restarted keeps its id). Returns the client (borrowed) or NULL with @error
 * saying which field is wrong. */
OwsClient *
ows_registry_register (OwsRegistry *self,
                       JsonObject  *data,
                       gboolean    *out_is_new,
                       GError     **error)
{
  g_return_val_if_fail (OWS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  return add_or_update (self, data, NULL, out_is_new, error);
}

/* A view of another manager: @entry is a client as that one says it
 * (client.registered, an element of registered.clients), its id included. */
OwsClient *
ows_registry_mirror (OwsRegistry  *self,
                     JsonObject   *entry,
                     GError      **error)
{
  const char *id;

  g_return_val_if_fail (OWS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  id = get_text_field (entry, "id", "client_id", MAX_NAME_BYTES, error);
  if (id == NULL)
    return NULL;
  return add_or_update (self, entry, id, NULL, error);
}

/* A view starting over from the other manager's list. */
void
ows_registry_clear (OwsRegistry *self)
{
  guint n;

  g_return_if_fail (OWS_IS_REGISTRY (self));

  n = self->clients->len;
  if (n == 0)
    return;
  g_hash_table_remove_all (self->by_name);
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->clients, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

OwsClient *
ows_registry_lookup_name (OwsRegistry *self,
                          const char  *name)
{
  g_return_val_if_fail (OWS_IS_REGISTRY (self), NULL);
  return name ? g_hash_table_lookup (self->by_name, name) : NULL;
}

OwsClient *
ows_registry_lookup_id (OwsRegistry *self,
                        const char  *id)
{
  g_return_val_if_fail (OWS_IS_REGISTRY (self), NULL);
  return id ? g_hash_table_lookup (self->by_id, id) : NULL;
}

gboolean
ows_registry_remove (OwsRegistry *self,
                     OwsClient   *client)
{
  guint position;

  g_return_val_if_fail (OWS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (OWS_IS_CLIENT (client), FALSE);

  if (!g_ptr_array_find (self->clients, client, &position))
    return FALSE;

  g_hash_table_remove (self->by_name, ows_client_get_name (client));
  g_hash_table_remove (self->by_id, ows_client_get_id (client));
  g_ptr_array_remove_index (self->clients, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

JsonArray *
ows_registry_to_json (OwsRegistry *self)
{
  JsonArray *array;

  g_return_val_if_fail (OWS_IS_REGISTRY (self), NULL);

  array = json_array_sized_new (self->clients->len);
  for (guint i = 0; i < self->clients->len; i++)
    json_array_add_object_element (array, ows_client_to_json (g_ptr_array_index (self->clients, i)));
  return array;
}
