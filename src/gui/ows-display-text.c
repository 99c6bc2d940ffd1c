/* ows-display-text.c: text from the bus made safe to show in a label.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Any peer on the bus may register a client, so its display text is
 * untrusted: labels show it as plain text (never markup), and here it loses
 * what could disguise it or spill out of its tile: control characters and
 * bidirectional embeddings, overrides and isolates (which could make it read
 * backwards or reorder the text around it), line breaks, towers of
 * combining marks, and everything past a tile's worth of characters.
 *
 * Bidirectional marks (LRM, RLM, ALM) and zero-width characters stay: they
 * cannot reorder letters, and right-to-left scripts, Indic scripts and
 * emoji need them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-display-text.h"
#include "ows-phone-client.h"
#include "ows-wifi-client.h"

/* More than any script stacks on one letter (Vietnamese, Hebrew with
 * cantillation and Tibetan use up to four or five): beyond it, only
 * "Zalgo" text, whose marks would be drawn far above and below the label. */
#define MAX_MARKS_PER_BASE 8

/* A label wraps by itself, and `lines` limits each paragraph, not the
 * label: every line break would add lines to a tile. */
static gboolean
is_break (gunichar c)
{
  return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
         c == 0x85 || c == 0x2028 || c == 0x2029;
}

static gboolean
is_dropped (gunichar c)
{
  if (g_unichar_iscntrl (c))
    return TRUE;
  /* LRE RLE PDF LRO RLO, LRI RLI FSI PDI */
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* Returns valid UTF-8: the first OWS_DISPLAY_TEXT_MAX_CHARS characters kept,
 * then an ellipsis if there were more; invalid UTF-8 ends it; NULL gives "". */
char *
ows_display_text_for_label (const char *text)
{
  GString *out;
  guint n = 0;
  guint marks = 0;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_find_next_char (p, NULL))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (is_break (c))
        c = ' ';
      else if (is_dropped (c))
        continue;
      marks = g_unichar_ismark (c) ? marks + 1 : 0;
      if (marks > MAX_MARKS_PER_BASE)
        continue;
      if (n == OWS_DISPLAY_TEXT_MAX_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, c);
      n++;
    }
  return g_string_free (out, FALSE);
}

/* A client's display text for its tile: our own clients' in the
 * user's language (on the bus it is English), any other's tamed. */
char *
ows_display_text_for_client (OwsClient *client)
{
  const char *text = ows_client_get_display_text (client);

  if (g_strcmp0 (ows_client_get_name (client), OWS_WIFI_CLIENT_NAME) == 0 &&
      g_strcmp0 (text, OWS_WIFI_CLIENT_DISPLAY_TEXT) == 0)
    /* The same words as OWS_WIFI_CLIENT_DISPLAY_TEXT, for the catalogue. */
    return g_strdup (_("Choose a Wi-Fi Network"));
  if (g_strcmp0 (ows_client_get_name (client), OWS_PHONE_CLIENT_NAME) == 0 &&
      g_strcmp0 (text, OWS_PHONE_CLIENT_DISPLAY_TEXT) == 0)
    return g_strdup (_("Set Up With a Phone"));
  return ows_display_text_for_label (text);
}
