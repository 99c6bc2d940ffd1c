/* ows-network-page.h: the built-in Wi-Fi client's page: choose a network, join it.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-wifi.h"

G_BEGIN_DECLS

/* What the page shows, derived from the Wi-Fi model and what the user
 * chose (ows_network_page_get_view); each is a view of the template,
 * named by ows_network_view_to_nick(). */
typedef enum
{
  OWS_NETWORK_VIEW_LIST,          /* the networks around, and Other Network… */
  OWS_NETWORK_VIEW_PASSWORD,      /* a secured network's password (again, if it was wrong) */
  OWS_NETWORK_VIEW_HIDDEN,        /* a network that hides its name */
  OWS_NETWORK_VIEW_CONNECTING,
  OWS_NETWORK_VIEW_CONNECTED,
  OWS_NETWORK_VIEW_FAILED,        /* anything but a wrong password: Try Again */
  OWS_NETWORK_VIEW_UNSUPPORTED,   /* enterprise or WEP: set up elsewhere */
  OWS_NETWORK_VIEW_OFF,           /* Turn On Wi-Fi */
  OWS_NETWORK_VIEW_HARDWARE_OFF,  /* a switch turned it off */
  OWS_NETWORK_VIEW_ABSENT,        /* NetworkManager or its Wi-Fi device went away */
  OWS_NETWORK_VIEW_WIRED,         /* a cable already connects: Done */
} OwsNetworkView;

const char *ows_network_view_to_nick (OwsNetworkView view);

#define OWS_TYPE_NETWORK_PAGE (ows_network_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsNetworkPage, ows_network_page, OWS, NETWORK_PAGE, AdwBin)

void            ows_network_page_set_wifi (OwsNetworkPage *self,
                                           OwsWifi        *wifi);
OwsNetworkView  ows_network_page_get_view (OwsNetworkPage *self);
/* Back to the list with nothing chosen: each activation starts afresh. */
void            ows_network_page_reset    (OwsNetworkPage *self);

G_END_DECLS
