/* ows-service.h: the manager wired to its bus, config and (optionally) embedded bus server.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-bus.h"
#include "ows-bus-server.h"
#include "ows-config.h"
#include "ows-manager.h"

G_BEGIN_DECLS

/* Whether this process manages the setup on its bus (PROTOCOL.md section 1). */
typedef enum
{
  OWS_SERVICE_ROLE_ASKING,    /* not connected yet, or asking whether another manager answers */
  OWS_SERVICE_ROLE_ALONE,     /* no bus yet: the manager works for our window alone */
  OWS_SERVICE_ROLE_MANAGING,  /* the manager answers requests */
  OWS_SERVICE_ROLE_YIELDED,   /* another manager answers: ours says nothing */
  OWS_SERVICE_ROLE_VIEWING,   /* ours mirrors the other one, for a window (ows_service_view) */
} OwsServiceRole;

#define OWS_TYPE_SERVICE (ows_service_get_type ())

G_DECLARE_FINAL_TYPE (OwsService, ows_service, OWS, SERVICE, GObject)

OwsService *ows_service_new            (OwsConfig    *config,
                                        const char   *bus_url,
                                        GNetworkMonitor *monitor);
void        ows_service_set_allow_remote_bus (OwsService *self,
                                              gboolean    allow_remote_bus);
gboolean    ows_service_start          (OwsService   *self,
                                        gboolean      embedded_bus,
                                        GError      **error);
void        ows_service_stop_async     (OwsService   *self,
                                        GAsyncReadyCallback callback,
                                        gpointer      user_data);
void        ows_service_stop_finish    (OwsService   *self,
                                        GAsyncResult *result);
void        ows_service_request        (OwsService   *self,
                                        const char   *type,
                                        JsonObject   *data);
OwsServiceRole ows_service_get_role    (OwsService   *self);
void        ows_service_view           (OwsService   *self);
OwsConfig  *ows_service_get_config     (OwsService   *self);
OwsManager *ows_service_get_manager    (OwsService   *self);
OwsConnectivity *ows_service_get_connectivity (OwsService *self);
OwsBus     *ows_service_get_bus        (OwsService   *self);
OwsBusServer *ows_service_get_server   (OwsService   *self);

G_END_DECLS
