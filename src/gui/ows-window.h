/* ows-window.h: the window: one screen at a time, the page of the manager's phase.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "config.h"
#include "ows-phone-client.h"
#include "ows-service.h"
#if HAVE_LIBNM
#include "ows-wifi.h"
#endif

G_BEGIN_DECLS

#define OWS_TYPE_WINDOW (ows_window_get_type ())

G_DECLARE_FINAL_TYPE (OwsWindow, ows_window, OWS, WINDOW, AdwApplicationWindow)

OwsWindow  *ows_window_new          (GtkApplication *app,
                                     OwsService     *service,
                                     gboolean        kiosk);
OwsPhase    ows_window_get_phase    (OwsWindow      *self);
gboolean    ows_window_get_bus_lost (OwsWindow      *self);
gboolean    ows_window_get_kiosk    (OwsWindow      *self);
void        ows_window_show_status  (OwsWindow      *self);
void        ows_window_set_on_screen_keyboard (OwsWindow *self,
                                               gboolean   enabled);
GtkWidget  *ows_window_get_keyboard (OwsWindow      *self);
void        ows_window_set_phone    (OwsWindow      *self,
                                     OwsPhoneClient *phone);

#if HAVE_LIBNM
void        ows_window_set_wifi     (OwsWindow      *self,
                                     OwsWifi        *wifi);
int         ows_window_get_network_view (OwsWindow  *self);
#endif

G_END_DECLS
