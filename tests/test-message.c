/* test-message.c: the bus wire format, its reply rules and the type peek.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-message"

#include <string.h>

#include "ows-message.h"
#include "ows-test-peer.h"

/* Some frames are not UTF-8 on purpose: TAP output must stay text. */
static void
message_case (gsize       i,
              const char *frame)
{
  g_autofree char *shown = g_strescape (frame, NULL);

  g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, shown);
}

/* The peek gets an exact-size heap copy, so valgrind and ASan see any read
 * past length; a NUL terminator would hide one. */
static gboolean
peek_exact (const char *text,
            gsize       length,
            char        type[OWS_MESSAGE_PEEK_MAX + 1])
{
  g_autofree char *copy = g_memdup2 (text, length);

  return ows_message_peek_type (copy, length, type);
}

static JsonNode *
node_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
assert_object_equals (JsonObject *object,
                      const char *expected_json)
{
  g_autoptr(JsonNode) expected = node_from_json (expected_json);
  g_autoptr(JsonNode) actual = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (actual, object);
  if (!json_node_equal (actual, expected))
    {
      g_autofree char *text = json_to_string (actual, FALSE);

      g_error ("got %s, expected %s", text, expected_json);
    }
}

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* --- parse --- */

typedef struct
{
  const char *frame;
  const char *type;
  const char *data;
  const char *context;
} ValidCase;

static const ValidCase valid_cases[] = {
  { "{\"type\":\"a\"}", "a", "{}", "{}" },
  { "{\"type\":\"a\",\"data\":null,\"context\":null}", "a", "{}", "{}" },
  { "{\"type\":\"a\",\"data\":{\"x\":1},\"context\":{\"source\":\"s\"}}",
    "a", "{\"x\":1}", "{\"source\":\"s\"}" },
  { "{\"type\":\"a\",\"context\":\"nope\"}", "a", "{}", "{}" },
  { "{\"type\":\"a\",\"context\":[1,2]}", "a", "{}", "{}" },
  { "{\"type\":\"a\",\"context\":5,\"data\":{}}", "a", "{}", "{}" },
  { "{\"type\":\"a\",\"context\":true}", "a", "{}", "{}" },
  { "{\"data\":{\"k\":[1,{\"type\":\"inner\"}]},\"context\":{},\"type\":\"last\"}",
    "last", "{\"k\":[1,{\"type\":\"inner\"}]}", "{}" },
  { " \r\n\t{ \"type\" :\n\"spaced\" , \"data\" : { \"a\" : null } }\n ",
    "spaced", "{\"a\":null}", "{}" },
  { "{\"type\":\"gui.v\xc3\xa4lue\","
    "\"data\":{\"t\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\"}}",
    "gui.v\xc3\xa4lue", "{\"t\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\"}", "{}" },
  { "{\"type\":\"a\\\"b\",\"data\":{\"q\":\"x\\\\y\\n\\u00e9\\ud83d\\ude00\\/\"}}",
    "a\"b", "{\"q\":\"x\\\\y\\n\xc3\xa9\xf0\x9f\x98\x80/\"}", "{}" },
  { "{\"typ\\u0065\":\"escaped.key\"}", "escaped.key", "{}", "{}" },
  { "{\"type\":\"\\u0061b\"}", "ab", "{}", "{}" },
  { "{\"type\":\"first\",\"type\":\"second\"}", "second", "{}", "{}" },
  { "{\"type\":\"a\",\"data\":{\"n\":-1.5e3,\"b\":[true,false,null]},\"extra\":[{}]}",
    "a", "{\"n\":-1500.0,\"b\":[true,false,null]}", "{}" },
};

static void
test_parse_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_cases); i++)
    {
      const ValidCase *c = &valid_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(OwsMessage) message = NULL;

      message_case (i, c->frame);
      message = ows_message_parse (c->frame, -1, &error);
      g_assert_no_error (error);
      g_assert_nonnull (message);
      g_assert_cmpstr (ows_message_get_type_name (message), ==, c->type);
      assert_object_equals (ows_message_get_data (message), c->data);
      assert_object_equals (ows_message_get_context (message), c->context);
    }
}

static void
test_parse_length (void)
{
  const char *text = "{\"type\":\"short\"}garbage that is not read";
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) message = ows_message_parse (text, strlen ("{\"type\":\"short\"}"), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ows_message_get_type_name (message), ==, "short");
}

