/* ows-wifi-client.h: the built-in Wi-Fi client, registered on the bus like any other.
 * SPDX-License-Identifier: Apache-2.0
 *
 * While OwsWifi is usable (a Wi-Fi device, even switched off), it says
 * register.client (type onDevice, has_gui and requires_input) in the app's
 * name, again on every `alive`, and deregister.client when NetworkManager or
 * its last Wi-Fi device goes away. Activated, it waits for OwsWifi's attempt to
 * end connected and then says remove.active.client, so the manager completes
 * the setup as for any client. The window draws it (the manager's "window
 * client"): no OVOS screen is needed.
 */
#pragma once

#include "ows-service.h"
#include "ows-wifi.h"

G_BEGIN_DECLS

/* The name it registers under; the display text, in English on the bus
 * (our window shows it translated: ows-client-tile.c). */
#define OWS_WIFI_CLIENT_NAME "ovos-wifi-setup-wifi"
#define OWS_WIFI_CLIENT_DISPLAY_TEXT "Choose a Wi-Fi Network"

#define OWS_TYPE_WIFI_CLIENT (ows_wifi_client_get_type ())

G_DECLARE_FINAL_TYPE (OwsWifiClient, ows_wifi_client, OWS, WIFI_CLIENT, GObject)

OwsWifiClient *ows_wifi_client_new        (OwsService    *service,
                                           OwsWifi       *wifi);
OwsWifi       *ows_wifi_client_get_wifi   (OwsWifiClient *self);
/* Registered, and the manager gave it an id. */
gboolean       ows_wifi_client_get_registered (OwsWifiClient *self);
/* The manager made it the active client (activate.{id}). */
gboolean       ows_wifi_client_get_active (OwsWifiClient *self);

G_END_DECLS
