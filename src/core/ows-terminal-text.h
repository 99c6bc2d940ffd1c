/* ows-terminal-text.h: text from the bus made safe to print on a terminal or in a log.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Any peer on the bus can name a client or say a display text, and the
 * tools print them and the manager logs them. Raw, an escape sequence could
 * rewrite the terminal (retitle it, hide lines, fake a prompt), a newline
 * could forge a log line, and a bidirectional control could make the text
 * read in another order. Those characters are shown as \uXXXX instead, and
 * bytes that are not UTF-8 as \xNN; everything else is kept as it was. The
 * \u form is JSON's own, so a JSON text stays valid JSON of the same value.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean ows_terminal_text_is_unsafe (gunichar    c);
/* Returns a new string; NULL gives "". */
char    *ows_terminal_text_escape    (const char *text);

G_END_DECLS
