/* ows-message.c: bus frames parsed, built, answered, and peeked at cheaply.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-message"

#include "ows-message.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* json-glib 1.6 recurses once per level with no limit: 100 000 '[' overflow
 * the stack. Python peers cannot even produce 1000 levels. */
#define MAX_DEPTH 512

struct _OwsMessage
{
  gatomicrefcount  ref_count;
  char            *type;
  JsonObject      *data;
  JsonObject      *context;
  gboolean         has_nul;      /* a string of the frame had a \u0000 */
  char            *nul_member;   /* the member of data holding it, if known */
};

G_DEFINE_BOXED_TYPE (OwsMessage, ows_message, ows_message_ref, ows_message_unref)
G_DEFINE_QUARK (ows-message-error-quark, ows_message_error)

/* What the scanners make of a byte outside strings. Everything that strict
 * JSON does not allow there is ODD: json-glib also takes comments, single
 * quotes and "$1f", and after those the scanners would misread strings. */
enum
{
  BYTE_ODD = 0,
  BYTE_SPACE,
  BYTE_SCALAR,
  BYTE_PUNCT,
  BYTE_QUOTE,
  BYTE_OPEN,
  BYTE_CLOSE,
};

static const guint8 byte_class[256] = {
  [' '] = BYTE_SPACE, ['\t'] = BYTE_SPACE, ['\n'] = BYTE_SPACE, ['\r'] = BYTE_SPACE,
  ['0' ... '9'] = BYTE_SCALAR, ['a' ... 'z'] = BYTE_SCALAR, ['A' ... 'Z'] = BYTE_SCALAR,
  ['-'] = BYTE_SCALAR, ['+'] = BYTE_SCALAR, ['.'] = BYTE_SCALAR,
  [':'] = BYTE_PUNCT, [','] = BYTE_PUNCT,
  ['"'] = BYTE_QUOTE,
  ['{'] = BYTE_OPEN, ['['] = BYTE_OPEN,
  ['}'] = BYTE_CLOSE, [']'] = BYTE_CLOSE,
};

