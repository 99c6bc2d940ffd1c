/* ows-bus-server.h: a small OVOS-compatible messagebus, for standalone use and tests.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OWS_BUS_SERVER_ERROR (ows_bus_server_error_quark ())

typedef enum
{
  OWS_BUS_SERVER_ERROR_NOT_LOOPBACK,  /* asked to bind beyond 127.0.0.1 without allow-remote */
  OWS_BUS_SERVER_ERROR_IN_USE,        /* something already listens there */
  OWS_BUS_SERVER_ERROR_FAILED,
} OwsBusServerError;

#define OWS_TYPE_BUS_SERVER (ows_bus_server_get_type ())

G_DECLARE_FINAL_TYPE (OwsBusServer, ows_bus_server, OWS, BUS_SERVER, GObject)

GQuark        ows_bus_server_error_quark      (void);
OwsBusServer *ows_bus_server_new              (void);
void          ows_bus_server_set_allow_remote (OwsBusServer *self,
                                               gboolean      allow_remote);
void          ows_bus_server_set_max_msg_size (OwsBusServer *self,
                                               gsize         max_bytes);
gboolean      ows_bus_server_listen           (OwsBusServer *self,
                                               const char   *host,
                                               guint         port,
                                               const char   *route,
                                               GError      **error);
void          ows_bus_server_stop             (OwsBusServer *self);
guint         ows_bus_server_get_port         (OwsBusServer *self);
char         *ows_bus_server_dup_url          (OwsBusServer *self);

G_END_DECLS
