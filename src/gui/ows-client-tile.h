/* ows-client-tile.h: one registered client on the selection screen; tapping it selects the client.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gtk/gtk.h>

#include "ows-client.h"

G_BEGIN_DECLS

#define OWS_TYPE_CLIENT_TILE (ows_client_tile_get_type ())

G_DECLARE_FINAL_TYPE (OwsClientTile, ows_client_tile, OWS, CLIENT_TILE, GtkButton)

OwsClient *ows_client_tile_get_client (OwsClientTile *self);
void       ows_client_tile_set_client (OwsClientTile *self,
                                       OwsClient     *client);

G_END_DECLS
