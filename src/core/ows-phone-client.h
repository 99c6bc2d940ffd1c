/* ows-phone-client.h: "Set Up With a Phone", our own client for a device without a screen.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Registered like any other client (type Remote, no input needed, so a
 * headless manager picks it) wherever NetworkManager has a Wi-Fi device that
 * can be an access point, asked over D-Bus without libnm: an idle manager
 * pays nothing for it. Activated, it starts ovos-wifi-setup-hotspot (libnm,
 * the page), which opens a hotspot of the device's own and serves the page a
 * phone picks the home network on; it tells the person what to do (the
 * window's page, or `speak` headless), says it again after a while with
 * nobody on the page, and gives up after longer (client.setup.failure).
 */
#pragma once

#include "ows-service.h"

G_BEGIN_DECLS

#define OWS_PHONE_CLIENT_NAME "ovos-wifi-setup-phone"
/* In English on the bus; our window shows it translated (ows-client-tile.c). */
#define OWS_PHONE_CLIENT_DISPLAY_TEXT "Set Up With a Phone"
/* Ours: a peer asks for the hotspot's name and password to be said again. */
#define OWS_PHONE_CLIENT_REPEAT OWS_PREFIX "phone.repeat"

typedef enum
{
  OWS_PHONE_STATE_IDLE,        /* not active */
  OWS_PHONE_STATE_PREPARING,   /* scanning, then starting the hotspot */
  OWS_PHONE_STATE_WAITING,     /* the hotspot is up: join it, open the page */
  OWS_PHONE_STATE_CONNECTING,  /* a network was chosen: the device joins it */
  OWS_PHONE_STATE_RETRY,       /* that failed; the hotspot is back ("sentence" says why) */
} OwsPhoneState;

#define OWS_TYPE_PHONE_CLIENT (ows_phone_client_get_type ())

G_DECLARE_FINAL_TYPE (OwsPhoneClient, ows_phone_client, OWS, PHONE_CLIENT, GObject)

/* @service must be started. @has_window: our window shows the client's page
 * (has_gui on the bus); else it speaks. */
OwsPhoneClient *ows_phone_client_new          (OwsService     *service,
                                               gboolean        has_window);
/* NULL where it cannot run (built without libnm) or mycroft.conf turns it
 * off (phone_setup: false). */
OwsPhoneClient *ows_phone_client_new_if_enabled (OwsService   *service,
                                               gboolean        has_window);
gboolean        ows_phone_client_get_registered (OwsPhoneClient *self);
OwsPhoneState   ows_phone_client_get_state    (OwsPhoneClient *self);
/* The hotspot's name and password (NULL: open) while active. */
const char     *ows_phone_client_get_ssid     (OwsPhoneClient *self);
const char     *ows_phone_client_get_password (OwsPhoneClient *self);
/* The page's address once the hotspot is up. */
const char     *ows_phone_client_get_url      (OwsPhoneClient *self);
/* CONNECTING: the chosen network; RETRY: why joining it failed; else NULL. */
const char     *ows_phone_client_get_sentence (OwsPhoneClient *self);

/* A fresh hotspot password: 12 characters that cannot be misread (no 0/O,
 * 1/l/I) and that a phone's keyboard types without shifting. */
char           *ows_phone_client_new_password (void);
/* "OVOS-" and 4 characters from the machine id: the same device, the same name. */
char           *ows_phone_client_hotspot_name (void);

G_END_DECLS