OwsMessage *
ows_message_new (const char *type,
                 JsonObject *data,
                 JsonObject *context)
{
  OwsMessage *self;

  g_return_val_if_fail (type != NULL && *type != '\0', NULL);

  self = g_new0 (OwsMessage, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->type = g_strdup (type);
  self->data = data != NULL ? data : json_object_new ();
  self->context = context != NULL ? context : json_object_new ();

  return self;
}

OwsMessage *
ows_message_ref (OwsMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ows_message_unref (OwsMessage *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->type);
  g_free (self->nul_member);
  json_object_unref (self->data);
  json_object_unref (self->context);
  g_free (self);
}

const char *
ows_message_get_type_name (OwsMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->type;
}

JsonObject *
ows_message_get_data (OwsMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

JsonObject *
ows_message_get_context (OwsMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->context;
}

/* TRUE when a string of the frame held a NUL, which json-glib cut off there;
 * @data_member (nullable) gets the member of data that held it, or NULL
 * when it was elsewhere (context, a name) or cannot be told. */
gboolean
ows_message_has_nul (OwsMessage  *self,
                     const char **data_member)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (data_member != NULL)
    *data_member = self->nul_member;
  return self->has_nul;
}

/* Value of the four hex digits at p, or -1. */
static int
read_hex4 (const char *p,
           const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* json-glib 1.6 swallows the byte after a short "\u12" or a lone surrogate,
 * even a closing quote, and turns a lone surrogate into invalid UTF-8 that
 * would reach labels. It also takes C's escapes: "\377" is the byte 0xff,
 * "\0" ends the string there, "\q" is "q". Such frames are refused; the
 * peek can then count on strings ending where json-glib ends them, and no
 * string we echo back (in a reply's context) is invalid UTF-8, which
 * libsoup refuses to send as text.
 * Returns the end of the escape whose backslash precedes p, or NULL. */
static const char *
check_escape (const char *p,
              const char *end,
              gboolean   *nul)
{
  int unit, low;

  if (p == end)
    return end;
  if (*p != 'u')
    return *p != '\0' && strchr ("\"\\/bfnrt", *p) != NULL ? p + 1 : NULL;

  unit = read_hex4 (p + 1, end);
  if (unit < 0)
    return NULL;
  p += 5;
  if (unit == 0)
    *nul = TRUE;
  if (unit < 0xD800 || unit > 0xDFFF)
    return p;

  if (unit >= 0xDC00 || end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return NULL;
  low = read_hex4 (p + 2, end);
  if (low < 0xDC00 || low > 0xDFFF)
    return NULL;

  return p + 6;
}

/* From just after an opening quote: the end of the string, end when it is
 * unterminated (json-glib will say so), NULL for a malformed escape. Every
 * escape before a quote is checked before the next quote is looked for, or a
 * long string of "\n"s would cost its length squared. */
static const char *
check_string (const char *p,
              const char *end,
              gboolean   *nul)
{
  for (;;)
    {
      const char *quote = memchr (p, '"', end - p);
      const char *backslash;

      if (quote == NULL)
        return end;

      while (p <= quote && (backslash = memchr (p, '\\', quote - p)) != NULL)
        {
          p = check_escape (backslash + 1, end, nul);
          if (p == NULL)
            return NULL;
        }

      if (p <= quote)
        return quote + 1;
    }
}

/* Numbers json-glib 1.6 would misread or could not write back: it wraps
 * integers beyond 64 bits (100000000000000000000 reads as -1), reads 1e400
 * as infinity and writes that as "inf.0", and writes a double whose
 * shortest form has an exponent but no point with ".0" appended
 * ("1e+21.0"). A reply echoing such a number (in the request's context)
 * would say something else, or be no JSON at all. Such numbers are
 * refused; the common ones, short integers, cost no conversion. */
static gboolean
check_number (const char *start,
              const char *end)
{
  char written[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *number = NULL;
  const char *p;
  double value;

  if (*start != '-' && !g_ascii_isdigit (*start))
    return TRUE;
  for (p = start; p < end && *p != '.' && *p != 'e' && *p != 'E'; p++)
    ;
  if (p == end && end - start < 18)
    return TRUE;

  number = g_strndup (start, end - start);
  errno = 0;
  if (p == end)
    {
      g_ascii_strtoll (number, NULL, 10);
      return errno != ERANGE;
    }

  value = g_ascii_strtod (number, NULL);
  g_ascii_dtostr (written, sizeof written, value);
  return isfinite (value) && (strchr (written, '.') != NULL || strchr (written, 'e') == NULL);
}

/* The guard run before json-glib sees a frame. json-glib 1.6 takes more than
 * JSON: comments, single quotes, "$1f", several values in a row (leaking all
 * but the first, a leak a peer could repeat forever). We take strict JSON's
 * shape only, which is all real peers send, so that json-glib, the depth
 * count and the peek all read the same strings and brackets. */
static gboolean
check_frame (const char  *text,
             const char  *end,
             gboolean    *nul,
             GError     **error)
{
  const char *p = text;
  gsize depth = 0;
  gboolean complete = FALSE;

  while (p < end)
    {
      guint8 class = byte_class[(guchar) *p];

      if (complete && class != BYTE_SPACE)
        {
          g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                       "The frame is not JSON: more follows its value at byte %" G_GSIZE_FORMAT ".",
                       (gsize) (p - text));
          return FALSE;
        }

      switch (class)
        {
        case BYTE_ODD:
          g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                       "The frame is not JSON: unexpected byte 0x%02x at byte %" G_GSIZE_FORMAT ".",
                       (guchar) *p, (gsize) (p - text));
          return FALSE;

        case BYTE_QUOTE:
          p = check_string (p + 1, end, nul);
          if (p == NULL)
            {
              g_set_error_literal (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                                   "The frame is not JSON: it has a malformed escape.");
              return FALSE;
            }
          complete = depth == 0;
          continue;

        case BYTE_OPEN:
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                           "The frame is nested deeper than %d levels.", MAX_DEPTH);
              return FALSE;
            }
          break;

        case BYTE_CLOSE:
          /* A stray one is json-glib's to report. */
          if (depth > 0)
            complete = --depth == 0;
          break;

        case BYTE_SCALAR:
          {
            const char *start = p;

            while (p < end && byte_class[(guchar) *p] == BYTE_SCALAR)
              p++;
            if (!check_number (start, p))
              {
                g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                             "The frame's number at byte %" G_GSIZE_FORMAT
                             " cannot be read and written back exactly.", (gsize) (start - text));
                return FALSE;
              }
            complete = depth == 0;
            continue;
          }

        default:
          break;
        }

      p++;
    }

  return TRUE;
}

