/* ows-portal-window.h: a captive portal's sign-in page, in a web view kept on a short leash.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>
#include <webkit/webkit.h>

#include "ows-keyboard.h"

G_BEGIN_DECLS

#define OWS_TYPE_PORTAL_WINDOW (ows_portal_window_get_type ())

G_DECLARE_FINAL_TYPE (OwsPortalWindow, ows_portal_window, OWS, PORTAL_WINDOW, AdwApplicationWindow)

OwsPortalWindow *ows_portal_window_new          (GtkApplication  *app,
                                                 gboolean         kiosk,
                                                 const char      *check_url,
                                                 const char      *check_text);
void             ows_portal_window_load         (OwsPortalWindow *self,
                                                 const char      *uri);
gboolean         ows_portal_window_get_online   (OwsPortalWindow *self);
const char      *ows_portal_window_get_page     (OwsPortalWindow *self);
WebKitWebView   *ows_portal_window_get_web_view (OwsPortalWindow *self);
OwsKeyboard     *ows_portal_window_get_keyboard (OwsPortalWindow *self);

gboolean         ows_portal_uri_is_web          (const char      *uri);

G_END_DECLS
