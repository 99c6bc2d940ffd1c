/* ows-wifi-client.c: the built-in Wi-Fi client, registered on the bus like any other.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "ows-client-link.h"
#include "ows-manager.h"
#include "ows-wifi-client.h"

struct _OwsWifiClient
{
  GObject parent_instance;

  OwsWifi *wifi;
  OwsClientLink *link;
};

G_DEFINE_FINAL_TYPE (OwsWifiClient, ows_wifi_client, G_TYPE_OBJECT)

/* A Wi-Fi device that is only switched off still counts: the page has a
 * button to switch it on. */
static void
sync_usable (OwsWifiClient *self)
{
  ows_client_link_set_usable (self->link, ows_wifi_get_state (self->wifi) != OWS_WIFI_STATE_ABSENT);
}

/* Sent away (Back to Choices, another client chosen): nothing half done stays. */
static void
active_cb (OwsWifiClient *self)
{
  if (!ows_client_link_get_active (self->link))
    ows_wifi_cancel (self->wifi);
}

/* Done as any client is done: the manager asks the watchdog and completes. */
static void
attempt_cb (OwsWifiClient *self)
{
  if (ows_client_link_get_active (self->link) &&
      ows_wifi_get_attempt (self->wifi) == OWS_WIFI_ATTEMPT_CONNECTED)
    ows_client_link_say (self->link, "remove.active.client", NULL);
}

static void
ows_wifi_client_dispose (GObject *object)
{
  OwsWifiClient *self = OWS_WIFI_CLIENT (object);

  g_clear_object (&self->link);
  g_clear_object (&self->wifi);
  G_OBJECT_CLASS (ows_wifi_client_parent_class)->dispose (object);
}

static void
ows_wifi_client_class_init (OwsWifiClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ows_wifi_client_dispose;
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
  self->wifi = g_object_ref (wifi);
  self->link = ows_client_link_new (service, OWS_WIFI_CLIENT_NAME, "onDevice",
                                    OWS_WIFI_CLIENT_DISPLAY_TEXT, TRUE, TRUE);
  ows_manager_add_window_client (ows_service_get_manager (service), OWS_WIFI_CLIENT_NAME);
  g_signal_connect_object (self->link, "notify::active", G_CALLBACK (active_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (wifi, "notify::state", G_CALLBACK (sync_usable), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (wifi, "notify::attempt", G_CALLBACK (attempt_cb), self,
                           G_CONNECT_SWAPPED);
  sync_usable (self);
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
  return ows_client_link_get_registered (self->link);
}

gboolean
ows_wifi_client_get_active (OwsWifiClient *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_CLIENT (self), FALSE);
  return ows_client_link_get_active (self->link);
}
