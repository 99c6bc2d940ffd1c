/* ows-server-port.c: the port a SoupServer listens on, asked of its socket.
 * SPDX-License-Identifier: Apache-2.0
 *
 * soup_server_get_uris () would tell, but leaks an address in libsoup 3.2.
 */
#include "config.h"

#include "ows-server-port.h"

/* Of its first listener; 0 when it listens nowhere. */
guint
ows_server_port (SoupServer *server)
{
  GSList *listeners = soup_server_get_listeners (server);
  g_autoptr(GSocketAddress) address = NULL;
  guint port = 0;

  if (listeners != NULL)
    address = g_socket_get_local_address (listeners->data, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (address))
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_slist_free (listeners);
  return port;
}
