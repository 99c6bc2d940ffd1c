/* ows-connectivity.h: "is the internet up", event-driven (PROTOCOL.md section 4).
 * SPDX-License-Identifier: Apache-2.0
 *
 * The watchdog's senses: GNetworkMonitor says when the network changes, an
 * HTTP probe against network_tests says what the network leads to. What to
 * do about a verdict (launch setup, say completed) is the manager's job.
 */
#pragma once

#include <gio/gio.h>

#include "ows-config.h"

G_BEGIN_DECLS

typedef enum
{
  OWS_CONNECTIVITY_UNKNOWN,
  OWS_CONNECTIVITY_OFFLINE,   /* no network */
  OWS_CONNECTIVITY_NETWORK,   /* a network, but no internet */
  OWS_CONNECTIVITY_PORTAL,    /* a captive portal */
  OWS_CONNECTIVITY_ONLINE,
} OwsConnectivityState;

const char *ows_connectivity_state_to_string (OwsConnectivityState state);

#define OWS_TYPE_CONNECTIVITY (ows_connectivity_get_type ())

G_DECLARE_FINAL_TYPE (OwsConnectivity, ows_connectivity, OWS, CONNECTIVITY, GObject)

OwsConnectivity      *ows_connectivity_new               (OwsConfig       *config,
                                                          GNetworkMonitor *monitor);
void                  ows_connectivity_start             (OwsConnectivity *self);
void                  ows_connectivity_stop              (OwsConnectivity *self);
gboolean              ows_connectivity_is_running        (OwsConnectivity *self);
void                  ows_connectivity_check             (OwsConnectivity *self);
void                  ows_connectivity_assume_online     (OwsConnectivity *self);

OwsConnectivityState  ows_connectivity_get_state         (OwsConnectivity *self);
const char           *ows_connectivity_get_portal_uri    (OwsConnectivity *self);

G_END_DECLS
