/* ows-wifi.h: the Wi-Fi networks NetworkManager sees, and joining one (libnm).
 * SPDX-License-Identifier: Apache-2.0
 *
 * A GListModel of OwsWifiNetwork: one per SSID, the connected one first, then
 * saved ones, then by signal. Items keep their place while only their signal
 * changes (rows do not jump under a finger); they are re-sorted when a network
 * comes, goes, or becomes connected or saved.
 *
 * It owns no widget: the window shows it, the built-in client registers while
 * it is usable. Passwords are handed to NetworkManager, which stores them in
 * the profile; they are never logged and never kept here after the attempt.
 */
#pragma once

#include <gio/gio.h>

#include "ows-wifi-network.h"

G_BEGIN_DECLS

/* Whether Wi-Fi can be used here (the "state" property). */
typedef enum
{
  OWS_WIFI_STATE_ABSENT,        /* no NetworkManager, or no Wi-Fi device (yet) */
  OWS_WIFI_STATE_HARDWARE_OFF,  /* switched off by a switch or key (rfkill) */
  OWS_WIFI_STATE_OFF,           /* switched off in software: ows_wifi_enable() */
  OWS_WIFI_STATE_READY,
} OwsWifiState;

/* The last attempt to join a network (the "attempt" property). */
typedef enum
{
  OWS_WIFI_ATTEMPT_NONE,
  OWS_WIFI_ATTEMPT_CONNECTING,
  OWS_WIFI_ATTEMPT_CONNECTED,       /* the device is activated on it */
  OWS_WIFI_ATTEMPT_WRONG_PASSWORD,  /* the profile that failed is deleted */
  OWS_WIFI_ATTEMPT_FAILED,          /* anything else: "attempt-error" says what */
} OwsWifiAttempt;

#define OWS_TYPE_WIFI (ows_wifi_get_type ())

G_DECLARE_FINAL_TYPE (OwsWifi, ows_wifi, OWS, WIFI, GObject)

/* Connects to NetworkManager on the system bus in the background; "state"
 * stays ABSENT until it answers, and follows it coming and going. */
OwsWifi         *ows_wifi_new                (void);

OwsWifiState     ows_wifi_get_state          (OwsWifi         *self);
/* A wired (Ethernet) connection is up: no Wi-Fi needed. */
gboolean         ows_wifi_get_wired          (OwsWifi         *self);

OwsWifiAttempt   ows_wifi_get_attempt        (OwsWifi         *self);
/* The network of the attempt (its SSID for people), NULL for none. */
const char      *ows_wifi_get_attempt_ssid   (OwsWifi         *self);
/* The attempt's security (what the password field validates against). */
OwsWifiSecurity  ows_wifi_get_attempt_security (OwsWifi       *self);
/* A sentence for people when the attempt FAILED, else NULL. */
const char      *ows_wifi_get_attempt_error  (OwsWifi         *self);

/* While TRUE, asks for a scan now and every ~10 s; FALSE stops every timer
 * (a hidden page costs no wakeups). */
void             ows_wifi_set_scanning       (OwsWifi         *self,
                                              gboolean         scanning);
gboolean         ows_wifi_get_scanning       (OwsWifi         *self);

/* Joins @network: its saved profile if it has one, else a new profile with
 * @password (NULL for an open network). A password that is not valid for the
 * network's security is refused (returns FALSE, nothing sent). */
gboolean         ows_wifi_connect            (OwsWifi         *self,
                                              OwsWifiNetwork  *network,
                                              const char      *password);
/* Joins a network that does not say its name. */
gboolean         ows_wifi_connect_hidden     (OwsWifi         *self,
                                              const char      *ssid,
                                              OwsWifiSecurity  security,
                                              const char      *password);
/* Stops an attempt in progress (the device is disconnected); attempt NONE. */
void             ows_wifi_cancel             (OwsWifi         *self);
/* Forgets how the last attempt ended (attempt NONE); nothing is sent. */
void             ows_wifi_reset_attempt      (OwsWifi         *self);
/* Switches Wi-Fi on (software switch). */
void             ows_wifi_enable             (OwsWifi         *self);

G_END_DECLS