static char *
nested_frame (guint depth)
{
  GString *frame = g_string_new ("{\"type\":\"deep\",\"data\":{\"x\":");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (frame, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (frame, ']');
  g_string_append (frame, "}}");
  return g_string_free (frame, FALSE);
}

static void
test_parse_deep (void)
{
  g_autofree char *fine = nested_frame (400);
  g_autofree char *deep = nested_frame (200000);
  g_autoptr(OwsMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = ows_message_parse (fine, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ows_message_get_type_name (message), ==, "deep");

  /* json-glib itself would overflow the stack on this one. */
  g_assert_null (ows_message_parse (deep, -1, &error));
  g_assert_error (error, OWS_MESSAGE_ERROR, OWS_MESSAGE_ERROR_INVALID_JSON);
}

/* The edges of what json-glib reads and writes back exactly are kept. */
static void
test_parse_numbers (void)
{
  const char *numbers[] = { "9223372036854775807", "-9223372036854775808", "1.5e17", "1e16",
                            "1e-400", "0", "-0.0", "123.456" };

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *frame = g_strdup_printf ("{\"type\":\"n\",\"data\":{\"n\":%s}}", numbers[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(OwsMessage) message = NULL;
      g_autoptr(OwsMessage) again = NULL;
      g_autofree char *text = NULL;
      gsize length;

      g_test_message ("%s", numbers[i]);
      message = ows_message_parse (frame, -1, &error);
      g_assert_no_error (error);
      text = ows_message_serialize (message, &length);
      again = ows_message_parse (text, length, &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (json_object_get_member (ows_message_get_data (message), "n"),
                                      json_object_get_member (ows_message_get_data (again), "n")));
    }
}

typedef struct
{
  const char *frame;
  gssize length;
  OwsMessageError code;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "not json", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "   \n", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\"", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"\xff\"}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\"}\0{\"type\":\"b\"}", 25, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\u12\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\u12\\\"}\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\ud800\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\udc00\\u0041\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\ud800\\u0041\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  /* json-glib alone takes these two, mangling the string or the byte after */
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\ud800z\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\u1x\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  /* json-glib alone takes these, and leaks all values but the first */
  { "{\"type\":\"a\"} {\"type\":\"b\"}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\"}[]", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "\"s\" {}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "1 2", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "null{}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  /* json-glib alone reads C's escapes: a byte 0xff, a string cut at \0, "\q" as "q" */
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\377\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"a\\0b\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\q\"}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  /* numbers json-glib would misread (beyond 64 bits) or write back as no JSON (inf.0, 1e+21.0) */
  { "{\"type\":\"a\",\"data\":{\"n\":1e400}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"n\":1e21}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"n\":100000000000000000000}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"n\":-9223372036854775809}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  /* json-glib's other extensions */
  { "{'type':'a'}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\" /* c */}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "{\"type\":\"a\",\"data\":{\"n\":$1f}}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "var x = {\"type\":\"a\"}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  { "\xef\xbb\xbf{\"type\":\"a\"}", -1, OWS_MESSAGE_ERROR_INVALID_JSON },
  /* json-glib cuts a string at \u0000: "status\u0000x" would read as "status" */
  { "{\"type\":\"ovos.phal.wifi.plugin.status\\u0000x\"}", -1, OWS_MESSAGE_ERROR_NUL },
  { "{\"type\":\"a\\u0000\"}", -1, OWS_MESSAGE_ERROR_NUL },
  { "{\"data\":{},\"type\":\"a\\\\\\u0000\"}", -1, OWS_MESSAGE_ERROR_NUL },
  { "{\"type\":\"b\",\"type\":\"a\\u0000b\"}", -1, OWS_MESSAGE_ERROR_NUL },
  { "{\"type\":\"a\\u0000b\",\"type\":\"b\"}", -1, OWS_MESSAGE_ERROR_NUL },
  { "{\"typ\\u0065\":\"a\",\"data\":{\"x\":\"\\u0000\"}}", -1, OWS_MESSAGE_ERROR_NUL },
  { "{\"type\":\"a\",\"x\\u0000\":1}", -1, OWS_MESSAGE_ERROR_NUL },
  { "[1,2]", -1, OWS_MESSAGE_ERROR_NOT_OBJECT },
  { "[{\"type\":\"a\"}]", -1, OWS_MESSAGE_ERROR_NOT_OBJECT },
  { "42", -1, OWS_MESSAGE_ERROR_NOT_OBJECT },
  { "\"string\"", -1, OWS_MESSAGE_ERROR_NOT_OBJECT },
  { "null", -1, OWS_MESSAGE_ERROR_NOT_OBJECT },
  { "true", -1, OWS_MESSAGE_ERROR_NOT_OBJECT },
  { "{}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"data\":{\"type\":\"inner\"}}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":42}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":\"\"}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":null}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":true}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":{\"a\":\"b\"}}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":[\"a\"]}", -1, OWS_MESSAGE_ERROR_NO_TYPE },
  { "{\"type\":\"a\",\"data\":[]}", -1, OWS_MESSAGE_ERROR_BAD_DATA },
  { "{\"type\":\"a\",\"data\":7}", -1, OWS_MESSAGE_ERROR_BAD_DATA },
  { "{\"type\":\"a\",\"data\":\"text\"}", -1, OWS_MESSAGE_ERROR_BAD_DATA },
  { "{\"type\":\"a\",\"data\":true}", -1, OWS_MESSAGE_ERROR_BAD_DATA },
  { "{\"data\":[1],\"type\":\"a\"}", -1, OWS_MESSAGE_ERROR_BAD_DATA },
};

static void
test_parse_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(OwsMessage) message = NULL;

      message_case (i, c->frame);
      message = ows_message_parse (c->frame, c->length, &error);
      g_assert_null (message);
      g_assert_error (error, OWS_MESSAGE_ERROR, (int) c->code);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 10);

      /* Without a GError the answer is the same, without a leak. */
      g_assert_null (ows_message_parse (c->frame, c->length, NULL));
    }
}

/* A NUL outside "type" parses, marked, with the member of data holding it;
 * "\\u0000" is a backslash and "u0000", no NUL. */
typedef struct
{
  const char *frame;
  gboolean has_nul;
  const char *member;
} NulCase;

static const NulCase nul_cases[] = {
  { "{\"type\":\"a\",\"data\":{\"client\":\"keeper-A\\u0000evil\"}}", TRUE, "client" },
  { "{\"type\":\"a\",\"data\":{\"x\":1,\"client_id\":\"\\u0000\"}}", TRUE, "client_id" },
  { "{\"type\":\"a\",\"data\":{\"a\":\"ok\",\"b\":[{\"c\":\"\\u0000\"}],\"d\":\"\\u0000\"}}", TRUE, "b" },
  { "{\"type\":\"a\",\"data\":{\"x\\u0000\":\"v\"}}", TRUE, NULL },
  { "{\"type\":\"a\",\"data\":{\"cli\\u0065nt\":\"\\u0000\"}}", TRUE, NULL },
  { "{\"type\":\"a\",\"context\":{\"source\":\"s\\u0000\"}}", TRUE, NULL },
  { "{\"context\":{\"t\":\"\\u0000\"},\"type\":\"a\",\"data\":{\"x\":\"y\"}}", TRUE, NULL },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\\\u0000\"}}", FALSE, NULL },
  { "{\"type\":\"a\\\\u0000\",\"data\":{\"x\":\"\\u0001\\\\\"}}", FALSE, NULL },
  { "{\"type\":\"a\",\"data\":{\"x\":\"\\u00000\"}}", TRUE, "x" },
  { "{\"type\":\"a\",\"data\":{\"x\":\"u0000\"}}", FALSE, NULL },
};

static void
test_parse_nul (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (nul_cases); i++)
    {
      const NulCase *c = &nul_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(OwsMessage) message = NULL;
      const char *member = "unset";

      message_case (i, c->frame);
      message = ows_message_parse (c->frame, -1, &error);
      g_assert_no_error (error);
      g_assert_nonnull (message);
      g_assert_cmpint (ows_message_has_nul (message, &member), ==, c->has_nul);
      g_assert_cmpstr (member, ==, c->member);
      g_assert_cmpint (ows_message_has_nul (message, NULL), ==, c->has_nul);
    }
}

static void
test_parse_error_text (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ows_message_parse ("nope", -1, &error));
  g_assert_true (g_str_has_prefix (error->message, "The frame is not JSON: "));
  g_clear_error (&error);

  g_assert_null (ows_message_parse ("{\"type\":1}", -1, &error));
  g_assert_cmpstr (error->message, ==, "The frame has no string \"type\".");
}

#define BASE64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

static char *
big_frame (gsize size,
           const char *type)
{
  GString *frame = g_string_sized_new (size + 100);

  g_string_append (frame, "{\"data\":{\"page\":\"");
  for (gsize i = 0; i < size; i++)
    g_string_append_c (frame, BASE64[i % 64]);
  g_string_append_printf (frame, "\"},\"context\":{},\"type\":\"%s\"}", type);
  return g_string_free (frame, FALSE);
}

static void
check_big (gsize size)
{
  g_autofree char *frame = big_frame (size, "gui.page.upload");
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) message = ows_message_parse (frame, -1, &error);
  char type[OWS_MESSAGE_PEEK_MAX + 1];
  const char *page;

  g_assert_no_error (error);
  g_assert_cmpstr (ows_message_get_type_name (message), ==, "gui.page.upload");
  page = json_object_get_string_member (ows_message_get_data (message), "page");
  g_assert_cmpuint (strlen (page), ==, size);

  g_assert_true (ows_message_peek_type (frame, strlen (frame), type));
  g_assert_cmpstr (type, ==, "gui.page.upload");
}

/* Escapes everywhere must cost no more than plain text, in the guard too:
 * checked the slow way, this frame takes minutes and the test times out. */
static void
test_parse_many_escapes (void)
{
  GString *frame = g_string_new ("{\"type\":\"t\",\"data\":{\"s\":\"");
  g_autofree char *text = NULL;
  g_autoptr(OwsMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  char type[OWS_MESSAGE_PEEK_MAX + 1];
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < 4 * 1024 * 1024; i++)
    g_string_append (frame, i > 0 ? "\\n" : "\\\"");
  g_string_append (frame, "\"}}");
  text = g_string_free (g_steal_pointer (&frame), FALSE);

  message = ows_message_parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json_object_get_string_member (ows_message_get_data (message), "s")),
                    ==, 4 * 1024 * 1024);
  g_assert_true (ows_message_peek_type (text, strlen (text), type));
  g_assert_cmpstr (type, ==, "t");
  g_test_message ("%.1f ms", (g_get_monotonic_time () - start) / 1000.0);
}

