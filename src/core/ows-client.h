/* ows-client.h: one registered network-setup client.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OWS_TYPE_CLIENT (ows_client_get_type ())

G_DECLARE_FINAL_TYPE (OwsClient, ows_client, OWS, CLIENT, GObject)

OwsClient  *ows_client_new                (const char *name,
                                           const char *id);
const char *ows_client_get_name           (OwsClient  *self);
const char *ows_client_get_id             (OwsClient  *self);
const char *ows_client_get_client_type    (OwsClient  *self);
const char *ows_client_get_display_text   (OwsClient  *self);
gboolean    ows_client_get_has_gui        (OwsClient  *self);
gboolean    ows_client_get_requires_input (OwsClient  *self);
void        ows_client_update             (OwsClient  *self,
                                           const char *client_type,
                                           const char *display_text,
                                           gboolean    has_gui,
                                           gboolean    requires_input);
JsonObject *ows_client_to_json            (OwsClient  *self);

G_END_DECLS
