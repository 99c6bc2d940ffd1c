/* ows-network-row.h: one Wi-Fi network in the network page's list.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-wifi-network.h"

G_BEGIN_DECLS

#define OWS_TYPE_NETWORK_ROW (ows_network_row_get_type ())

G_DECLARE_FINAL_TYPE (OwsNetworkRow, ows_network_row, OWS, NETWORK_ROW, AdwActionRow)

GtkWidget      *ows_network_row_new         (OwsWifiNetwork *network);
OwsWifiNetwork *ows_network_row_get_network (OwsNetworkRow  *self);

G_END_DECLS
