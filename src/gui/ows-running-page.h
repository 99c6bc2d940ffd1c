/* ows-running-page.h: the screen while a client runs the setup.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-client.h"

G_BEGIN_DECLS

#define OWS_TYPE_RUNNING_PAGE (ows_running_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsRunningPage, ows_running_page, OWS, RUNNING_PAGE, AdwBin)

void ows_running_page_set_client (OwsRunningPage *self,
                                  OwsClient      *client,
                                  gboolean        ovos_gui);

G_END_DECLS
