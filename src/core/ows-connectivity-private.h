/* ows-connectivity-private.h: what tests and benchmarks set and count in the watchdog.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-connectivity.h"

G_BEGIN_DECLS

guint ows_connectivity_get_probe_count   (OwsConnectivity *self);
void  ows_connectivity_set_probe_timeout (OwsConnectivity *self,
                                          guint            timeout_ms);

G_END_DECLS
