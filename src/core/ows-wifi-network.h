/* ows-wifi-network.h: one Wi-Fi network as the list shows it (one SSID).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Several access points with the same name are one network to a person: the
 * strongest one speaks for it. Its properties change in place as scans arrive,
 * so a row keeps its focus and a screen reader its position.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  OWS_WIFI_SECURITY_NONE,        /* open */
  OWS_WIFI_SECURITY_PERSONAL,    /* WPA/WPA2 Personal (PSK) */
  OWS_WIFI_SECURITY_SAE,         /* WPA3 Personal */
  OWS_WIFI_SECURITY_ENTERPRISE,  /* 802.1X: set up elsewhere */
  OWS_WIFI_SECURITY_WEP,         /* obsolete: set up elsewhere */
} OwsWifiSecurity;

#define OWS_TYPE_WIFI_NETWORK (ows_wifi_network_get_type ())

G_DECLARE_FINAL_TYPE (OwsWifiNetwork, ows_wifi_network, OWS, WIFI_NETWORK, GObject)

/* Properties (all read-only, notified on change): "ssid" (string, for people),
 * "strength" (0-100), "signal-level" (1-4), "security", "connected", "saved". */
const char      *ows_wifi_network_get_ssid         (OwsWifiNetwork *self);
GBytes          *ows_wifi_network_get_ssid_bytes   (OwsWifiNetwork *self);
guint            ows_wifi_network_get_strength     (OwsWifiNetwork *self);
guint            ows_wifi_network_get_signal_level (OwsWifiNetwork *self);
OwsWifiSecurity  ows_wifi_network_get_security     (OwsWifiNetwork *self);
gboolean         ows_wifi_network_get_connected    (OwsWifiNetwork *self);
gboolean         ows_wifi_network_get_saved        (OwsWifiNetwork *self);

/* Whether this screen can join it: not enterprise, not WEP. */
gboolean         ows_wifi_network_is_supported     (OwsWifiNetwork *self);
/* Joining it needs a password typed now: secured, supported and not saved. */
gboolean         ows_wifi_network_needs_password   (OwsWifiNetwork *self);

/* For OwsWifi only. */
OwsWifiNetwork  *ows_wifi_network_new              (GBytes          *ssid);
void             ows_wifi_network_update           (OwsWifiNetwork  *self,
                                                    guint            strength,
                                                    OwsWifiSecurity  security,
                                                    gboolean         connected,
                                                    gboolean         saved);

/* 8 to 63 bytes of UTF-8 (what NetworkManager counts), or 64 hexadecimal
 * digits, for WPA and WPA3 Personal; anything for an open network. */
gboolean         ows_wifi_password_is_valid        (OwsWifiSecurity  security,
                                                    const char      *password);

G_END_DECLS
