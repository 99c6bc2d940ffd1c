/* ows-idle-page.h: the screen while no setup runs, with a way to start one.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_IDLE_PAGE (ows_idle_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsIdlePage, ows_idle_page, OWS, IDLE_PAGE, AdwBin)

G_END_DECLS
