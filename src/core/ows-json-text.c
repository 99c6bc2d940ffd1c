/* ows-json-text.c: the user's mycroft.conf as text: read as strictly as
 * Python's json.loads does, and patched one value at a time so that every
 * other byte stays as the user wrote it (PROTOCOL.md section 6).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "ows-json-text.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* ---- Strict JSON, as Python's json.loads reads it ----
 * json-glib is lenient (single quotes, comments, a BOM...): a file it reads
 * but OVOS does not must count as broken, or a persist would overwrite what
 * the user has not finished editing. NaN and Infinity, which Python accepts,
 * are refused too: json-glib cannot carry them through, so we never write. */

#define STRICT_MAX_DEPTH 500  /* Python's recursion limit stops near 1000 */

static gsize
skip_ws (const char *s,
         gsize       n,
         gsize       i)
{
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

static gboolean strict_value (const char *s, gsize n, gsize *i, guint depth);

static gboolean
strict_string (const char *s,
               gsize       n,
               gsize      *i)
{
  gsize p = *i;

  if (p >= n || s[p] != '"')
    return FALSE;
  for (p++; p < n; p++)
    {
      guchar c = s[p];

      if (c == '"')
        {
          *i = p + 1;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c == '\\')
        {
          if (++p >= n)
            return FALSE;
          if (s[p] == 'u')
            {
              for (guint k = 1; k <= 4; k++)
                if (p + k >= n || !g_ascii_isxdigit (s[p + k]))
                  return FALSE;
              p += 4;
            }
          else if (strchr ("\"\\/bfnrt", s[p]) == NULL || s[p] == '\0')
            return FALSE;
        }
    }
  return FALSE;
}

static gboolean
strict_number (const char *s,
               gsize       n,
               gsize      *i)
{
  gsize p = *i;

  if (p < n && s[p] == '-')
    p++;
  if (p < n && s[p] == '0')
    p++;
  else if (p < n && s[p] >= '1' && s[p] <= '9')
    while (p < n && g_ascii_isdigit (s[p]))
      p++;
  else
    return FALSE;
  if (p < n && s[p] == '.')
    {
      if (++p >= n || !g_ascii_isdigit (s[p]))
        return FALSE;
      while (p < n && g_ascii_isdigit (s[p]))
        p++;
    }
  if (p < n && (s[p] == 'e' || s[p] == 'E'))
    {
      p++;
      if (p < n && (s[p] == '+' || s[p] == '-'))
        p++;
      if (p >= n || !g_ascii_isdigit (s[p]))
        return FALSE;
      while (p < n && g_ascii_isdigit (s[p]))
        p++;
    }
  *i = p;
  return TRUE;
}

static gboolean
strict_container (const char *s,
                  gsize       n,
                  gsize      *i,
                  guint       depth)
{
  char close = s[*i] == '{' ? '}' : ']';
  gsize p = skip_ws (s, n, *i + 1);

  if (depth > STRICT_MAX_DEPTH)
    return FALSE;
  if (p < n && s[p] == close)
    {
      *i = p + 1;
      return TRUE;
    }
  for (;;)
    {
      if (close == '}')
        {
          if (!strict_string (s, n, &p))
            return FALSE;
          p = skip_ws (s, n, p);
          if (p >= n || s[p] != ':')
            return FALSE;
          p = skip_ws (s, n, p + 1);
        }
      if (!strict_value (s, n, &p, depth + 1))
        return FALSE;
      p = skip_ws (s, n, p);
      if (p < n && s[p] == close)
        {
          *i = p + 1;
          return TRUE;
        }
      if (p >= n || s[p] != ',')
        return FALSE;
      p = skip_ws (s, n, p + 1);
    }
}

static gboolean
strict_value (const char *s,
              gsize       n,
              gsize      *i,
              guint       depth)
{
  static const char *const literals[] = { "true", "false", "null" };

  if (*i >= n)
    return FALSE;
  if (s[*i] == '{' || s[*i] == '[')
    return strict_container (s, n, i, depth);
  if (s[*i] == '"')
    return strict_string (s, n, i);
  for (guint k = 0; k < G_N_ELEMENTS (literals); k++)
    if (n - *i >= strlen (literals[k]) && memcmp (s + *i, literals[k], strlen (literals[k])) == 0)
      {
        *i += strlen (literals[k]);
        return TRUE;
      }
  return strict_number (s, n, i);
}

/* Whether json.loads reads @data, whose comment lines are blanked. */
gboolean
ows_json_text_is_strict (const char *data,
                         gsize       length)
{
  gsize i = 0;

  if (!g_utf8_validate_len (data, length, NULL) || memchr (data, '\0', length) != NULL)
    return FALSE;
  i = skip_ws (data, length, 0);
  if (!strict_value (data, length, &i, 0))
    return FALSE;
  return skip_ws (data, length, i) == length;
}

/* ---- Patching one value into the user's text ----
 * Every byte but the value's own stays as the user wrote it: integers beyond
 * 64 bits, the text of floats, key order, spacing, comment lines. The text
 * is strictly valid (ows_json_text_is_strict ()) with its comment lines blanked in
 * @blank, which has the same offsets as the text itself. */

static gsize
scan_skip_value (const char *s,
                 gsize       i)
{
  guint depth = 0;

  do
    {
      if (s[i] == '"')
        {
          for (i++; s[i] != '"'; i++)
            if (s[i] == '\\')
              i++;
          i++;
        }
      else if (s[i] == '{' || s[i] == '[')
        depth++, i++;
      else if (s[i] == '}' || s[i] == ']')
        depth--, i++;
      else if (depth > 0)
        i++;
      else
        i += strcspn (s + i, ",}] \t\r\n");
    }
  while (depth > 0);
  return i;
}

/* Whether the JSON string at @s (its opening quote) spells @name. */
static gboolean
scan_key_equals (const char *s,
                 gsize       end,
                 const char *name)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *quoted = NULL;
  JsonNode *root;

  if (memchr (s, '\\', end) == NULL)
    return end == strlen (name) + 2 && memcmp (s + 1, name, end - 2) == 0;
  parser = json_parser_new ();
  quoted = g_strdup_printf ("[%.*s]", (int) end, s);
  if (!json_parser_load_from_data (parser, quoted, -1, NULL))
    return FALSE;
  root = json_array_get_element (json_node_get_array (json_parser_get_root (parser)), 0);
  return g_strcmp0 (json_node_get_string (root), name) == 0;
}