static void
test_parse_big_string (void)
{
  check_big (2 * 1024 * 1024);
}

static void
test_parse_huge (void)
{
  check_big (24 * 1024 * 1024);
}

/* --- serialize --- */

static void
test_serialize_shape (void)
{
  g_autoptr(OwsMessage) message = ows_message_new ("a.b", NULL, NULL);
  g_autofree char *text = NULL;
  gsize length = 0;

  text = ows_message_serialize (message, &length);
  g_assert_cmpstr (text, ==, "{\"type\":\"a.b\",\"data\":{},\"context\":{}}");
  g_assert_cmpuint (length, ==, strlen (text));
}

static const char *roundtrip_frames[] = {
  "{\"type\":\"a\"}",
  "{\"context\":{\"source\":\"s\",\"destination\":[\"x\"]},\"data\":{\"k\":1},\"type\":\"b\"}",
  "{\"type\":\"q\\\"uote\\\\\",\"data\":{\"s\":\"\\u0000x\\n\\t\\u001f\xc3\xa9\"}}",
  "{\"type\":\"\xf0\x9f\x98\x80\",\"data\":{\"a\":[1,2.5,true,null,{\"b\":{}}],\"c\":\"}{\"}}",
  "{\"type\":\"n\",\"data\":{\"big\":9007199254740993,\"neg\":-3,\"f\":0.1}}",
};

