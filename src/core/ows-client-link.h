/* ows-client-link.h: one of our own clients, registered on the bus like any other.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The part every client of ours shares (the built-in Wi-Fi client, the phone
 * setup): while usable, it says register.client in the app's name, again on
 * every `alive`, and deregister.client when it stops being usable; it follows
 * client.registered (its id) and activate.{id} / deactivate.{id} ("active").
 * What the client does once active is its owner's business.
 */
#pragma once

#include "ows-service.h"

G_BEGIN_DECLS

#define OWS_TYPE_CLIENT_LINK (ows_client_link_get_type ())

G_DECLARE_FINAL_TYPE (OwsClientLink, ows_client_link, OWS, CLIENT_LINK, GObject)

/* @service must be started (it has its bus). Nothing is said until
 * ows_client_link_set_usable (TRUE). */
OwsClientLink *ows_client_link_new            (OwsService    *service,
                                               const char    *name,
                                               const char    *type,
                                               const char    *display_text,
                                               gboolean       has_gui,
                                               gboolean       requires_input);
void           ows_client_link_set_usable     (OwsClientLink *self,
                                               gboolean       usable);
/* Registered, and the manager gave it an id ("registered"). */
gboolean       ows_client_link_get_registered (OwsClientLink *self);
/* The manager made it the active client ("active"). */
gboolean       ows_client_link_get_active     (OwsClientLink *self);
/* Says OWS_PREFIX @request with @data (taken; NULL for none), "client" set to our name. */
void           ows_client_link_say            (OwsClientLink *self,
                                               const char    *request,
                                               JsonObject    *data);

G_END_DECLS
