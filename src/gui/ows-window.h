/* ows-window.h: the window: one screen at a time, the page of the manager's phase.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-service.h"

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

G_END_DECLS
