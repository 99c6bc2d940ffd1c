/* ows-waiting-page.h: the screen while no setup method that can work here has registered.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_WAITING_PAGE (ows_waiting_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsWaitingPage, ows_waiting_page, OWS, WAITING_PAGE, AdwBin)

void ows_waiting_page_set_n_hidden (OwsWaitingPage *self,
                                    guint           n_hidden);

G_END_DECLS