static void
test_serialize_roundtrip (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (roundtrip_frames); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OwsMessage) first = ows_message_parse (roundtrip_frames[i], -1, &error);
      g_autoptr(OwsMessage) second = NULL;
      g_autofree char *text1 = NULL;
      g_autofree char *text2 = NULL;
      gsize length = 0;
      char type[OWS_MESSAGE_PEEK_MAX + 1];

      g_assert_no_error (error);
      text1 = ows_message_serialize (first, &length);
      g_assert_cmpuint (length, ==, strlen (text1));
      g_assert_true (g_str_has_prefix (text1, "{\"type\":"));

      second = ows_message_parse (text1, length, &error);
      g_assert_no_error (error);
      text2 = ows_message_serialize (second, NULL);
      g_assert_cmpstr (text1, ==, text2);
      g_assert_cmpstr (ows_message_get_type_name (first), ==, ows_message_get_type_name (second));

      /* What we send is what our own peek reads, escapes aside. */
      if (strchr (ows_message_get_type_name (first), '"') == NULL)
        {
          g_assert_true (peek_exact (text1, length, type));
          g_assert_cmpstr (type, ==, ows_message_get_type_name (first));
        }
    }
}

static void
test_new_owns (void)
{
  JsonObject *data = json_object_new ();
  JsonObject *context = json_object_new ();
  g_autoptr(OwsMessage) message = ows_message_new ("t", data, context);
  OwsMessage *copy;

  g_assert_true (ows_message_get_data (message) == data);
  g_assert_true (ows_message_get_context (message) == context);

  copy = g_boxed_copy (OWS_TYPE_MESSAGE, message);
  g_assert_true (copy == message);
  g_boxed_free (OWS_TYPE_MESSAGE, copy);
  g_assert_true (ows_message_ref (message) == message);
  ows_message_unref (message);
  g_assert_cmpstr (ows_message_get_type_name (message), ==, "t");
}

/* --- reply, response, forward --- */

typedef struct
{
  const char *context;
  const char *replied;
} SwapCase;

static const SwapCase swap_cases[] = {
  { "{}", "{}" },
  { "{\"source\":\"a\"}", "{\"source\":\"a\"}" },
  { "{\"destination\":\"b\"}", "{\"destination\":\"b\"}" },
  { "{\"source\":\"a\",\"destination\":\"b\",\"session\":{\"id\":1}}",
    "{\"source\":\"b\",\"destination\":\"a\",\"session\":{\"id\":1}}" },
  { "{\"destination\":[\"x\",\"y\"],\"source\":null}",
    "{\"destination\":null,\"source\":[\"x\",\"y\"]}" },
  { "{\"source\":{\"n\":1},\"destination\":2}", "{\"source\":2,\"destination\":{\"n\":1}}" },
};

static void
test_reply_swap (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (swap_cases); i++)
    {
      g_autofree char *frame = g_strdup_printf ("{\"type\":\"req\",\"context\":%s}",
                                                swap_cases[i].context);
      g_autoptr(OwsMessage) request = ows_message_parse (frame, -1, NULL);
      g_autoptr(OwsMessage) reply = ows_message_reply (request, "answer", NULL);
      g_autoptr(OwsMessage) response = ows_message_response (request, NULL);
      g_autoptr(OwsMessage) forward = ows_message_forward (request, "fwd", NULL);

      message_case (i, swap_cases[i].context);
      g_assert_cmpstr (ows_message_get_type_name (reply), ==, "answer");
      assert_object_equals (ows_message_get_context (reply), swap_cases[i].replied);
      assert_object_equals (ows_message_get_context (response), swap_cases[i].replied);
      assert_object_equals (ows_message_get_context (forward), swap_cases[i].context);
      assert_object_equals (ows_message_get_context (request), swap_cases[i].context);
      assert_object_equals (ows_message_get_data (reply), "{}");
      assert_object_equals (ows_message_get_data (response), "{}");
      assert_object_equals (ows_message_get_data (forward), "{}");
    }
}

static void
test_reply_response_type (void)
{
  g_autoptr(OwsMessage) request = ows_message_new ("mycroft.internet.is_ready", NULL, NULL);
  JsonObject *data = json_object_new ();
  g_autoptr(OwsMessage) response = NULL;

  json_object_set_boolean_member (data, "status", TRUE);
  response = ows_message_response (request, data);
  g_assert_cmpstr (ows_message_get_type_name (response), ==, "mycroft.internet.is_ready.response");
  g_assert_true (ows_message_get_data (response) == data);
}