static gboolean locate_nul (const char  *text,
                            const char  *end,
                            char       **data_member,
                            GError     **error);

static const char *
describe_node (JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return "a string";
  if (type == G_TYPE_BOOLEAN)
    return "a boolean";
  return "a number";
}

OwsMessage *
ows_message_parse (const char  *text,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonObject *object, *data, *context;
  JsonNode *root, *node;
  const char *type;
  gboolean has_nul = FALSE;
  g_autofree char *nul_member = NULL;
  OwsMessage *message;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (text);

  if (!check_frame (text, text + length, &has_nul, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, &json_error))
    {
      g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                   "The frame is not JSON: %s", json_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON,
                           "The frame is not JSON: it is empty.");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_NOT_OBJECT,
                   "The frame is %s, not a JSON object.", describe_node (root));
      return NULL;
    }

  if (has_nul && !locate_nul (text, text + length, &nul_member, error))
    return NULL;

  object = json_node_get_object (root);
  node = json_object_get_member (object, "type");
  type = node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
  if (type == NULL || *type == '\0')
    {
      g_set_error_literal (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_NO_TYPE,
                           "The frame has no string \"type\".");
      return NULL;
    }

  node = json_object_get_member (object, "data");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_BAD_DATA,
                   "The frame's \"data\" is %s, not an object.", describe_node (node));
      return NULL;
    }
  data = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
         ? json_object_ref (json_node_get_object (node)) : NULL;

  /* A non-object context is not worth dropping a request for (PROTOCOL.md). */
  node = json_object_get_member (object, "context");
  context = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
            ? json_object_ref (json_node_get_object (node)) : NULL;

  message = ows_message_new (type, data, context);
  message->has_nul = has_nul;
  message->nul_member = g_steal_pointer (&nul_member);
  return message;
}

char *
ows_message_serialize (OwsMessage *self,
                       gsize      *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", self->type);
  json_object_set_object_member (object, "data", json_object_ref (self->data));
  json_object_set_object_member (object, "context", json_object_ref (self->context));
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, length);
}

/* json_node_copy () shares objects, arrays and even values, so a copy that
 * the caller may change has to be built by hand. */
static JsonNode *copy_node (JsonNode *node);

static void
copy_member (JsonObject *object,
             const char *name,
             JsonNode   *member,
             gpointer    user_data)
{
  json_object_set_member (user_data, name, copy_node (member));
}

static void
copy_element (JsonArray *array,
              guint      index,
              JsonNode  *element,
              gpointer   user_data)
{
  json_array_add_element (user_data, copy_node (element));
}

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();

  json_object_foreach_member (object, copy_member, copy);
  return copy;
}

static JsonNode *
copy_node (JsonNode *node)
{
  JsonNode *copy = json_node_new (JSON_NODE_TYPE (node));

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      json_node_take_object (copy, copy_object (json_node_get_object (node)));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

        json_array_foreach_element (array, copy_element, array_copy);
        json_node_take_array (copy, array_copy);
      }
      break;

    case JSON_NODE_VALUE:
      {
        g_auto(GValue) value = G_VALUE_INIT;

        json_node_get_value (node, &value);
        json_node_set_value (copy, &value);
      }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }

  return copy;
}

