/* fuzz-message.c: fuzz target: one bus frame through the peek, the parse, and back to the wire.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The input is the text of one frame. The peek may be unsure, never wrong:
 * on every frame the parse takes, a type the peek is sure of is the parsed
 * one. A parsed message serializes to a frame that parses back to the same
 * message, and so do its reply, response and forward, each with a context
 * of its own and PROTOCOL.md's source/destination swap.
 */
#include <string.h>

#include "ows-fuzz.h"
#include "ows-message.h"

#define REPLY_TYPE "fuzz.reply"
#define FORWARD_TYPE "fuzz.forward"

static void
assert_same_object (JsonObject *expected,
                    JsonObject *actual,
                    const char *what)
{
  g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), expected);
  g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), actual);

  if (!json_node_equal (a, b))
    {
      g_autofree char *before = json_to_string (a, FALSE);
      g_autofree char *after = json_to_string (b, FALSE);

      g_error ("%s differs: %s became %s", what, before, after);
    }
}

static void
assert_same_member (JsonObject *a,
                    const char *a_name,
                    JsonObject *b,
                    const char *b_name)
{
  JsonNode *x = json_object_get_member (a, a_name);
  JsonNode *y = json_object_get_member (b, b_name);

  if (x == NULL || y == NULL || !json_node_equal (x, y))
    g_error ("context.%s is not the request's context.%s", b_name, a_name);
}

/* Peek and parse of the same bytes: the parse decides, and a sure peek
 * agrees with it. */
static OwsMessage *
peek_and_parse (const char *text,
                gsize       length)
{
  char peeked[OWS_MESSAGE_PEEK_MAX + 1];
  gboolean sure = ows_message_peek_type (text, length, peeked);
  g_autoptr(GError) error = NULL;
  OwsMessage *message = ows_message_parse (text, length, &error);

  if (message == NULL)
    {
      if (error == NULL || error->domain != OWS_MESSAGE_ERROR)
        g_error ("the parse failed without an OWS_MESSAGE_ERROR");
      return NULL;
    }
  g_assert_no_error (error);

  if (sure && strcmp (peeked, ows_message_get_type_name (message)) != 0)
    g_error ("the peek says \"%s\", the parse \"%s\"", peeked, ows_message_get_type_name (message));
  return message;
}

/* Types that need no escape on the wire are what the peek exists for: it
 * must be sure of them in a frame we wrote. */
static gboolean
peekable (const char *type)
{
  gsize length = strlen (type);

  if (length > OWS_MESSAGE_PEEK_MAX)
    return FALSE;
  for (const char *p = type; *p; p++)
    if ((guchar) *p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f)
      return FALSE;
  return g_utf8_validate (type, length, NULL);
}

/* Serialized and parsed back, @message is itself. */
static void
assert_round_trip (OwsMessage *message)
{
  g_autoptr(OwsMessage) again = NULL;
  g_autofree char *text = NULL;
  char peeked[OWS_MESSAGE_PEEK_MAX + 1];
  const char *type = ows_message_get_type_name (message);
  gsize length;

  text = ows_message_serialize (message, &length);
  if (text == NULL || strlen (text) != length)
    g_error ("serialize gave no frame, or its length is wrong");
  again = peek_and_parse (text, length);
  if (again == NULL)
    g_error ("a serialized message does not parse: %s", text);
  if (strcmp (type, ows_message_get_type_name (again)) != 0)
    g_error ("type \"%s\" came back as \"%s\"", type, ows_message_get_type_name (again));
  assert_same_object (ows_message_get_data (message), ows_message_get_data (again), "data");
  assert_same_object (ows_message_get_context (message), ows_message_get_context (again),
                      "context");

  if (peekable (type) && !ows_message_peek_type (text, length, peeked))
    g_error ("the peek is unsure of a frame we wrote: %s", text);
}

/* A context of its own: new objects all the way down, none of them sealed
 * (the parse's are), so a caller may change them. */