static void
check_independent (OwsMessage *request)
{
  g_autofree char *before = ows_message_serialize (request, NULL);
  g_autofree char *after = NULL;
  OwsMessage *derived[3] = {
    ows_message_reply (request, "r", NULL),
    ows_message_response (request, NULL),
    ows_message_forward (request, "f", NULL),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (derived); i++)
    {
      JsonObject *context = ows_message_get_context (derived[i]);
      JsonObject *session = json_object_get_object_member (context, "session");
      JsonArray *list = json_object_get_array_member (session, "list");
      JsonNode *name = json_object_get_member (session, "name");

      /* Every level is the caller's to change, values included. */
      json_object_set_string_member (context, "source", "changed");
      json_object_remove_member (context, "destination");
      json_object_set_int_member (session, "id", 99);
      json_array_add_int_element (list, 4);
      json_node_set_string (name, "renamed");
      json_object_set_object_member (context, "new", json_object_new ());
    }

  after = ows_message_serialize (request, NULL);
  g_assert_cmpstr (before, ==, after);
  for (gsize i = 0; i < G_N_ELEMENTS (derived); i++)
    ows_message_unref (derived[i]);
}

static void
test_reply_independent (void)
{
  const char *frame = "{\"type\":\"req\",\"context\":{\"source\":\"a\",\"destination\":\"b\","
                      "\"session\":{\"id\":1,\"name\":\"n\",\"list\":[1,2,3]}}}";
  g_autoptr(OwsMessage) parsed = ows_message_parse (frame, -1, NULL);
  g_autoptr(JsonNode) context =
    node_from_json ("{\"source\":\"a\",\"destination\":\"b\","
                    "\"session\":{\"id\":1,\"name\":\"n\",\"list\":[1]}}");
  g_autoptr(OwsMessage) built = ows_message_new ("req", NULL, json_node_dup_object (context));

  check_independent (parsed);
  check_independent (built);
}

static void
test_reply_keeps_order (void)
{
  g_autoptr(OwsMessage) request =
    ows_message_parse ("{\"type\":\"q\","
                       "\"context\":{\"destination\":\"d\",\"x\":1,\"source\":\"s\"}}", -1, NULL);
  g_autoptr(OwsMessage) reply = ows_message_reply (request, "a", NULL);
  g_autofree char *text = object_to_json (ows_message_get_context (reply));

  g_assert_cmpstr (text, ==, "{\"destination\":\"s\",\"x\":1,\"source\":\"d\"}");
}

/* --- peek --- */

typedef struct
{
  const char *frame;
  const char *type;  /* NULL: the peek must be unsure */
} PeekCase;