/* Compact, as a value is spliced into the user's text. */
char *
ows_json_text_render (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
render_name (const char *name)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), name);

  return ows_json_text_render (node);
}

/* {"a": {"b": value}} for @names a, b, or value alone when there are none. */
static char *
render_nested (char       **names,
               const char  *value)
{
  g_autofree char *inner = NULL;
  g_autofree char *name = NULL;

  if (names[0] == NULL)
    return g_strdup (value);
  inner = render_nested (names + 1, value);
  name = render_name (names[0]);
  return g_strdup_printf ("{%s: %s}", name, inner);
}

static void
splice_both (GString    *text,
             GString    *blank,
             gsize       at,
             gsize       remove,
             const char *insert)
{
  g_string_erase (text, at, remove);
  g_string_insert (text, at, insert);
  g_string_erase (blank, at, remove);
  g_string_insert (blank, at, insert);
}

/* Sets @names (the section's parts, then the key) to @value in the text. */
void
ows_json_text_patch (GString     *text,
                     GString     *blank,
                     char       **names,
                     const char  *value)
{
  const char *s = blank->str;
  gsize object = skip_ws (s, blank->len, 0);

  g_assert (s[object] == '{');
  for (guint d = 0; names[d] != NULL; d++)
    {
      gsize p = skip_ws (s, blank->len, object + 1);
      gsize found = 0, found_end = 0, last_key = 0, last_end = 0;
      g_autofree char *insert = NULL;
      g_autofree char *name = NULL;
      g_autofree char *nested = NULL;

      while (s[p] != '}')
        {
          gsize key = p, key_end = scan_skip_value (s, p);
          gsize start = skip_ws (s, blank->len,
                                        skip_ws (s, blank->len, key_end) + 1);
          gsize end = scan_skip_value (s, start);

          /* Python keeps the last of duplicate keys. */
          if (scan_key_equals (s + key, key_end - key, names[d]))
            found = start, found_end = end;
          last_key = key;
          last_end = end;
          p = skip_ws (s, blank->len, end);
          if (s[p] == ',')
            p = skip_ws (s, blank->len, p + 1);
        }

      if (found != 0 && names[d + 1] != NULL && s[found] == '{')
        {
          object = found;
          continue;
        }
      nested = render_nested (names + d + 1, value);
      if (found != 0)
        {
          splice_both (text, blank, found, found_end - found, nested);
          return;
        }

      name = render_name (names[d]);
      if (last_end == 0)
        insert = g_strdup_printf ("%s: %s", name, nested);
      else
        {
          /* On a line of its own, indented as the last key, when that one is. */
          gsize line = last_key;

          while (line > 0 && s[line - 1] != '\n')
            line--;
          if (strspn (s + line, " \t") == last_key - line)
            insert = g_strdup_printf (",\n%.*s%s: %s", (int) (last_key - line), s + line,
                                      name, nested);
          else
            insert = g_strdup_printf (", %s: %s", name, nested);
        }
      splice_both (text, blank, last_end == 0 ? object + 1 : last_end, 0, insert);
      return;
    }
}
