/* ows-registry.h: the ordered list of registered clients, as a GListModel.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>
#include "ows-client.h"

G_BEGIN_DECLS

#define OWS_REGISTRY_ERROR (ows_registry_error_quark ())

typedef enum
{
  OWS_REGISTRY_ERROR_INVALID,  /* a field is missing or of the wrong type */
  OWS_REGISTRY_ERROR_FULL,     /* the bound is reached; nothing is evicted */
} OwsRegistryError;

#define OWS_REGISTRY_DEFAULT_LIMIT 256

#define OWS_TYPE_REGISTRY (ows_registry_get_type ())

G_DECLARE_FINAL_TYPE (OwsRegistry, ows_registry, OWS, REGISTRY, GObject)

GQuark       ows_registry_error_quark  (void);
OwsRegistry *ows_registry_new          (guint        limit);
OwsClient   *ows_registry_register     (OwsRegistry *self,
                                        JsonObject  *data,
                                        gboolean    *out_is_new,
                                        GError     **error);
OwsClient   *ows_registry_mirror       (OwsRegistry *self,
                                        JsonObject  *entry,
                                        GError     **error);
void         ows_registry_clear        (OwsRegistry *self);
OwsClient   *ows_registry_lookup_name  (OwsRegistry *self,
                                        const char  *name);
OwsClient   *ows_registry_lookup_id    (OwsRegistry *self,
                                        const char  *id);
gboolean     ows_registry_remove       (OwsRegistry *self,
                                        OwsClient   *client);
guint        ows_registry_get_limit    (OwsRegistry *self);
JsonArray   *ows_registry_to_json      (OwsRegistry *self);

G_END_DECLS
