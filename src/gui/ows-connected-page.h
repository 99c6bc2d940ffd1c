/* ows-connected-page.h: the screen that says the device is online.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_CONNECTED_PAGE (ows_connected_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsConnectedPage, ows_connected_page, OWS, CONNECTED_PAGE, AdwBin)

G_END_DECLS
