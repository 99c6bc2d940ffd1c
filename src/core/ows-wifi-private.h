/* ows-wifi-private.h: what OwsHotspot needs of OwsWifi's NetworkManager side.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Not in ows-wifi.h: callers of the model never see libnm, and these hand out
 * libnm's objects as OwsWifi has them (borrowed, may change with NetworkManager).
 */
#pragma once

#include <NetworkManager.h>

#include "ows-wifi.h"

G_BEGIN_DECLS

/* NULL until NetworkManager's bus answered. */
NMClient        *ows_wifi_get_client         (OwsWifi         *self);
/* The Wi-Fi device that join() uses, NULL for none. */
NMDevice        *ows_wifi_get_device         (OwsWifi         *self);
/* Joins @ssid without a listed network, as the model would (the attempt
 * follows): for a network seen before the radio became an access point,
 * which the list no longer shows. */
gboolean         ows_wifi_join_ssid          (OwsWifi         *self,
                                              const char      *ssid,
                                              gboolean         hidden,
                                              OwsWifiSecurity  security,
                                              const char      *password);

G_END_DECLS
