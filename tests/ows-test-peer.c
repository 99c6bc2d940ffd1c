/* ows-test-peer.c: a scripted bus peer for tests: a bare WebSocket that records what it hears.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>

#include "ows-manager.h"
#include "ows-test-peer.h"

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature (address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif
/* The valgrind setup runs the plain build: only a run can tell. */
#if defined(__has_include)
# if __has_include (<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
# endif
#endif
#ifndef RUNNING_ON_VALGRIND
# define RUNNING_ON_VALGRIND 0
#endif

struct _OwsTestPeer
{
  SoupSession *session;
  SoupWebsocketConnection *connection;
  GPtrArray *received;   /* OwsMessage */
  GArray *taken;         /* gboolean per received message */
  GError *connect_error;
  gboolean connecting;
  GPtrArray *ids;        /* ids heard in client.registered, for recording */
  OwsTestGui gui;        /* what it answers gui.status.request, as ovos-gui would */
};

/* Placeholders $0 … $9 (tests/fuzz/fuzz-manager.c). */
#define RECORD_MAX_IDS 10

static void
message_cb (SoupWebsocketConnection *connection,
            int                      kind,
            GBytes                  *bytes,
            OwsTestPeer             *peer)
{
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  OwsMessage *message;
  gboolean taken = FALSE;

  if (kind != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  message = ows_message_parse (text, length, NULL);
  if (message == NULL)
    return;
  if (g_strcmp0 (ows_message_get_type_name (message), OWS_PREFIX "client.registered") == 0)
    {
      const char *id = json_object_get_string_member_with_default (ows_message_get_data (message),
                                                                   "id", NULL);

      if (id != NULL && !g_ptr_array_find_with_equal_func (peer->ids, id, g_str_equal, NULL))
        g_ptr_array_add (peer->ids, g_strdup (id));
    }
  g_ptr_array_add (peer->received, message);
  g_array_append_val (peer->taken, taken);
  if (peer->gui != OWS_TEST_GUI_SILENT &&
      g_strcmp0 (ows_message_get_type_name (message), "gui.status.request") == 0)
    ows_test_peer_send (peer, "gui.status.request.response",
                        peer->gui == OWS_TEST_GUI_CONNECTED ? "{\"connected\": true}"
                                                            : "{\"connected\": false}");
}

/* From now on, answer gui.status.request as ovos-gui does (or not at all:
 * no ovos-gui on the bus). */
void
ows_test_peer_answer_gui (OwsTestPeer *peer,
                          OwsTestGui   gui)
{
  peer->gui = gui;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwsTestPeer *peer = user_data;

  peer->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                            &peer->connect_error);
  peer->connecting = FALSE;
}

static gboolean
peer_connected (gpointer data)
{
  return !((OwsTestPeer *) data)->connecting;
}

OwsTestPeer *
ows_test_peer_new (const char *url)
{
  OwsTestPeer *peer = g_new0 (OwsTestPeer, 1);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  g_assert_nonnull (msg);
  peer->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  peer->received = g_ptr_array_new_with_free_func ((GDestroyNotify) ows_message_unref);
  peer->taken = g_array_new (FALSE, FALSE, sizeof (gboolean));
  peer->ids = g_ptr_array_new_with_free_func (g_free);
  peer->connecting = TRUE;
  soup_session_websocket_connect_async (peer->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, peer);
  g_assert_true (ows_test_wait_until (peer_connected, peer, OWS_TEST_TIMEOUT_MS));
  g_assert_no_error (peer->connect_error);
  soup_websocket_connection_set_max_incoming_payload_size (peer->connection, 64 * 1024 * 1024);
  g_signal_connect (peer->connection, "message", G_CALLBACK (message_cb), peer);
  return peer;
}

