/* ows-checking-page.h: the screen while a client's work is checked against the internet.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_CHECKING_PAGE (ows_checking_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsCheckingPage, ows_checking_page, OWS, CHECKING_PAGE, AdwBin)

G_END_DECLS
