/* ows-bus-private.h: what only the tests may change or ask of an OwsBus.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-bus.h"

G_BEGIN_DECLS

/* The timers a bus starts with, for a test that shortens only some of them. */
#define OWS_BUS_DEFAULT_KEEPALIVE_S         15
#define OWS_BUS_DEFAULT_SILENCE_MS          45000
#define OWS_BUS_DEFAULT_CONNECT_TIMEOUT_MS  5000

void  ows_bus_set_timing        (OwsBus *self,
                                 guint   keepalive_s,
                                 guint   silence_ms,
                                 guint   connect_timeout_ms);
guint ows_bus_get_queue_length  (OwsBus *self);

G_END_DECLS
