/* ows-bus.h: the WebSocket client side of the OVOS messagebus.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>
#include "ows-message.h"

G_BEGIN_DECLS

/* Decides from a frame's type alone whether the owner wants it parsed. */
typedef gboolean (*OwsBusFilter) (const char *type,
                                  gpointer    user_data);

#define OWS_TYPE_BUS (ows_bus_get_type ())

G_DECLARE_FINAL_TYPE (OwsBus, ows_bus, OWS, BUS, GObject)

OwsBus     *ows_bus_new                (const char   *url,
                                        gsize         max_incoming);
void        ows_bus_set_filter         (OwsBus       *self,
                                        OwsBusFilter  filter,
                                        gpointer      user_data,
                                        GDestroyNotify destroy);
void        ows_bus_start              (OwsBus       *self);
void        ows_bus_stop               (OwsBus       *self);
void        ows_bus_send               (OwsBus       *self,
                                        OwsMessage   *message);
void        ows_bus_deliver_local      (OwsBus       *self,
                                        OwsMessage   *message);
void        ows_bus_flush_async        (OwsBus       *self,
                                        guint         timeout_ms,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer      user_data);
gboolean    ows_bus_flush_finish       (OwsBus       *self,
                                        GAsyncResult *result,
                                        GError      **error);
gboolean    ows_bus_get_connected      (OwsBus       *self);
const char *ows_bus_get_url            (OwsBus       *self);

G_END_DECLS
