/* ows-server-port.h: the port a SoupServer listens on, asked of its socket.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

guint ows_server_port (SoupServer *server);

G_END_DECLS