#define LONG_TYPE_256 \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const PeekCase peek_cases[] = {
  /* found */
  { "{\"type\":\"speak\",\"data\":{},\"context\":{}}", "speak" },
  { "{\"data\":{\"utterance\":\"hi\"},\"context\":{},\"type\":\"speak\"}", "speak" },
  { " \n\t{ \r\n\"data\" : { } ,\n \"type\"\t:\t\"speak\" \n}\n ", "speak" },
  { "{\"data\":{\"u\":\"say \\\"type\\\":\\\"evil\\\"\"},\"type\":\"good\"}", "good" },
  { "{\"data\":{\"p\":\"C:\\\\\"},\"type\":\"good\"}", "good" },
  { "{\"data\":{\"p\":\"a\\\\\\\"b\\\\\\\\\"},\"type\":\"good\"}", "good" },
  { "{\"data\":{\"p\":\"\\u0022type\\u0022:\\u0022evil\"},\"type\":\"good\"}", "good" },
  { "{\"data\":{\"type\":\"inner\",\"x\":[{\"type\":\"deeper\"}]},\"type\":\"outer\"}", "outer" },
  { "{\"x\":\"type\",\"y\":{\"a\":\"type\"},\"type\":\"t\"}", "t" },
  { "{\"data\":{\"s\":\"}}}]]]{{{\"},\"type\":\"t\"}", "t" },
  { "{\"data\":{\"s\":\"\\\\\",\"t\":\"\\\\\\\\\"},\"type\":\"t\"}", "t" },
  { "{\"data\":{\"a\":[1,2.5e3,-3,true,false,null,[[],{}]]},\"context\":{\"source\":\"x\"},"
    "\"type\":\"t\"}", "t" },
  { "{\"types\":\"x\",\"Type\":\"y\",\"typ\":\"z\",\"type\":\"t\",\"ttype\":1}", "t" },
  { "{\"type\":\"gui.v\xc3\xa4lue.\xf0\x9f\x98\x80\"}", "gui.v\xc3\xa4lue.\xf0\x9f\x98\x80" },
  { "{\"type\":\"a b\"}", "a b" },
  { "{\"type\":\"}{][:,\"}", "}{][:," },
  { "{\"type\":\"" LONG_TYPE_256 "\"}", LONG_TYPE_256 },
  { "{\"n\":-0.5E+3,\"type\":\"t\",\"m\":null}", "t" },
  /* unsure */
  { "{\"data\":{\"type\":\"inner\"}}", NULL },
  { "[\"type\",\"x\"]", NULL },
  { "[{\"type\":\"x\"}]", NULL },
  { "\"type\"", NULL },
  { "42", NULL },
  { "null", NULL },
  { "", NULL },
  { "   ", NULL },
  { "{}", NULL },
  { "{\"typ\\u0065\":\"x\"}", NULL },
  { "{\"t\\ype\":\"x\"}", NULL },
  { "{\"type\":\"y\",\"typ\\u0065\":\"x\"}", NULL },
  { "{\"type\":\"y\",\"data\":{},\"t\\ype\":\"x\"}", NULL },
  { "{\"type\":\"a\\u0062\"}", NULL },
  { "{\"type\":\"a\\\"b\"}", NULL },
  { "{\"type\":\"a\\\\b\"}", NULL },
  { "{\"type\":\"" LONG_TYPE_256 "a\"}", NULL },
  { "{\"type\":42}", NULL },
  { "{\"type\":null}", NULL },
  { "{\"type\":true}", NULL },
  { "{\"type\":{\"type\":\"x\"}}", NULL },
  { "{\"type\":[\"x\"]}", NULL },
  { "{\"type\":\"\"}", NULL },
  { "{\"type\":\"a\",\"type\":\"b\"}", NULL },
  { "{\"type\":\"a\",\"data\":{},\"type\":\"a\"}", NULL },
  { "{\"type\":\"a\",\"data\":{", NULL },
  { "{\"type\":\"a\"", NULL },
  { "{\"type\":\"a\",", NULL },
  { "{\"type\":\"a", NULL },
  { "{\"type\"", NULL },
  { "{", NULL },
  { "{\"type\":\"a\"} x", NULL },
  { "{\"type\":\"a\"}{\"type\":\"b\"}", NULL },
  { "{\"type\":\"a\"};", NULL },
  { "{\"type\":\"a\" /* c */}", NULL },
  { "{\"data\":{} /* \"type\":\"x\" */,\"type\":\"a\"}", NULL },
  { "{'type':'a'}", NULL },
  { "{\"data\":{'x':\"}\"},\"type\":\"a\"}", NULL },
  { "{\"data\":{\"n\":$1f},\"type\":\"a\"}", NULL },
  { "\xef\xbb\xbf{\"type\":\"a\"}", NULL },
  { "{\"type\":\"a\tb\"}", NULL },
  { "{\"type\" \"a\"}", NULL },
  { "{\"type\":\"a\" \"b\":1}", NULL },
  { "{\"type\":\"a\",}", NULL },
  { "{,\"type\":\"a\"}", NULL },
  { "{\"x\":,\"type\":\"a\"}", NULL },
  { "{type:\"a\"}", NULL },
  { "var x = {\"type\":\"a\"}", NULL },
};

static void
test_peek_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (peek_cases); i++)
    {
      const PeekCase *c = &peek_cases[i];
      char type[OWS_MESSAGE_PEEK_MAX + 1];
      g_autoptr(OwsMessage) message = NULL;
      gboolean found;

      message_case (i, c->frame);
      found = peek_exact (c->frame, strlen (c->frame), type);
      g_assert_cmpint (found, ==, c->type != NULL);
      if (!found)
        continue;

      g_assert_cmpstr (type, ==, c->type);
      message = ows_message_parse (c->frame, -1, NULL);
      g_assert_nonnull (message);
      g_assert_cmpstr (ows_message_get_type_name (message), ==, type);
    }
}

/* The contract: TRUE only with the very type a successful parse gives. */
static void
assert_agrees (const char *frame,
               gsize       length,
               gboolean    must_find)
{
  char type[OWS_MESSAGE_PEEK_MAX + 1];
  g_autoptr(OwsMessage) message = ows_message_parse (frame, length, NULL);

  if (!peek_exact (frame, length, type))
    {
      if (must_find)
        g_error ("unsure about an ordinary frame: %.*s", (int) length, frame);
      return;
    }

  if (message == NULL)
    g_error ("peeked \"%s\" in a frame that does not parse: %.*s", type, (int) length, frame);
  if (strcmp (type, ows_message_get_type_name (message)) != 0)
    g_error ("peeked \"%s\", parsed \"%s\": %.*s",
             type, ows_message_get_type_name (message), (int) length, frame);
}

static void
test_peek_traces (void)
{
  const char *names[] = { "real-clients-register.jsonl", "real-balena-activation.jsonl" };

  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(GPtrArray) frames = ows_test_load_trace (names[n]);

      for (guint i = 0; i < frames->len; i++)
        {
          const char *frame = frames->pdata[i];
          g_autoptr(OwsMessage) message = ows_message_parse (frame, -1, NULL);

          g_assert_nonnull (message);
          assert_agrees (frame, strlen (frame), TRUE);
        }
    }
}

static void
check_prefixes (const char *frame,
                gsize       length,
                gsize       step)
{
  for (gsize cut = 0; cut < length; cut += step)
    assert_agrees (frame, cut, FALSE);
}

