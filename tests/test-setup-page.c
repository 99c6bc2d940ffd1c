/* test-setup-page.c: the hotspot's page over real HTTP on 127.0.0.1: the list, the form, CSRF, limits, escaping.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libintl.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ows-setup-page.h"

#define HOSTILE_SSID "<script>alert(1)</script>"
#define QUOTES_SSID "a&b\"c'd"
#define PASSWORD "correct horse battery"
#define DEADLINE_S 10

/* Every log line written while capturing is true. */
static GPtrArray *captured;
static gboolean capturing;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (capturing)
    for (gsize i = 0; i < n_fields; i++)
      if (strcmp (fields[i].key, "MESSAGE") == 0)
        g_ptr_array_add (captured, fields[i].length < 0
                                   ? g_strdup (fields[i].value)
                                   : g_strndup (fields[i].value, fields[i].length));
  return g_log_writer_default (level, fields, n_fields, user_data);
}

typedef struct
{
  OwsSetupPage *page;
  SoupSession *session;
  GPtrArray *requests;      /* of char *: "ssid|hidden|password" */
} Fixture;

static void
on_connect_requested (OwsSetupPage *page,
                      const char   *ssid,
                      gboolean      hidden,
                      const char   *password,
                      Fixture      *fixture)
{
  g_ptr_array_add (fixture->requests, g_strdup_printf ("%s|%d|%s", ssid, hidden, password));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string ("127.0.0.0/8", NULL);
  g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func ((GDestroyNotify) ows_setup_page_network_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (networks, ows_setup_page_network_new ("Home", 4, TRUE));
  g_ptr_array_add (networks, ows_setup_page_network_new ("Cafe", 1, FALSE));
  g_ptr_array_add (networks, ows_setup_page_network_new (HOSTILE_SSID, 2, TRUE));
  g_ptr_array_add (networks, ows_setup_page_network_new (QUOTES_SSID, 0, TRUE));

  fixture->page = ows_setup_page_new ();
  fixture->requests = g_ptr_array_new_with_free_func (g_free);
  ows_setup_page_set_networks (fixture->page, networks);
  ows_setup_page_set_allowed_subnet (fixture->page, mask);
  g_signal_connect (fixture->page, "connect-requested", G_CALLBACK (on_connect_requested), fixture);
  g_assert_true (ows_setup_page_listen (fixture->page, loopback, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ows_setup_page_get_port (fixture->page), >, 0);

  /* The default proxy resolver asks GSettings, absent in a test. */
  fixture->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  ows_setup_page_stop (fixture->page);
  g_assert_finalize_object (fixture->page);
  g_ptr_array_unref (fixture->requests);
}

typedef struct
{
  GBytes *body;
  GError *error;
  gboolean done;
} Reply;

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  g_error ("no answer within %d s", DEADLINE_S);
  return G_SOURCE_REMOVE;
}

/* One request, answered within the deadline: the body as text; @status its status. */
static const char *accept_language;  /* sent with every request when set */

static char *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *content_type,
         const char *body,
         guint      *status)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          ows_setup_page_get_port (fixture->page), path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  Reply reply = { 0 };
  SoupMessageHeaders *headers;
  guint deadline;
  gsize size;
  const char *data;
  char *text;

  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  accept_language);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  deadline = g_timeout_add_seconds (DEADLINE_S, on_deadline, NULL);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &reply);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
  g_assert_no_error (reply.error);

  *status = soup_message_get_status (msg);
  /* Every answer, refusals included. */
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-store");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Security-Policy"), ==,
                   "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL) ?: "",
                                   "text/html"));
  data = g_bytes_get_data (reply.body, &size);
  text = g_strndup (data, size);
  g_bytes_unref (reply.body);
  return text;
}

static char *
get (Fixture    *fixture,
     const char *path)
{
  guint status;
  char *body = request (fixture, "GET", path, NULL, NULL, &status);

  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  return body;
}

/* The csrf token of a page. */
static char *
token_of (const char *page)
{
  const char *at = strstr (page, "name=\"csrf\" value=\"");

  g_assert_nonnull (at);
  at += strlen ("name=\"csrf\" value=\"");
  g_assert_cmpuint (strspn (at, "0123456789abcdef"), ==, 32);
  return g_strndup (at, 32);
}

static char *
form (const char *csrf,
      const char *network,
      const char *hidden_ssid,
      const char *password)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);

  if (csrf != NULL)
    g_hash_table_insert (fields, "csrf", (char *) csrf);
  if (network != NULL)
    g_hash_table_insert (fields, "network", (char *) network);
  if (hidden_ssid != NULL)
    g_hash_table_insert (fields, "hidden_ssid", (char *) hidden_ssid);
  if (password != NULL)
    g_hash_table_insert (fields, "password", (char *) password);
  return soup_form_encode_hash (fields);
}

