/* ows-service-private.h: what tests set in the service.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-service.h"

G_BEGIN_DECLS

void ows_service_set_probe_deadline (OwsService *self,
                                     guint       deadline_ms);
void ows_service_set_alone_delay    (OwsService *self,
                                     guint       delay_ms);

G_END_DECLS
