/* ows-peer-probe.h: whether another wifi-setup manager already answers on the bus.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-bus.h"

G_BEGIN_DECLS

/* Who answered the probe. */
typedef enum
{
  OWS_PEER_NONE,      /* nobody: this process is the manager */
  OWS_PEER_OURS,      /* another ovos-wifi-setup (it answers status) */
  OWS_PEER_UPSTREAM,  /* the upstream PHAL plugin (alive, registered.clients, no status) */
} OwsPeer;

/* A manager answers on a local bus within milliseconds: ours in under one,
 * upstream's Python plugin in about 3 (its registered.clients in
 * ../shared/reference/traces); this leaves room for a loaded device. */
#define OWS_PEER_PROBE_DEADLINE_MS 500

void    ows_peer_probe_async    (OwsBus              *bus,
                                 guint                deadline_ms,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
OwsPeer ows_peer_probe_finish   (GAsyncResult        *result,
                                 GError             **error);
gboolean ows_peer_probe_is_own  (OwsMessage          *message);
char   *ows_peer_describe       (OwsPeer              peer,
                                 const char          *bus_url);

G_END_DECLS