/* POSTs a form with a fresh token. */
static char *
submit (Fixture    *fixture,
        const char *network,
        const char *hidden_ssid,
        const char *password,
        guint      *status)
{
  g_autofree char *page = get (fixture, "/");
  g_autofree char *csrf = token_of (page);
  g_autofree char *body = form (csrf, network, hidden_ssid, password);

  return request (fixture, "POST", "/connect", "application/x-www-form-urlencoded", body, status);
}

static void
assert_self_contained (const char *page)
{
  g_assert_null (strstr (page, "<script"));
  g_assert_null (strstr (page, "<SCRIPT"));
  g_assert_null (strstr (page, "http://"));
  g_assert_null (strstr (page, "https://"));
  g_assert_nonnull (strstr (page, "<meta name=\"viewport\""));
  g_assert_nonnull (strstr (page, "<html lang=\""));
}

/* ---- the cases ---- */

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *page = get (fixture, "/");
  const char *home = strstr (page, ">Home<");
  const char *cafe = strstr (page, ">Cafe<");
  const char *hostile = strstr (page, ">&lt;script&gt;alert(1)&lt;/script&gt;<");
  const char *quotes = strstr (page, ">a&amp;b&quot;c&apos;d<");
  const char *hidden = strstr (page, "value=\"" OWS_SETUP_PAGE_HIDDEN_MARKER "\"");

  assert_self_contained (page);
  g_assert_nonnull (strstr (page, "Connect This Device to Wi-Fi"));
  g_assert_true (home != NULL && cafe != NULL && hostile != NULL && quotes != NULL && hidden != NULL);
  g_assert_true (home < cafe && cafe < hostile && hostile < quotes && quotes < hidden);
  g_assert_nonnull (g_strstr_len (home, cafe - home, "Excellent signal · secured"));
  g_assert_nonnull (g_strstr_len (cafe, hostile - cafe, "Weak signal · open"));
  g_assert_nonnull (g_strstr_len (hostile, quotes - hostile, "Fair signal · secured"));
  g_assert_nonnull (g_strstr_len (quotes, hidden - quotes, "Very weak signal · secured"));
  g_assert_nonnull (strstr (page, "type=\"password\" id=\"password\" name=\"password\" autocomplete=\"off\""));
  g_assert_nonnull (strstr (page, "name=\"hidden_ssid\""));
  g_assert_null (strstr (page, HOSTILE_SSID));
  g_assert_null (strstr (page, QUOTES_SSID));
}

static void
test_captive_checks (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *paths[] = { "/generate_204", "/hotspot-detect.html", "/library/test/success.html",
                          "/connecttest.txt", "/ncsi.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *page = get (fixture, paths[i]);

      assert_self_contained (page);
      g_assert_nonnull (strstr (page, "Connect This Device to Wi-Fi"));
      g_assert_null (strstr (page, "Success"));
    }
}

static void
test_connect (Fixture       *fixture,
              gconstpointer  data)
{
  guint status;
  g_autofree char *page = submit (fixture, "Home", "", PASSWORD, &status);
  g_autofree char *open = submit (fixture, "Cafe", "", "typed anyway", &status);
  g_autofree char *hidden = submit (fixture, OWS_SETUP_PAGE_HIDDEN_MARKER, "Attic", "", &status);
  g_autofree char *hostile = submit (fixture, HOSTILE_SSID, "", "12345678", &status);

  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  assert_self_contained (page);
  g_assert_nonnull (strstr (page, "Connecting…"));
  g_assert_null (strstr (page, PASSWORD));
  g_assert_cmpuint (fixture->requests->len, ==, 4);
  g_assert_cmpstr (fixture->requests->pdata[0], ==, "Home|0|" PASSWORD);
  g_assert_cmpstr (fixture->requests->pdata[1], ==, "Cafe|0|");
  g_assert_cmpstr (fixture->requests->pdata[2], ==, "Attic|1|");
  g_assert_cmpstr (fixture->requests->pdata[3], ==, HOSTILE_SSID "|0|12345678");
}