static OwsMessage *
derive (OwsMessage *request,
        const char *type,
        JsonObject *data,
        gboolean    swap)
{
  JsonObject *context = copy_object (request->context);

  if (swap
      && json_object_has_member (context, "source")
      && json_object_has_member (context, "destination"))
    {
      JsonNode *source = json_node_ref (json_object_get_member (context, "source"));
      JsonNode *destination = json_node_ref (json_object_get_member (context, "destination"));

      json_object_set_member (context, "source", destination);
      json_object_set_member (context, "destination", source);
    }

  return ows_message_new (type, data, context);
}

OwsMessage *
ows_message_reply (OwsMessage *request,
                   const char *type,
                   JsonObject *data)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (type != NULL && *type != '\0', NULL);

  return derive (request, type, data, TRUE);
}

OwsMessage *
ows_message_response (OwsMessage *request,
                      JsonObject *data)
{
  g_autofree char *type = NULL;

  g_return_val_if_fail (request != NULL, NULL);

  type = g_strconcat (request->type, ".response", NULL);
  return derive (request, type, data, TRUE);
}

OwsMessage *
ows_message_forward (OwsMessage *request,
                     const char *type,
                     JsonObject *data)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (type != NULL && *type != '\0', NULL);

  return derive (request, type, data, FALSE);
}

/* The peek. Strings are skipped with memchr; a quote is escaped when an odd
 * number of backslashes precedes it. check_frame () refuses whatever would
 * make json-glib end a string elsewhere (malformed \u escapes, single quotes,
 * comments), so in every frame that parses this finds json-glib's strings. */
static const char *
skip_string (const char *p,
             const char *end)
{
  const char *start = p;

  for (;;)
    {
      const char *quote = memchr (p, '"', end - p);
      const char *b;

      if (quote == NULL)
        return NULL;

      for (b = quote; b > start && b[-1] == '\\'; b--)
        ;
      if (((quote - b) & 1) == 0)
        return quote + 1;
      p = quote + 1;
    }
}

static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && byte_class[(guchar) *p] == BYTE_SPACE)
    p++;
  return p;
}

/* From just after an opening bracket to just after its closing one. Keys and
 * commas below depth 1 do not matter, so only strings and brackets count. */
static const char *
skip_nested (const char *p,
             const char *end)
{
  gsize depth = 1;

  while (p < end)
    {
      switch (byte_class[(guchar) *p++])
        {
        case BYTE_SPACE:
        case BYTE_SCALAR:
        case BYTE_PUNCT:
          break;

        case BYTE_QUOTE:
          p = skip_string (p, end);
          if (p == NULL)
            return NULL;
          break;

        case BYTE_OPEN:
          depth++;
          break;

        case BYTE_CLOSE:
          if (--depth == 0)
            return p;
          break;

        case BYTE_ODD:
        default:
          return NULL;
        }
    }

  return NULL;
}

static const char *
skip_value (const char *p,
            const char *end)
{
  const char *start = p;

  switch (byte_class[(guchar) *p])
    {
    case BYTE_QUOTE:
      return skip_string (p + 1, end);

    case BYTE_OPEN:
      return skip_nested (p + 1, end);

    case BYTE_SCALAR:
      while (p < end && byte_class[(guchar) *p] == BYTE_SCALAR)
        p++;
      return p > start ? p : NULL;

    default:
      return NULL;
    }
}

