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
void ows_manager_set_setup_timeout (OwsManager *self,
                                    guint       timeout_ms);
guint ows_manager_get_setup_timeout (OwsManager *self);

G_END_DECLS
