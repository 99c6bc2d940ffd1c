/* ows-tool.h: the messagebus connection lifecycle and argument checks the command-line tools share.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-bus.h"

G_BEGIN_DECLS

/* Called once, when the first connection cannot be made (the tool then exits 1). */
typedef void (*OwsToolUnreachable) (const char *reason,
                                    gpointer    user_data);

OwsBus   *ows_tool_bus_new    (const char         *bus_url);
void      ows_tool_bus_start  (OwsBus             *bus,
                               double              timeout_s,
                               double              wait_s,
                               OwsToolUnreachable  unreachable,
                               gpointer            user_data);

gboolean  ows_tool_check_utf8 (const char         *tool,
                               const char         *what,
                               const char         *value);

G_END_DECLS