void
ows_test_peer_free (OwsTestPeer *peer)
{
  if (peer->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->connection, peer);
      if (soup_websocket_connection_get_state (peer->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (peer->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (peer->connection);
    }
  g_clear_error (&peer->connect_error);
  g_object_unref (peer->session);
  g_ptr_array_unref (peer->received);
  g_array_unref (peer->taken);
  g_ptr_array_unref (peer->ids);
  g_free (peer);
}

gboolean
ows_test_peer_is_open (OwsTestPeer *peer)
{
  return soup_websocket_connection_get_state (peer->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
append_line (const char *path,
             GString    *line)
{
  FILE *file = fopen (path, "a");

  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (line->str, 1, line->len, file), ==, line->len);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* With OWS_TEST_RECORD_DIR set, what the peers send become seeds for
 * tests/fuzz (make-corpus.sh there): each frame in message/<sha1>, each test
 * case's frames in manager/<test path>.jsonl, one a line. The ids the
 * manager handed out become $0 … $9, in the order the peer heard them, as
 * fuzz-manager reads them: a seed must not depend on a random id. */
static void
record_frame (OwsTestPeer *peer,
              const char  *text,
              gsize        length)
{
  const char *dir = g_getenv ("OWS_TEST_RECORD_DIR");
  g_autoptr(GString) frame = NULL;
  g_autofree char *sha1 = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message_dir = NULL;
  g_autofree char *manager_dir = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;

  frame = g_string_new_len (text, length);
  for (guint i = 0; i < peer->ids->len && i < RECORD_MAX_IDS; i++)
    {
      g_autofree char *placeholder = g_strdup_printf ("$%u", i);

      g_string_replace (frame, g_ptr_array_index (peer->ids, i), placeholder, 0);
    }

  message_dir = g_build_filename (dir, "message", NULL);
  manager_dir = g_build_filename (dir, "manager", NULL);
  g_assert_cmpint (g_mkdir_with_parents (message_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (manager_dir, 0755), ==, 0);

  sha1 = g_compute_checksum_for_data (G_CHECKSUM_SHA1, (const guchar *) frame->str, frame->len);
  path = g_build_filename (message_dir, sha1, NULL);
  g_assert_true (g_file_set_contents (path, frame->str, frame->len, NULL));
  g_clear_pointer (&path, g_free);

  name = g_strdelimit (g_strconcat (*g_test_get_path () ? g_test_get_path () + 1 : "main",
                                    ".jsonl", NULL), "/", '-');
  path = g_build_filename (manager_dir, name, NULL);
  g_strdelimit (frame->str, "\n", ' ');
  g_string_append_c (frame, '\n');
  append_line (path, frame);
}

void
ows_test_peer_send_raw (OwsTestPeer *peer,
                        const char  *text,
                        gsize        length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);

  record_frame (peer, text, length);

  /* send_text wants a NUL-terminated string; send_message takes any length. */
  soup_websocket_connection_send_message (peer->connection, SOUP_WEBSOCKET_DATA_TEXT, bytes);
}

void
ows_test_peer_send (OwsTestPeer *peer,
                    const char  *type,
                    const char  *data_json)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\": \"%s\", \"data\": %s, \"context\": "
                                            "{\"source\": \"test-peer\", \"destination\": "
                                            "\"wifi\"}}",
                                            type, data_json ? data_json : "{}");

  ows_test_peer_send_raw (peer, frame, strlen (frame));
}

static gssize
find_untaken (OwsTestPeer *peer,
              const char  *type)
{
  for (guint i = 0; i < peer->received->len; i++)
    if (!g_array_index (peer->taken, gboolean, i) &&
        g_strcmp0 (ows_message_get_type_name (g_ptr_array_index (peer->received, i)), type) == 0)
      return i;
  return -1;
}

typedef struct {
  OwsTestPeer *peer;
  const char *type;
} WaitData;

static gboolean
has_untaken (gpointer data)
{
  WaitData *wait = data;

  return find_untaken (wait->peer, wait->type) >= 0;
}

/* The first message of @type not returned before, or NULL after @timeout_ms. */
OwsMessage *
ows_test_peer_wait (OwsTestPeer *peer,
                    const char  *type,
                    guint        timeout_ms)
{
  WaitData wait = { peer, type };
  gssize index;

  if (!ows_test_wait_until (has_untaken, &wait, timeout_ms))
    return NULL;
  index = find_untaken (peer, type);
  g_array_index (peer->taken, gboolean, index) = TRUE;
  return ows_message_ref (g_ptr_array_index (peer->received, index));
}

/* The next message of that type, which must come within the deadline. */
OwsMessage *
ows_test_peer_expect (OwsTestPeer *peer,
                      const char  *type)
{
  OwsMessage *message = ows_test_peer_wait (peer, type, OWS_TEST_TIMEOUT_MS);

  if (message == NULL)
    g_error ("no %s on the bus within %d ms", type, OWS_TEST_TIMEOUT_MS);
  return message;
}

/* The manager's status.response data (transfer full). */
JsonObject *
ows_test_peer_status (OwsTestPeer *peer)
{
  g_autoptr(OwsMessage) reply = NULL;

  ows_test_peer_send (peer, OWS_PREFIX "status", NULL);
  reply = ows_test_peer_expect (peer, OWS_PREFIX "status.response");
  return json_object_ref (ows_message_get_data (reply));
}

/* Heard exactly @expected times so far, after a pause long enough for a
 * duplicate to show up if one were coming. */
void
ows_test_peer_assert_count (OwsTestPeer *peer,
                            const char  *type,
                            guint        expected)
{
  ows_test_sleep (150);
  if (ows_test_peer_count (peer, type) != expected)
    g_error ("%u × %s on the bus, expected %u", ows_test_peer_count (peer, type), type, expected);
}

void
ows_test_peer_assert_none (OwsTestPeer *peer,
                           const char  *type,
                           guint        wait_ms)
{
  ows_test_sleep (wait_ms);
  if (find_untaken (peer, type) >= 0)
    g_error ("unexpected %s on the bus", type);
}

guint
ows_test_peer_count (OwsTestPeer *peer,
                     const char  *type)
{
  guint count = 0;

  for (guint i = 0; i < peer->received->len; i++)
    if (g_strcmp0 (ows_message_get_type_name (g_ptr_array_index (peer->received, i)), type) == 0)
      count++;
  return count;
}

void
ows_test_peer_clear (OwsTestPeer *peer)
{
  g_ptr_array_set_size (peer->received, 0);
  g_array_set_size (peer->taken, 0);
}

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ows_test_wait_until (gboolean (*condition) (gpointer),
                     gpointer   data,
                     guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, deadline_cb, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (data);
}

/* OWS_TEST_WAIT_UNTIL's tick. */
gboolean
ows_test_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* A deadline a test gives the code under test, short to keep the suite
 * quick: memcheck runs that code many times slower, so the valgrind setup
 * sets OWS_TEST_SLOWDOWN. */
guint
ows_test_scaled_ms (guint ms)
{
  const char *factor = g_getenv ("OWS_TEST_SLOWDOWN");
  guint64 n = factor != NULL ? g_ascii_strtoull (factor, NULL, 10) : 1;

  return ms * CLAMP (n, 1, 10);
}

void
ows_test_sleep (guint ms)
{
  ows_test_wait_until (never, NULL, ms);
}

/* The frames of a recorded trace in tests/fixtures/, in order. */
GPtrArray *
ows_test_load_trace (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *frames = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) line = json_from_string (lines[i], NULL);

      if (line != NULL)
        g_ptr_array_add (frames, g_strdup (json_object_get_string_member (json_node_get_object (line),
                                                                          "frame")));
    }
  g_assert_cmpuint (frames->len, >, 0);
  return frames;
}

