/* ows-bus-server-private.h: what tests set, count and say in the embedded bus.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-bus-server.h"

G_BEGIN_DECLS

/* Whether a sender hears its own frames (ovos-messagebus: yes; other buses: no). */
void  ows_bus_server_set_echo          (OwsBusServer *self,
                                        gboolean      echo);
guint ows_bus_server_get_n_connections (OwsBusServer *self);
void  ows_bus_server_broadcast         (OwsBusServer *self,
                                        const char   *text);

G_END_DECLS
