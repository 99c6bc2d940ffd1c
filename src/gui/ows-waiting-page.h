/* ows-waiting-page.h: the screen while no setup method has registered yet.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_WAITING_PAGE (ows_waiting_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsWaitingPage, ows_waiting_page, OWS, WAITING_PAGE, AdwBin)

G_END_DECLS
