/* ows-client.c: one registered network-setup client.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-registry"

#include "ows-client.h"

struct _OwsClient
{
  GObject parent_instance;

  char *name;
  char *id;
  char *client_type;
  char *display_text;
  gboolean has_gui;
  gboolean requires_input;
};

G_DEFINE_FINAL_TYPE (OwsClient, ows_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ID,
  PROP_CLIENT_TYPE,
  PROP_DISPLAY_TEXT,
  PROP_HAS_GUI,
  PROP_REQUIRES_INPUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ows_client_finalize (GObject *object)
{
  OwsClient *self = OWS_CLIENT (object);

  g_free (self->name);
  g_free (self->id);
  g_free (self->client_type);
  g_free (self->display_text);

  G_OBJECT_CLASS (ows_client_parent_class)->finalize (object);
}

static void
ows_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OwsClient *self = OWS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CLIENT_TYPE:
      g_value_set_string (value, self->client_type);
      break;
    case PROP_DISPLAY_TEXT:
      g_value_set_string (value, self->display_text);
      break;
    case PROP_HAS_GUI:
      g_value_set_boolean (value, self->has_gui);
      break;
    case PROP_REQUIRES_INPUT:
      g_value_set_boolean (value, self->requires_input);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_client_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  OwsClient *self = OWS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_client_class_init (OwsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ows_client_finalize;
  object_class->get_property = ows_client_get_property;
  object_class->set_property = ows_client_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_CLIENT_TYPE] = g_param_spec_string ("client-type", NULL, NULL, NULL, ro);
  properties[PROP_DISPLAY_TEXT] = g_param_spec_string ("display-text", NULL, NULL, NULL, ro);
  properties[PROP_HAS_GUI] = g_param_spec_boolean ("has-gui", NULL, NULL, FALSE, ro);
  properties[PROP_REQUIRES_INPUT] = g_param_spec_boolean ("requires-input", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_client_init (OwsClient *self)
{
}

OwsClient *
ows_client_new (const char *name,
                const char *id)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (OWS_TYPE_CLIENT, "name", name, "id", id, NULL);
}

const char *
ows_client_get_name (OwsClient *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT (self), NULL);
  return self->name;
}

const char *
ows_client_get_id (OwsClient *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT (self), NULL);
  return self->id;
}

const char *
ows_client_get_client_type (OwsClient *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT (self), NULL);
  return self->client_type;
}

const char *
ows_client_get_display_text (OwsClient *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT (self), NULL);
  return self->display_text;
}

gboolean
ows_client_get_has_gui (OwsClient *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT (self), FALSE);
  return self->has_gui;
}

gboolean
ows_client_get_requires_input (OwsClient *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT (self), FALSE);
  return self->requires_input;
}

static void
set_string (OwsClient  *self,
            char      **field,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (OwsClient *self,
             gboolean  *field,
             gboolean   value,
             guint      prop)
{
  if (*field == !!value)
    return;
  *field = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
ows_client_update (OwsClient  *self,
                   const char *client_type,
                   const char *display_text,
                   gboolean    has_gui,
                   gboolean    requires_input)
{
  g_return_if_fail (OWS_IS_CLIENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->client_type, client_type, PROP_CLIENT_TYPE);
  set_string (self, &self->display_text, display_text, PROP_DISPLAY_TEXT);
  set_boolean (self, &self->has_gui, has_gui, PROP_HAS_GUI);
  set_boolean (self, &self->requires_input, requires_input, PROP_REQUIRES_INPUT);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Every field under both spellings (PROTOCOL.md: answer with the union), so
 * clients written against either document find what they look for. */
JsonObject *
ows_client_to_json (OwsClient *self)
{
  JsonObject *object;

  g_return_val_if_fail (OWS_IS_CLIENT (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "client", self->name);
  json_object_set_string_member (object, "type", self->client_type);
  json_object_set_string_member (object, "display_text", self->display_text);
  json_object_set_boolean_member (object, "has_gui", self->has_gui);
  json_object_set_boolean_member (object, "requires_input", self->requires_input);
  json_object_set_string_member (object, "client_plugin_type", self->client_type);
  json_object_set_string_member (object, "client_plugin_display_text", self->display_text);
  json_object_set_boolean_member (object, "client_plugin_has_gui", self->has_gui);
  json_object_set_boolean_member (object, "client_plugin_requires_input", self->requires_input);
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "client_id", self->id);

  return object;
}