static void
test_peek_truncated (void)
{
  g_autoptr(GPtrArray) frames = ows_test_load_trace ("real-balena-activation.jsonl");
  g_autofree char *big = big_frame (64 * 1024, "gui.page.upload");

  for (gsize i = 0; i < G_N_ELEMENTS (peek_cases); i++)
    check_prefixes (peek_cases[i].frame, strlen (peek_cases[i].frame), 1);
  for (guint i = 0; i < frames->len; i += 5)
    check_prefixes (frames->pdata[i], strlen (frames->pdata[i]), 1);
  check_prefixes (big, strlen (big), 4099);
  for (gsize cut = strlen (big) - 64; cut <= strlen (big); cut++)
    assert_agrees (big, cut, cut == strlen (big));
}

/* --- a generated corpus --- */

typedef enum
{
  TYPE_PLAIN,         /* the peek must find it */
  TYPE_ESCAPED_VALUE,
  TYPE_ESCAPED_KEY,
  TYPE_TWICE,
  TYPE_NOT_STRING,
  TYPE_MISSING,
  N_TYPE_MODES
} TypeMode;

static const char *plain_types[] = {
  "speak", "gui.value.set", "ovos.phal.wifi.plugin.status", "x", "with space",
  "a}b]c{d[", "k:v,w", "\xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9.\xf0\x9f\x98\x80", "type",
};

/* Pieces of string content, each written with a randomly chosen spelling. */
static const char *pieces[][3] = {
  { "a", "\\u0061", "a" },
  { "type", "typ\\u0065", "\\u0074ype" },
  { "\\\"", "\\u0022", "\\\"" },
  { "\\\\", "\\u005c", "\\u005C" },
  { "{", "}", "[" },
  { "]", ":", "," },
  { "\\n", "\\u000a", "\\t" },
  { "\\/", "/", "'" },
  { "\xc3\xa9", "\\u00e9", "\\u00E9" },
  { "\xf0\x9f\x98\x80", "\\ud83d\\ude00", "\\uD83D\\uDE00" },
  { " ", "#", "*" },
  { "\\\"type\\\":\\\"evil\\\"", "\\\\\\\"", "\\\\\\\\" },
};

static void
gen_space (GString *out)
{
  static const char *spaces[] = { "", "", "", " ", "\n", "\t", "\r\n  ", "  " };

  g_string_append (out, spaces[g_test_rand_int_range (0, G_N_ELEMENTS (spaces))]);
}

static void
gen_string (GString *out)
{
  int n = g_test_rand_int_range (0, 6);

  g_string_append_c (out, '"');
  for (int i = 0; i < n; i++)
    g_string_append (out, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]
                                [g_test_rand_int_range (0, 3)]);
  g_string_append_c (out, '"');
}

static void gen_value (GString *out, int depth);

static void
gen_object (GString *out,
            int      depth)
{
  int n = g_test_rand_int_range (0, 4);

  g_string_append_c (out, '{');
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      gen_space (out);
      if (g_test_rand_int_range (0, 3) == 0)
        g_string_append (out, g_test_rand_bit () ? "\"type\"" : "\"typ\\u0065\"");
      else
        gen_string (out);
      gen_space (out);
      g_string_append_c (out, ':');
      gen_space (out);
      gen_value (out, depth + 1);
      gen_space (out);
    }
  g_string_append_c (out, '}');
}

static void
gen_value (GString *out,
           int      depth)
{
  static const char *scalars[] = {
    "0", "-1", "3.25", "1e5", "-0.5E-3", "123456789", "true", "false", "null",
  };
  int kind = g_test_rand_int_range (0, depth > 3 ? 2 : 4);

  switch (kind)
    {
    case 0:
      g_string_append (out, scalars[g_test_rand_int_range (0, G_N_ELEMENTS (scalars))]);
      break;

    case 1:
      gen_string (out);
      break;

    case 2:
      gen_object (out, depth);
      break;

    default:
      {
        int n = g_test_rand_int_range (0, 4);

        g_string_append_c (out, '[');
        for (int i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            gen_space (out);
            gen_value (out, depth + 1);
            gen_space (out);
          }
        g_string_append_c (out, ']');
      }
      break;
    }
}

static void
gen_type_member (GString    *out,
                 TypeMode    mode,
                 const char *type)
{
  switch (mode)
    {
    case TYPE_PLAIN:
    case TYPE_TWICE:
      g_string_append_printf (out, "\"type\"%s:%s\"%s\"", g_test_rand_bit () ? " " : "",
                              g_test_rand_bit () ? "\n" : "", type);
      break;

    case TYPE_ESCAPED_VALUE:
      g_string_append_printf (out, "\"type\":\"\\u0067%s\"", type);
      break;

    case TYPE_ESCAPED_KEY:
      g_string_append_printf (out, "\"\\u0074ype\":\"%s\"", type);
      break;

    case TYPE_NOT_STRING:
      g_string_append (out, "\"type\":");
      gen_value (out, g_test_rand_bit () ? 0 : 4);
      break;

    case TYPE_MISSING:
    case N_TYPE_MODES:
    default:
      g_assert_not_reached ();
    }
}

