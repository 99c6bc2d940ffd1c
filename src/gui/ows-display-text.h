/* ows-display-text.h: text from the bus made safe to show in a label.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "ows-client.h"

G_BEGIN_DECLS

#define OWS_DISPLAY_TEXT_MAX_CHARS 280

char *ows_display_text_for_label  (const char *text);
char *ows_display_text_for_client (OwsClient  *client);

G_END_DECLS
