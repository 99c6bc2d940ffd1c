/* ows-unreachable-page.h: the screen while the messagebus does not answer.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_UNREACHABLE_PAGE (ows_unreachable_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsUnreachablePage, ows_unreachable_page, OWS, UNREACHABLE_PAGE, AdwBin)

void ows_unreachable_page_set_address (OwsUnreachablePage *self,
                                       const char         *url);
void ows_unreachable_page_set_error   (OwsUnreachablePage *self,
                                       const GError       *error);

G_END_DECLS