static char *
gen_frame (TypeMode   *mode_out,
           const char *type)
{
  static const char *keys[] = {
    "\"data\"", "\"context\"", "\"x\"", "\"types\"", "\"Type\"", "\"typ\"", "\"\"", "\"type2\"",
  };
  TypeMode mode = g_test_rand_int_range (0, N_TYPE_MODES);
  int members = g_test_rand_int_range (0, 5);
  int type_at = g_test_rand_int_range (0, members + 1);
  int second_at = g_test_rand_int_range (0, members + 1);
  GString *out = g_string_new (NULL);
  gboolean first = TRUE;

  gen_space (out);
  g_string_append_c (out, '{');
  for (int i = 0; i <= members; i++)
    {
      if (mode != TYPE_MISSING && i == type_at)
        {
          g_string_append (out, first ? "" : ",");
          gen_space (out);
          gen_type_member (out, mode, type);
          gen_space (out);
          first = FALSE;
        }
      if (mode == TYPE_TWICE && i == second_at)
        {
          g_string_append (out, first ? "" : ",");
          gen_type_member (out, mode, g_test_rand_bit () ? type : "other");
          first = FALSE;
        }
      if (i == members)
        break;

      g_string_append (out, first ? "" : ",");
      gen_space (out);
      /* data must stay an object, or the whole frame fails to parse */
      g_string_append (out, keys[g_test_rand_int_range (2, G_N_ELEMENTS (keys))]);
      gen_space (out);
      g_string_append_c (out, ':');
      gen_space (out);
      gen_value (out, 0);
      gen_space (out);
      first = FALSE;
    }
  if (g_test_rand_bit ())
    {
      g_string_append (out, first ? "\"data\":" : ",\"data\":");
      gen_object (out, 1);
    }
  g_string_append_c (out, '}');
  gen_space (out);

  *mode_out = mode;
  return g_string_free (out, FALSE);
}

static void
test_peek_generated (void)
{
  guint found = 0, parsed = 0;
  int runs = g_test_slow () ? 100000 : 5000;

  for (int i = 0; i < runs; i++)
    {
      const char *type = plain_types[g_test_rand_int_range (0, G_N_ELEMENTS (plain_types))];
      TypeMode mode;
      g_autofree char *frame = gen_frame (&mode, type);
      gsize length = strlen (frame);
      g_autoptr(OwsMessage) message = ows_message_parse (frame, length, NULL);
      char peeked[OWS_MESSAGE_PEEK_MAX + 1];

      /* The generator writes valid JSON: a parse failure is a bug in it or
       * an over-eager refusal in the guard. */
      if (mode != TYPE_NOT_STRING && mode != TYPE_MISSING && message == NULL)
        g_error ("valid frame refused: %s", frame);
      parsed += message != NULL;

      assert_agrees (frame, length, mode == TYPE_PLAIN);
      if (peek_exact (frame, length, peeked))
        found++;
      if (mode == TYPE_PLAIN)
        g_assert_cmpstr (peeked, ==, type);
    }

  g_test_message ("%d frames, %u parsed, %u peeked", runs, parsed, found);
  g_assert_cmpuint (found, >, 0);
}

/* Random bytes from JSON's alphabet: no crash, no lie. */
static void
test_peek_noise (void)
{
  static const char alphabet[] = "{}[]\":,\\ type\\u0065ab01-";

  for (int i = 0; i < 20000; i++)
    {
      char frame[48];
      gsize length = g_test_rand_int_range (0, sizeof frame);

      for (gsize j = 0; j < length; j++)
        frame[j] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      if (length > 0 && g_test_rand_bit ())
        frame[0] = '{';
      assert_agrees (frame, length, FALSE);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_writer_default_set_use_stderr (TRUE);

  g_test_add_func ("/ows/message/parse-valid", test_parse_valid);
  g_test_add_func ("/ows/message/parse-length", test_parse_length);
  g_test_add_func ("/ows/message/parse-errors", test_parse_errors);
  g_test_add_func ("/ows/message/parse-numbers", test_parse_numbers);
  g_test_add_func ("/ows/message/parse-error-text", test_parse_error_text);
  g_test_add_func ("/ows/message/parse-nul", test_parse_nul);
  g_test_add_func ("/ows/message/parse-deep", test_parse_deep);
  g_test_add_func ("/ows/message/parse-many-escapes", test_parse_many_escapes);
  g_test_add_func ("/ows/message/parse-big-string", test_parse_big_string);
  g_test_add_func ("/ows/message/parse-huge", test_parse_huge);
  g_test_add_func ("/ows/message/serialize-shape", test_serialize_shape);
  g_test_add_func ("/ows/message/serialize-roundtrip", test_serialize_roundtrip);
  g_test_add_func ("/ows/message/new-owns", test_new_owns);
  g_test_add_func ("/ows/message/reply-swap", test_reply_swap);
  g_test_add_func ("/ows/message/reply-response-type", test_reply_response_type);
  g_test_add_func ("/ows/message/reply-independent", test_reply_independent);
  g_test_add_func ("/ows/message/reply-keeps-order", test_reply_keeps_order);
  g_test_add_func ("/ows/message/peek-table", test_peek_table);
  g_test_add_func ("/ows/message/peek-traces", test_peek_traces);
  g_test_add_func ("/ows/message/peek-truncated", test_peek_truncated);
  g_test_add_func ("/ows/message/peek-generated", test_peek_generated);
  g_test_add_func ("/ows/message/peek-noise", test_peek_noise);

  return g_test_run ();
}
