/* ows-client-link.c: one of our own clients, registered on the bus like any other.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "ows-client-link.h"

struct _OwsClientLink
{
  GObject parent_instance;

  OwsService *service;
  char *name;
  char *type;
  char *display_text;
  gboolean has_gui;
  gboolean requires_input;

  gboolean usable;      /* the owner can work here */
  char *id;             /* the manager's id for us, while registered */
  gboolean registered;  /* we said register.client, and no deregister.client since */
  gboolean active;      /* activate.{id} heard, and no deactivate.{id} since */
};

G_DEFINE_FINAL_TYPE (OwsClientLink, ows_client_link, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_REGISTERED,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
ows_client_link_say (OwsClientLink *self,
                     const char    *request,
                     JsonObject    *data)
{
  g_autofree char *type = g_strconcat (OWS_PREFIX, request, NULL);

  g_return_if_fail (OWS_IS_CLIENT_LINK (self));

  if (data == NULL)
    data = json_object_new ();
  json_object_set_string_member (data, "client", self->name);
  ows_service_request (self->service, type, data);
}

static void
say_register (OwsClientLink *self)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "type", self->type);
  json_object_set_string_member (data, "display_text", self->display_text);
  json_object_set_boolean_member (data, "has_gui", self->has_gui);
  json_object_set_boolean_member (data, "requires_input", self->requires_input);
  self->registered = TRUE;
  ows_client_link_say (self, "register.client", data);
}

static void
set_active (OwsClientLink *self,
            gboolean       active)
{
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
set_id (OwsClientLink *self,
        const char    *id)
{
  if (g_strcmp0 (self->id, id) == 0)
    return;
  g_free (self->id);
  self->id = g_strdup (id);
  if (id == NULL)
    set_active (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

void
ows_client_link_set_usable (OwsClientLink *self,
                            gboolean       usable)
{
  g_return_if_fail (OWS_IS_CLIENT_LINK (self));

  self->usable = !!usable;
  if (self->usable && !self->registered)
    say_register (self);
  else if (!self->usable && self->registered)
    {
      JsonObject *data = json_object_new ();

      if (self->id != NULL)
        json_object_set_string_member (data, "client_id", self->id);
      self->registered = FALSE;
      ows_client_link_say (self, "deregister.client", data);
    }
}

static const char *
string_member (JsonObject *data,
               const char *name)
{
  JsonNode *node = json_object_get_member (data, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_event_for_us (OwsClientLink *self,
                 const char    *type,
                 const char    *event)
{
  gsize len = strlen (OWS_PREFIX) + strlen (event);

  return self->id != NULL && g_str_has_prefix (type, OWS_PREFIX) &&
         strncmp (type + strlen (OWS_PREFIX), event, strlen (event)) == 0 &&
         strcmp (type + len, self->id) == 0;
}

static void
message_cb (OwsClientLink *self,
            OwsMessage    *message)
{
  const char *type = ows_message_get_type_name (message);
  JsonObject *data = ows_message_get_data (message);

  if (g_strcmp0 (type, OWS_PREFIX "alive") == 0)
    {
      /* The manager (re)started: it knows no one. */
      if (self->usable)
        say_register (self);
    }
  else if (g_strcmp0 (type, OWS_PREFIX "client.registered") == 0)
    {
      if (g_strcmp0 (string_member (data, "client"), self->name) == 0)
        set_id (self, string_member (data, "id"));
    }
  else if (g_strcmp0 (type, OWS_PREFIX "client.deregistered") == 0)
    {
      if (self->id != NULL && g_strcmp0 (string_member (data, "id"), self->id) == 0)
        set_id (self, NULL);
    }
  else if (is_event_for_us (self, type, "activate."))
    {
      set_active (self, TRUE);
    }
  else if (is_event_for_us (self, type, "deactivate."))
    {
      set_active (self, FALSE);
    }
}

static void
ows_client_link_dispose (GObject *object)
{
  OwsClientLink *self = OWS_CLIENT_LINK (object);

  g_clear_object (&self->service);
  G_OBJECT_CLASS (ows_client_link_parent_class)->dispose (object);
}

static void
ows_client_link_finalize (GObject *object)
{
  OwsClientLink *self = OWS_CLIENT_LINK (object);

  g_free (self->name);
  g_free (self->type);
  g_free (self->display_text);
  g_free (self->id);
  G_OBJECT_CLASS (ows_client_link_parent_class)->finalize (object);
}

static void
ows_client_link_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OwsClientLink *self = OWS_CLIENT_LINK (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->id != NULL);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_client_link_class_init (OwsClientLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_client_link_dispose;
  object_class->finalize = ows_client_link_finalize;
  object_class->get_property = ows_client_link_get_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_client_link_init (OwsClientLink *self)
{
}

OwsClientLink *
ows_client_link_new (OwsService *service,
                     const char *name,
                     const char *type,
                     const char *display_text,
                     gboolean    has_gui,
                     gboolean    requires_input)
{
  OwsClientLink *self;

  g_return_val_if_fail (OWS_IS_SERVICE (service), NULL);
  g_return_val_if_fail (ows_service_get_bus (service) != NULL, NULL);

  self = g_object_new (OWS_TYPE_CLIENT_LINK, NULL);
  self->service = g_object_ref (service);
  self->name = g_strdup (name);
  self->type = g_strdup (type);
  self->display_text = g_strdup (display_text);
  self->has_gui = has_gui;
  self->requires_input = requires_input;
  g_signal_connect_object (ows_service_get_bus (service), "message", G_CALLBACK (message_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

gboolean
ows_client_link_get_registered (OwsClientLink *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT_LINK (self), FALSE);
  return self->id != NULL;
}

gboolean
ows_client_link_get_active (OwsClientLink *self)
{
  g_return_val_if_fail (OWS_IS_CLIENT_LINK (self), FALSE);
  return self->active;
}
