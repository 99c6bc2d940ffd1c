/* ows-offline-page.h: the screen after "Connect later" or "Never connect".
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-manager.h"

G_BEGIN_DECLS

#define OWS_TYPE_OFFLINE_PAGE (ows_offline_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsOfflinePage, ows_offline_page, OWS, OFFLINE_PAGE, AdwBin)

void ows_offline_page_set_mode (OwsOfflinePage *self,
                                OwsSetupMode    mode);

G_END_DECLS
