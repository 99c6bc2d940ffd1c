/* ows-json-text.h: the user's mycroft.conf as text, read strictly and patched in place.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean ows_json_text_is_strict (const char  *data,
                                  gsize        length);
char    *ows_json_text_render    (JsonNode    *node);
void     ows_json_text_patch     (GString     *text,
                                  GString     *blank,
                                  char       **names,
                                  const char  *value);

G_END_DECLS
