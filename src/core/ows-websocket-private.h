/* ows-websocket-private.h: letting go of a WebSocket, as the bus client and server both do.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <libsoup/soup.h>

static inline void
ows_websocket_release_cb (SoupWebsocketConnection *conn,
                          gpointer                 user_data)
{
  g_object_unref (conn);
}

/* Takes over the caller's reference (its own handlers already disconnected):
 * an open connection is closed with @code and keeps that reference until its
 * close handshake is over, so nothing calls back into a finished owner. */
static inline void
ows_websocket_close_and_release (SoupWebsocketConnection *conn,
                                 gushort                  code)
{
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_CLOSED)
    {
      g_object_unref (conn);
      return;
    }
  g_signal_connect (conn, "closed", G_CALLBACK (ows_websocket_release_cb), NULL);
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, code, NULL);
}