gboolean
ows_message_peek_type (const char *text,
                       gsize       length,
                       char        type[OWS_MESSAGE_PEEK_MAX + 1])
{
  const char *end = text + length;
  const char *p, *found = NULL;
  gsize found_length = 0;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  p = skip_space (text, end);
  if (p == end || *p != '{')
    return FALSE;
  p = skip_space (p + 1, end);

  /* Depth 1 is walked member by member: only a key there can be "type". */
  while (p < end && *p != '}')
    {
      const char *key = p + 1;
      gsize key_length;

      if (*p != '"' || (p = skip_string (key, end)) == NULL)
        return FALSE;
      key_length = p - 1 - key;

      p = skip_space (p, end);
      if (p == end || *p != ':')
        return FALSE;
      p = skip_space (p + 1, end);
      if (p == end)
        return FALSE;

      if (key_length == 4 && memcmp (key, "type", 4) == 0)
        {
          /* json-glib keeps the last of two "type"s; not worth guessing. */
          if (found != NULL || *p != '"')
            return FALSE;
          found = p + 1;
          p = skip_string (found, end);
          if (p == NULL)
            return FALSE;
          found_length = p - 1 - found;
        }
      else if (memchr (key, '\\', key_length) != NULL)
        return FALSE;  /* perhaps "typ\u0065" */
      else if ((p = skip_value (p, end)) == NULL)
        return FALSE;

      p = skip_space (p, end);
      if (p < end && *p == ',')
        {
          p = skip_space (p + 1, end);
          if (p == end || *p != '"')
            return FALSE;
        }
      else if (p == end || *p != '}')
        return FALSE;
    }

  if (p == end || skip_space (p + 1, end) != end)
    return FALSE;
  if (found == NULL || found_length == 0 || found_length > OWS_MESSAGE_PEEK_MAX)
    return FALSE;

  /* Raw bytes equal the parsed string only without escapes; control bytes
   * are left to the parser's own judgement. */
  for (gsize i = 0; i < found_length; i++)
    if (found[i] == '\\' || (guchar) found[i] < 0x20)
      return FALSE;

  memcpy (type, found, found_length);
  type[found_length] = '\0';
  return TRUE;
}

/* Whether the JSON between start and end has a \u0000 escape. Strict JSON
 * has backslashes in strings only, each starting an escape: skipping the
 * escaped character keeps "\\u0000" (a backslash, then "u0000") apart. */
static gboolean
span_has_nul (const char *p,
              const char *end)
{
  for (; p < end; p++)
    if (*p == '\\')
      {
        if (end - p >= 6 && memcmp (p + 1, "u0000", 5) == 0)
          return TRUE;
        p++;
      }
  return FALSE;
}

/* For a frame that json-glib parsed as an object and that has a NUL
 * somewhere: refuses it when the NUL is in "type" (its cut value would be
 * taken for another type) or when a top-level name has an escape (which
 * member is "type" is then not worth guessing); otherwise finds the member
 * of "data" that holds the NUL, when its name has no escape. */
static gboolean
locate_nul (const char  *text,
            const char  *end,
            char       **data_member,
            GError     **error)
{
  const char *p = skip_space (text, end);

  g_assert (p < end && *p == '{');
  p = skip_space (p + 1, end);
  while (p < end && *p == '"')
    {
      const char *key = p + 1;
      const char *value;
      gsize key_length;

      p = skip_string (key, end);
      g_assert (p != NULL);
      key_length = p - 1 - key;
      p = skip_space (p, end);
      g_assert (p < end && *p == ':');
      value = skip_space (p + 1, end);
      p = skip_value (value, end);
      g_assert (p != NULL);

      if (memchr (key, '\\', key_length) != NULL)
        {
          g_set_error_literal (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_NUL,
                               "The frame has a NUL character and an escaped member name.");
          return FALSE;
        }
      if (key_length == 4 && memcmp (key, "type", 4) == 0 && span_has_nul (value, p))
        {
          g_set_error_literal (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_NUL,
                               "The frame's \"type\" contains a NUL character.");
          return FALSE;
        }
      if (key_length == 4 && memcmp (key, "data", 4) == 0 && *value == '{'
          && *data_member == NULL)
        {
          const char *q = skip_space (value + 1, p);

          while (q < p && *q == '"')
            {
              const char *name = q + 1;
              const char *member;
              gsize name_length;

              q = skip_string (name, p);
              name_length = q - 1 - name;
              member = skip_space (skip_space (q, p) + 1, p);
              q = skip_value (member, p);
              if (q == NULL)
                break;
              if (span_has_nul (member, q) && memchr (name, '\\', name_length) == NULL)
                {
                  *data_member = g_strndup (name, name_length);
                  break;
                }
              q = skip_space (q, p);
              if (q < p && *q == ',')
                q = skip_space (q + 1, p);
            }
        }

      p = skip_space (p, end);
      if (p < end && *p == ',')
        p = skip_space (p + 1, end);
    }

  return TRUE;
}