static void
assert_own_object (JsonObject *original,
                   JsonObject *copy)
{
  g_autoptr(GList) members = NULL;

  if (copy == original || json_object_is_immutable (copy))
    g_error ("a derived context shares or seals the request's objects");

  members = json_object_get_members (original);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *a = json_object_get_member (original, l->data);
      JsonNode *b = json_object_get_member (copy, l->data);

      if (b == NULL || b == a)
        g_error ("context.%s is missing or shared in a derived context", (char *) l->data);
      if (JSON_NODE_HOLDS_OBJECT (a) && JSON_NODE_HOLDS_OBJECT (b))
        assert_own_object (json_node_get_object (a), json_node_get_object (b));
    }
}

static void
assert_derived (OwsMessage *request,
                OwsMessage *derived,
                const char *type,
                gboolean    swap)
{
  JsonObject *context = ows_message_get_context (request);
  JsonObject *derived_context = ows_message_get_context (derived);

  g_assert_cmpstr (ows_message_get_type_name (derived), ==, type);
  assert_own_object (context, derived_context);
  g_assert_cmpuint (json_object_get_size (context), ==, json_object_get_size (derived_context));

  if (swap && json_object_has_member (context, "source")
      && json_object_has_member (context, "destination"))
    {
      g_autoptr(JsonObject) rest = json_object_new ();
      g_autoptr(JsonObject) derived_rest = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (context);

      assert_same_member (context, "source", derived_context, "destination");
      assert_same_member (context, "destination", derived_context, "source");
      for (GList *l = members; l != NULL; l = l->next)
        if (strcmp (l->data, "source") != 0 && strcmp (l->data, "destination") != 0)
          {
            json_object_set_member (rest, l->data,
                                    json_node_ref (json_object_get_member (context, l->data)));
            json_object_set_member (derived_rest, l->data,
                                    json_node_ref (json_object_get_member (derived_context,
                                                                           l->data)));
          }
      assert_same_object (rest, derived_rest, "the rest of a swapped context");
    }
  else
    assert_same_object (context, derived_context, "a derived context");

  assert_round_trip (derived);
}

static void
check_answers (OwsMessage *request)
{
  g_autoptr(OwsMessage) reply = NULL;
  g_autoptr(OwsMessage) response = NULL;
  g_autoptr(OwsMessage) forward = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *response_type = NULL;

  before = json_node_init_object (json_node_alloc (), ows_message_get_context (request));

  reply = ows_message_reply (request, REPLY_TYPE, NULL);
  assert_derived (request, reply, REPLY_TYPE, TRUE);

  response_type = g_strconcat (ows_message_get_type_name (request), ".response", NULL);
  response = ows_message_response (request, json_object_ref (ows_message_get_data (request)));
  assert_derived (request, response, response_type, TRUE);
  assert_same_object (ows_message_get_data (request), ows_message_get_data (response),
                      "a response's data");

  forward = ows_message_forward (request, FORWARD_TYPE, NULL);
  assert_derived (request, forward, FORWARD_TYPE, FALSE);

  /* What a caller does with its own context stays there. */
  json_object_set_boolean_member (ows_message_get_context (reply), "fuzz", TRUE);
  json_object_remove_member (ows_message_get_context (forward), "source");
  after = json_node_init_object (json_node_alloc (), ows_message_get_context (request));
  if (!json_node_equal (before, after))
    g_error ("changing a derived context changed the request's");
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ows_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(OwsMessage) message = peek_and_parse (text, size);

  /* A NUL-terminated copy (length -1) must read the same frame. */
  if (memchr (text, '\0', size) == NULL)
    {
      g_autofree char *string = g_strndup (text, size);
      g_autoptr(OwsMessage) again = ows_message_parse (string, -1, NULL);

      if ((message == NULL) != (again == NULL)
          || (message != NULL && strcmp (ows_message_get_type_name (message),
                                         ows_message_get_type_name (again)) != 0))
        g_error ("length -1 and the explicit length read different frames");
    }

  if (message == NULL)
    return 0;

  if (*ows_message_get_type_name (message) == '\0'
      || ows_message_get_data (message) == NULL || ows_message_get_context (message) == NULL)
    g_error ("a parsed message lacks its type, data or context");
  assert_round_trip (message);
  check_answers (message);
  return 0;
}
