/* ows-hotspot.h: the device's own setup hotspot, over libnm.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A phone joins the device's own Wi-Fi network, opens the setup page and
 * picks the home network from a list. A radio that is an access point does
 * not scan, so the list is made before the hotspot starts and kept for its
 * whole life. The phone loses the hotspot when the device switches over to
 * the chosen network; when that fails, the same hotspot comes back, so the
 * phone rejoins it by itself and the page can say what went wrong.
 *
 * The hotspot is a profile of its own that never outlives it, and what the
 * device was connected to before is activated again on stop(): nothing about
 * the home network is lost by trying. Passwords are never logged.
 */
#pragma once

#include <gio/gio.h>

#include "ows-wifi.h"

G_BEGIN_DECLS

typedef enum
{
  OWS_HOTSPOT_STATE_OFF,       /* nothing of ours on the radio */
  OWS_HOTSPOT_STATE_SCANNING,  /* the list is made before the radio becomes an access point */
  OWS_HOTSPOT_STATE_STARTING,  /* the access point is asked for */
  OWS_HOTSPOT_STATE_UP,        /* serving: get_subnet() is set */
  OWS_HOTSPOT_STATE_JOINING,   /* the hotspot is down, the chosen network is being joined */
  OWS_HOTSPOT_STATE_JOINED,    /* the device is on the chosen network: done */
  OWS_HOTSPOT_STATE_FAILED,    /* the access point could not start: get_error() says why */
} OwsHotspotState;

#define OWS_TYPE_HOTSPOT (ows_hotspot_get_type ())

G_DECLARE_FINAL_TYPE (OwsHotspot, ows_hotspot, OWS, HOTSPOT, GObject)

OwsHotspot       *ows_hotspot_new            (OwsWifi          *wifi);
/* A Wi-Fi device whose WirelessCapabilities include NM_WIFI_DEVICE_CAP_AP (notified). */
gboolean          ows_hotspot_get_supported  (OwsHotspot       *self);
OwsHotspotState   ows_hotspot_get_state      (OwsHotspot       *self);   /* property "state", notified */
/* ssid: "OVOS-…", 1..32 bytes. password: WPA2 passphrase (8..63), or NULL for an open hotspot. */
void              ows_hotspot_start          (OwsHotspot       *self,
                                              const char       *ssid,
                                              const char       *password);
/* What the scan before the hotspot found (OwsSetupPageNetwork*, strongest first, one per SSID,
 * our own hotspot's SSID left out); empty before. Owned by self. */
GPtrArray        *ows_hotspot_get_networks   (OwsHotspot       *self);
/* The hotspot's subnet while UP (10.42.0.0/24 when the device is 10.42.0.1/24: a
 * GInetAddressMask holds no host bits), else NULL: the peers the setup page serves. */
GInetAddressMask *ows_hotspot_get_subnet     (OwsHotspot       *self);
/* The hotspot's own address while UP (e.g. 10.42.0.1), else NULL: where the page listens. */
GInetAddress     *ows_hotspot_get_address    (OwsHotspot       *self);
/* Only while UP: the hotspot goes down and @ssid is joined (hidden: a network that does not
 * say its name; password NULL or "" for an open one). Ends JOINED; on a wrong password or no
 * IP address the hotspot comes back (STARTING, then UP) with get_error() saying what went wrong
 * in a sentence for people. A join that cannot be tried (a password the network cannot take)
 * goes JOINING and at once UP again, with its sentence. */
void              ows_hotspot_join           (OwsHotspot       *self,
                                              const char       *ssid,
                                              gboolean          hidden,
                                              const char       *password);
const char       *ows_hotspot_get_error      (OwsHotspot       *self);   /* NULL when none; "error", notified */
/* The hotspot goes down, its profile is deleted, and the connection the device had before
 * start() is activated again (nothing about the home network is lost). OFF. Idempotent. */
void              ows_hotspot_stop           (OwsHotspot       *self);

G_END_DECLS
