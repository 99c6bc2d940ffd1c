/* ows-hotspot-private.h: what the tests change in OwsHotspot.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-hotspot.h"

G_BEGIN_DECLS

/* How long start() waits for the scan's answer (default 10 s). */
void ows_hotspot_set_scan_timeout (OwsHotspot *self,
                                   guint       timeout_ms);

G_END_DECLS
