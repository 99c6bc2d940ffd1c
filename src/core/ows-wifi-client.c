/* ows-wifi-client.c: the built-in Wi-Fi client, registered on the bus like any other.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "ows-manager.h"
#include "ows-wifi-client.h"

struct _OwsWifiClient
{
  GObject parent_instance;

  OwsService *service;
  OwsWifi *wifi;
  char *id;             /* the manager's id for us, while registered */
  gboolean registered;  /* we said register.client, and no deregister.client since */
  gboolean active;      /* activate.{id} heard, and no deactivate.{id} since */
};

G_DEFINE_FINAL_TYPE (OwsWifiClient, ows_wifi_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_REGISTERED,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A Wi-Fi device that is only switched off still counts: the page has a
 * button to switch it on. */
static gboolean
usable (OwsWifiClient *self)
{
  return ows_wifi_get_state (self->wifi) != OWS_WIFI_STATE_ABSENT;
}

static void
say (OwsWifiClient *self,
     const char    *request,
     JsonObject    *data)
{
  g_autofree char *type = g_strconcat (OWS_PREFIX, request, NULL);

  ows_service_request (self->service, type, data);
}

static void
say_register (OwsWifiClient *self)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "client", OWS_WIFI_CLIENT_NAME);
  json_object_set_string_member (data, "type", "onDevice");
  json_object_set_string_member (data, "display_text", OWS_WIFI_CLIENT_DISPLAY_TEXT);
  json_object_set_boolean_member (data, "has_gui", TRUE);
  json_object_set_boolean_member (data, "requires_input", TRUE);
  self->registered = TRUE;
  say (self, "register.client", data);
}

static void
set_active (OwsWifiClient *self,
            gboolean       active)
{
  if (self->active == active)
    return;
  self->active = active;
  /* Sent away (Back to Choices, another client chosen): nothing half done stays. */
  if (!active)
    ows_wifi_cancel (self->wifi);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
set_id (OwsWifiClient *self,
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

static void
sync_registration (OwsWifiClient *self)
{
  if (usable (self) && !self->registered)
    say_register (self);
  else if (!usable (self) && self->registered)
    {
      JsonObject *data = json_object_new ();

      json_object_set_string_member (data, "client", OWS_WIFI_CLIENT_NAME);
      if (self->id != NULL)
        json_object_set_string_member (data, "client_id", self->id);
      self->registered = FALSE;
      say (self, "deregister.client", data);
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
is_event_for_us (OwsWifiClient *self,
                 const char    *type,
                 const char    *event)
{
  gsize len = strlen (OWS_PREFIX) + strlen (event);

  return self->id != NULL && g_str_has_prefix (type, OWS_PREFIX) &&
         strncmp (type + strlen (OWS_PREFIX), event, strlen (event)) == 0 &&
         strcmp (type + len, self->id) == 0;
}

static void
message_cb (OwsWifiClient *self,
            OwsMessage    *message)
{
  const char *type = ows_message_get_type_name (message);
  JsonObject *data = ows_message_get_data (message);

  if (g_strcmp0 (type, OWS_PREFIX "alive") == 0)
    {
      /* The manager (re)started: it knows no one. */
      if (usable (self))
        say_register (self);
    }
  else if (g_strcmp0 (type, OWS_PREFIX "client.registered") == 0)
    {
      if (g_strcmp0 (string_member (data, "client"), OWS_WIFI_CLIENT_NAME) == 0)
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

/* Done as any client is done: the manager asks the watchdog and completes. */
static void
attempt_cb (OwsWifiClient *self)
{
  JsonObject *data;

  if (!self->active || ows_wifi_get_attempt (self->wifi) != OWS_WIFI_ATTEMPT_CONNECTED)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "client", OWS_WIFI_CLIENT_NAME);
  say (self, "remove.active.client", data);
}

static void
ows_wifi_client_dispose (GObject *object)
{
  OwsWifiClient *self = OWS_WIFI_CLIENT (object);

  g_clear_object (&self->wifi);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (ows_wifi_client_parent_class)->dispose (object);
}

static void
ows_wifi_client_finalize (GObject *object)
{
  OwsWifiClient *self = OWS_WIFI_CLIENT (object);

  g_free (self->id);
  G_OBJECT_CLASS (ows_wifi_client_parent_class)->finalize (object);
}

static void
ows_wifi_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OwsWifiClient *self = OWS_WIFI_CLIENT (object);

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
ows_wifi_client_class_init (OwsWifiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_wifi_client_dispose;
  object_class->finalize = ows_wifi_client_finalize;
  object_class->get_property = ows_wifi_client_get_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_wifi_client_init (OwsWifiClient *self)
{
}

/* @service must be started (it has its bus). */
OwsWifiClient *
ows_wifi_client_new (OwsService *service,
                     OwsWifi    *wifi)
{
  OwsWifiClient *self;

  g_return_val_if_fail (OWS_IS_SERVICE (service), NULL);
  g_return_val_if_fail (OWS_IS_WIFI (wifi), NULL);
  g_return_val_if_fail (ows_service_get_bus (service) != NULL, NULL);

  self = g_object_new (OWS_TYPE_WIFI_CLIENT, NULL);
  self->service = g_object_ref (service);
  self->wifi = g_object_ref (wifi);
  ows_manager_set_window_client (ows_service_get_manager (service), OWS_WIFI_CLIENT_NAME);
  g_signal_connect_object (ows_service_get_bus (service), "message", G_CALLBACK (message_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (wifi, "notify::state", G_CALLBACK (sync_registration), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (wifi, "notify::attempt", G_CALLBACK (attempt_cb), self,
                           G_CONNECT_SWAPPED);
  sync_registration (self);
  return self;
}

OwsWifi *
ows_wifi_client_get_wifi (OwsWifiClient *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_CLIENT (self), NULL);
  return self->wifi;
}

gboolean
ows_wifi_client_get_registered (OwsWifiClient *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_CLIENT (self), FALSE);
  return self->id != NULL;
}

gboolean
ows_wifi_client_get_active (OwsWifiClient *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_CLIENT (self), FALSE);
  return self->active;
}