static char *scratch;

/* A loopback port nothing listens on (the socket that found it is gone),
 * for a server that must come back at the same address. */
guint
ows_test_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A register.client's data, built rather than printed: the texts tests
 * give are hostile on purpose (quotes, controls, 10 000 characters). */
char *
ows_test_client_json (const char *name,
                      const char *type,
                      const char *text,
                      gboolean    has_gui,
                      gboolean    requires_input)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "display_text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "has_gui");
  json_builder_add_boolean_value (builder, has_gui);
  json_builder_set_member_name (builder, "requires_input");
  json_builder_add_boolean_value (builder, requires_input);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Whatever a test left there: files, links, directories it made 0500. */
void
ows_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      ows_test_remove_tree (child);
    }
  g_rmdir (path);
}

void
ows_test_write_text (const char *path,
                     const char *text)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

char *
ows_test_read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
remove_scratch (void)
{
  ows_test_remove_tree (scratch);
  g_free (scratch);
}

/* Tests never read or write the machine's own mycroft.conf. */
void
ows_test_isolate_config (void)
{
  g_autofree char *config_home = NULL;
  g_autofree char *config_dirs = NULL;
  const char *dir;

  g_assert_null (scratch);
  dir = scratch = g_dir_make_tmp ("ows-test-XXXXXX", NULL);
  g_assert_nonnull (dir);
  atexit (remove_scratch);
  config_home = g_build_filename (dir, "config", NULL);
  config_dirs = g_build_filename (dir, "xdg", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_setenv ("MYCROFT_SYSTEM_CONFIG", "/nonexistent/mycroft.conf", TRUE);
  g_setenv ("OVOS_DISTRIBUTION_CONFIG", "/nonexistent/mycroft.conf", TRUE);
  g_unsetenv ("HOST_XDG_CONFIG_HOME");
}

static void
drop_log (const char     *domain,
          GLogLevelFlags  level,
          const char     *message,
          gpointer        data)
{
}

void
ows_test_init (int    *argc,
               char ***argv)
{
  g_test_init (argc, argv, NULL);
  /* GLib 2.74 logs to stdout, which would break the TAP stream. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* GLib's test mode prints every debug line; libsoup's two per frame would
   * bury the log of a failure. G_MESSAGES_DEBUG=libsoup brings them back. */
  if (strstr (g_getenv ("G_MESSAGES_DEBUG") ? g_getenv ("G_MESSAGES_DEBUG") : "", "libsoup") == NULL)
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_log, NULL);
  ows_test_isolate_config ();
}

/* Under ASan or valgrind, where time and memory are not what they are on a device. */
gboolean
ows_test_under_checker (void)
{
#ifdef UNDER_ASAN
  return TRUE;
#else
  return RUNNING_ON_VALGRIND != 0;
#endif
}

/* A mycroft.conf's text as OVOS reads it: comment lines dropped, the rest
 * JSON that must parse, an object. */
JsonNode *
ows_test_parse_config_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) kept = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *start = lines[i] + strspn (lines[i], " \t\r");

      if (!g_str_has_prefix (start, "//") && *start != '#')
        g_string_append_printf (kept, "%s\n", lines[i]);
    }
  json_parser_load_from_data (parser, kept->str, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_copy (json_parser_get_root (parser));
}