static void
test_csrf (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *page = get (fixture, "/");
  g_autofree char *csrf = token_of (page);
  g_autofree char *without = form (NULL, "Home", "", PASSWORD);
  g_autofree char *made_up = form ("0123456789abcdef0123456789abcdef", "Home", "", PASSWORD);
  g_autofree char *valid = form (csrf, "Home", "", PASSWORD);
  const char *type = "application/x-www-form-urlencoded";
  guint status;
  g_autofree char *a = request (fixture, "POST", "/connect", type, without, &status);

  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
  g_free (request (fixture, "POST", "/connect", type, made_up, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
  g_free (request (fixture, "POST", "/connect", type, valid, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->requests->len, ==, 1);
  g_free (request (fixture, "POST", "/connect", type, valid, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpuint (fixture->requests->len, ==, 1);
  assert_self_contained (a);
}

/* Only the 16 newest tokens live. */
static void
test_csrf_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *first = get (fixture, "/");
  g_autofree char *first_csrf = token_of (first);
  g_autofree char *last_csrf = NULL;
  g_autofree char *body = NULL;
  guint status;

  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *page = get (fixture, "/");
      g_free (last_csrf);
      last_csrf = token_of (page);
    }
  body = form (first_csrf, "Home", "", PASSWORD);
  g_free (request (fixture, "POST", "/connect", "application/x-www-form-urlencoded", body, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
  g_free (body);
  body = form (last_csrf, "Home", "", PASSWORD);
  g_free (request (fixture, "POST", "/connect", "application/x-www-form-urlencoded", body, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->requests->len, ==, 1);
}

static void
test_limits (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *page = get (fixture, "/");
  g_autofree char *csrf = token_of (page);
  g_autofree char *padding = g_strnfill (5 * 1024, 'x');
  g_autofree char *large = form (csrf, "Home", padding, PASSWORD);
  g_autofree char *valid = NULL;
  guint status;

  g_free (request (fixture, "POST", "/connect", "application/x-www-form-urlencoded", large, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpuint (fixture->requests->len, ==, 0);

  valid = form (csrf, "Home", "", PASSWORD);
  g_free (request (fixture, "POST", "/connect", "text/plain", valid, &status));
  g_assert_true (status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE || status == SOUP_STATUS_BAD_REQUEST);
  g_free (request (fixture, "POST", "/connect", "multipart/form-data; boundary=x", valid, &status));
  g_assert_true (status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE || status == SOUP_STATUS_BAD_REQUEST);
  g_free (request (fixture, "PUT", "/connect", "application/x-www-form-urlencoded", valid, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_free (request (fixture, "HEAD", "/generate_204", NULL, NULL, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_free (request (fixture, "DELETE", "/", NULL, NULL, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_free (request (fixture, "POST", "/elsewhere", "application/x-www-form-urlencoded", valid, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpuint (fixture->requests->len, ==, 0);

  /* A body of unknown length (chunked) is refused before it is read. */
  {
    g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/connect",
                                            ows_setup_page_get_port (fixture->page));
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (valid, strlen (valid), NULL);
    Reply reply = { 0 };

    soup_message_set_request_body (msg, "application/x-www-form-urlencoded", stream, -1);
    soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &reply);
    while (!reply.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (reply.error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_LENGTH_REQUIRED);
    g_bytes_unref (reply.body);
  }
  g_assert_cmpuint (fixture->requests->len, ==, 0);

  /* The token was never spent by the refusals. */
  g_free (request (fixture, "POST", "/connect", "application/x-www-form-urlencoded", valid, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->requests->len, ==, 1);
}

typedef struct
{
  const char *network;
  const char *hidden_ssid;
  const char *password;
  const char *problem;
} BadForm;

static void
test_bad_form (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *hex63 = g_strnfill (63, 'a');
  g_autofree char *nonhex64 = g_strconcat (hex63, "g", NULL);
  g_autofree char *long65 = g_strnfill (65, 'b');
  const BadForm cases[] = {
    { "Home", "", "short77", "8 to 63" },
    { "Home", "", nonhex64, "8 to 63" },
    { "Home", "", long65, "8 to 63" },
    { "Home", "", "tab\there!", "8 to 63" },
    { "Home", "", "", "needs a password" },
    { OWS_SETUP_PAGE_HIDDEN_MARKER, "Attic", "short77", "8 to 63" },
    { OWS_SETUP_PAGE_HIDDEN_MARKER, "", "", "hidden network" },
    { OWS_SETUP_PAGE_HIDDEN_MARKER, "0123456789abcdef0123456789abcdefX", "", "hidden network" },
    { "Gone", "", PASSWORD, "no longer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint status;
      g_autofree char *page = submit (fixture, cases[i].network, cases[i].hidden_ssid,
                                      cases[i].password, &status);

      g_test_message ("case %u", i);
      g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
      assert_self_contained (page);
      g_assert_nonnull (strstr (page, cases[i].problem));
      if (*cases[i].password != '\0')
        g_assert_null (strstr (page, cases[i].password));
      g_assert_null (strstr (page, "Connecting…"));
      g_free (token_of (page));
    }
  g_assert_cmpuint (fixture->requests->len, ==, 0);

  /* The typed name is kept, the chosen radio checked. */
  {
    guint status;
    g_autofree char *page = submit (fixture, OWS_SETUP_PAGE_HIDDEN_MARKER, "My <Attic>", "short77", &status);

    g_assert_nonnull (strstr (page, "name=\"hidden_ssid\" maxlength=\"32\" autocapitalize=\"none\" "
                                    "autocorrect=\"off\" spellcheck=\"false\" value=\"My &lt;Attic&gt;\""));
    g_assert_nonnull (strstr (page, "value=\"" OWS_SETUP_PAGE_HIDDEN_MARKER "\" checked"));
  }
}

static void
test_subnet (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string ("10.42.0.0/24", NULL);
  guint status;
  g_autofree char *body = form ("0123456789abcdef0123456789abcdef", "Home", "", PASSWORD);

  ows_setup_page_set_allowed_subnet (fixture->page, mask);
  g_free (request (fixture, "GET", "/", NULL, NULL, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
  g_free (request (fixture, "POST", "/connect", "application/x-www-form-urlencoded", body, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);

  ows_setup_page_set_allowed_subnet (fixture->page, NULL);
  g_free (request (fixture, "GET", "/generate_204", NULL, NULL, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpuint (fixture->requests->len, ==, 0);
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *connecting = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *choosing = NULL;

  ows_setup_page_set_status (fixture->page, OWS_SETUP_PAGE_STATUS_CONNECTING, NULL);
  connecting = get (fixture, "/hotspot-detect.html");
  assert_self_contained (connecting);
  g_assert_nonnull (strstr (connecting, "Connecting…"));
  g_assert_null (strstr (connecting, "<form"));

  ows_setup_page_set_status (fixture->page, OWS_SETUP_PAGE_STATUS_FAILED,
                             "Wrong password for “<b>Home</b>” & co");
  failed = get (fixture, "/");
  assert_self_contained (failed);
  g_assert_nonnull (strstr (failed, "Wrong password for “&lt;b&gt;Home&lt;/b&gt;” &amp; co"));
  g_assert_null (strstr (failed, "<b>"));
  g_assert_nonnull (strstr (failed, "<form"));

  ows_setup_page_set_status (fixture->page, OWS_SETUP_PAGE_STATUS_CHOOSING, "stale");
  choosing = get (fixture, "/");
  g_assert_null (strstr (choosing, "stale"));
}

static void
test_password_not_logged (Fixture       *fixture,
                          gconstpointer  data)
{
  guint status;

  g_ptr_array_set_size (captured, 0);
  capturing = TRUE;
  g_free (submit (fixture, "Home", "", PASSWORD, &status));
  g_free (submit (fixture, "Home", "", "s3cr3t!", &status));
  g_free (submit (fixture, OWS_SETUP_PAGE_HIDDEN_MARKER, "Attic", PASSWORD "!", &status));
  capturing = FALSE;

  g_assert_cmpuint (fixture->requests->len, ==, 2);
  /* Something was logged, so the check below is not vacuous. */
  g_assert_cmpuint (captured->len, >, 0);
  for (guint i = 0; i < captured->len; i++)
    {
      g_assert_null (strstr (captured->pdata[i], PASSWORD));
      g_assert_null (strstr (captured->pdata[i], "s3cr3t!"));
    }
}

/* A GNU .mo catalogue of @pairs (msgid, msgstr, ..., NULL), msgids sorted. */
static void
write_catalogue (const char         *path,
                 const char * const *pairs)
{
  g_autoptr(GByteArray) mo = g_byte_array_new ();
  g_autoptr(GByteArray) strings = g_byte_array_new ();
  guint32 n = 0, header[7];
  g_autoptr(GError) error = NULL;

  while (pairs[n * 2] != NULL)
    n++;
  header[0] = 0x950412de;
  header[1] = 0;
  header[2] = n;
  header[3] = 28;
  header[4] = 28 + 8 * n;
  header[5] = 0;
  header[6] = 0;
  g_byte_array_append (mo, (guint8 *) header, sizeof header);
  for (guint column = 0; column < 2; column++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = pairs[i * 2 + column];
        guint32 entry[2] = { strlen (text), 28 + 16 * n + strings->len };

        g_byte_array_append (mo, (guint8 *) entry, sizeof entry);
        g_byte_array_append (strings, (guint8 *) text, strlen (text) + 1);
      }
  g_byte_array_append (mo, strings->data, strings->len);
  g_assert_true (g_file_set_contents (path, (char *) mo->data, mo->len, &error));
  g_assert_no_error (error);
}

/* The phone's first language we have a catalogue for, else the process's (C: English). */
static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ows-setup-page-XXXXXX", &error);
  g_autofree char *messages = g_build_filename (dir, "de", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *old_dir = g_strdup (bindtextdomain (GETTEXT_PACKAGE, NULL));
  const char * const pairs[] = {
    "Connect", "Verbinden",
    "Connect This Device to Wi-Fi", "Dieses Gerät mit dem WLAN verbinden",
    "Page Expired", "Seite abgelaufen",
    NULL };
  struct { const char *header; const char *lang; const char *title; } cases[] = {
    { "de-CH, en;q=0.5", "de", "Dieses Gerät mit dem WLAN verbinden" },
    { "ja, en-GB;q=0.8, de;q=0.7", "en-GB", "Connect This Device to Wi-Fi" },
    { "ja", "en", "Connect This Device to Wi-Fi" },
    { NULL, "en", "Connect This Device to Wi-Fi" },
  };
  guint status;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  write_catalogue (mo, pairs);
  bindtextdomain (GETTEXT_PACKAGE, dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *page = NULL;
      g_autofree char *lang = g_strdup_printf ("<html lang=\"%s\">", cases[i].lang);
      g_autofree char *title = g_strdup_printf ("<h1>%s</h1>", cases[i].title);

      accept_language = cases[i].header;
      page = get (fixture, "/");
      g_assert_nonnull (strstr (page, lang));
      g_assert_nonnull (strstr (page, title));
    }

  /* The refusals too; and untranslated strings stay English. */
  accept_language = "de";
  {
    g_autofree char *body = form (NULL, "Home", "", PASSWORD);
    g_autofree char *page = request (fixture, "POST", "/connect",
                                     "application/x-www-form-urlencoded", body, &status);

    g_assert_cmpuint (status, ==, SOUP_STATUS_FORBIDDEN);
    g_assert_nonnull (strstr (page, "<h1>Seite abgelaufen</h1>"));
    g_assert_nonnull (strstr (page, "This page is out of date."));
  }
  accept_language = NULL;

  bindtextdomain (GETTEXT_PACKAGE, old_dir);
  g_assert_cmpint (g_remove (mo), ==, 0);
  g_assert_cmpint (g_rmdir (messages), ==, 0);
  {
    g_autofree char *de = g_path_get_dirname (messages);
    g_assert_cmpint (g_rmdir (de), ==, 0);
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_pick_language (void)
{
  const char * const available[] = { "de", "pt_BR", "fr", "en", NULL };
  const struct { const char *header; const char *language; } cases[] = {
    { "de-CH,de;q=0.9,en;q=0.8", "de" },
    { "pt-br", "pt_BR" },
    { "pt-PT,pt;q=0.9", NULL },
    { "ja,fr;q=0.5,de;q=0.7", "de" },
    { "ja, *;q=0.5", NULL },
    { "fr;q=0,en", "en" },
    { "", NULL },
    { "x\"y,de", "de" },
    { "../../../etc/x,fr", "fr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *picked = ows_setup_page_pick_language (cases[i].header, available);

      g_assert_cmpstr (picked, ==, cases[i].language);
    }
  g_assert_null (ows_setup_page_pick_language (NULL, available));
}

int
main (int   argc,
      char *argv[])
{
  g_log_writer_default_set_use_stderr (TRUE);
  g_test_init (&argc, &argv, NULL);
  captured = g_ptr_array_new_with_free_func (g_free);
  /* Debug lines too, so that the password check sees everything logged. */
  g_log_set_debug_enabled (TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(name, func) \
  g_test_add ("/ows/setup-page/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list", test_list);
  ADD ("captive-checks", test_captive_checks);
  ADD ("connect", test_connect);
  ADD ("csrf", test_csrf);
  ADD ("csrf-limit", test_csrf_limit);
  ADD ("limits", test_limits);
  ADD ("bad-form", test_bad_form);
  ADD ("subnet", test_subnet);
  ADD ("status", test_status);
  ADD ("password-not-logged", test_password_not_logged);
  ADD ("language", test_language);
#undef ADD
  g_test_add_func ("/ows/setup-page/pick-language", test_pick_language);

  return g_test_run ();
}
