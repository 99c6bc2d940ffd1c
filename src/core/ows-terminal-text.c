/* ows-terminal-text.c: text from the bus made safe to print on a terminal or in a log.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "ows-terminal-text.h"

/* Controls (C0, DEL, C1), line and paragraph separators, and bidirectional
 * marks, embeddings, overrides and isolates. */
gboolean
ows_terminal_text_is_unsafe (gunichar c)
{
  return g_unichar_iscntrl (c) ||
         c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

char *
ows_terminal_text_escape (const char *text)
{
  GString *out;
  const char *p = text;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (ows_terminal_text_is_unsafe (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}
