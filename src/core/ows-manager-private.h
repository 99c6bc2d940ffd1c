/* ows-manager-private.h: what tests set in the manager.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-manager.h"

G_BEGIN_DECLS

void ows_manager_set_stop_timeout  (OwsManager *self,
                                    guint       timeout_ms);
void ows_manager_set_realive_delay (OwsManager *self,
                                    guint       delay_ms);

G_END_DECLS
