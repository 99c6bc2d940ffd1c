/* test-bus.c: OwsBus (client) and OwsBusServer over real loopback sockets.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <libsoup/soup.h>

#include "ows-bus.h"
#include "ows-bus-private.h"
#include "ows-bus-server-private.h"
#include "ows-test-peer.h"

#define WAIT_MS 3000
#define GREETING "{\"type\": \"connected\", \"data\": {}, \"context\": {}}"

/* ---- waiting, always with a deadline ---- */

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond, ms) \
  G_STMT_START { \
    gboolean expired_ = FALSE; \
    guint deadline_id_ = g_timeout_add ((ms), on_deadline, &expired_); \
    while (!(cond) && !expired_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!expired_) \
      g_source_remove (deadline_id_); \
    if (!(cond)) \
      g_test_message ("timed out after %u ms waiting for: %s", (guint) (ms), #cond); \
    g_assert_true (cond); \
  } G_STMT_END

static OwsMessage *
msg_new (const char *json)
{
  g_autoptr(GError) error = NULL;
  OwsMessage *msg = ows_message_parse (json, -1, &error);

  g_assert_no_error (error);
  return msg;
}

static OwsBusServer *
server_new_listening (gboolean echo)
{
  g_autoptr(GError) error = NULL;
  OwsBusServer *server = ows_bus_server_new ();

  ows_bus_server_set_echo (server, echo);
  g_assert_true (ows_bus_server_listen (server, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ows_bus_server_get_port (server), >, 0);
  return server;
}

static SoupSession *
session_new (void)
{
  return soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

/* ---- a raw WebSocket peer that records every text frame ---- */

typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GPtrArray               *texts;
  GError                  *error;
  gboolean                 done;
  gboolean                 closed;
} Raw;

static void
raw_on_message (SoupWebsocketConnection *conn,
                SoupWebsocketDataType    type,
                GBytes                  *message,
                Raw                     *raw)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (raw->texts, g_strndup (data, len));
}

static void
raw_on_closed (SoupWebsocketConnection *conn,
               Raw                     *raw)
{
  raw->closed = TRUE;
}

static void
raw_on_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Raw *raw = user_data;

  raw->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &raw->error);
  raw->done = TRUE;
}

static Raw *
raw_new (const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  Raw *raw = g_new0 (Raw, 1);

  raw->session = session_new ();
  raw->texts = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (raw->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, raw_on_connected, raw);
  WAIT_FOR (raw->done, WAIT_MS);
  g_assert_no_error (raw->error);
  soup_websocket_connection_set_max_incoming_payload_size (raw->conn, 0);
  g_signal_connect (raw->conn, "message", G_CALLBACK (raw_on_message), raw);
  g_signal_connect (raw->conn, "closed", G_CALLBACK (raw_on_closed), raw);
  /* The greeting is the first frame of every connection. */
  WAIT_FOR (raw->texts->len >= 1, WAIT_MS);
  g_assert_cmpstr (g_ptr_array_index (raw->texts, 0), ==, GREETING);
  g_ptr_array_remove_index (raw->texts, 0);
  return raw;
}

static void
raw_send (Raw        *raw,
          const char *text)
{
  soup_websocket_connection_send_text (raw->conn, text);
}

static void
raw_free (Raw *raw)
{
  if (soup_websocket_connection_get_state (raw->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (raw->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  WAIT_FOR (raw->closed, WAIT_MS);
  g_signal_handlers_disconnect_by_data (raw->conn, raw);
  g_assert_finalize_object (raw->conn);
  g_assert_finalize_object (raw->session);
  g_ptr_array_unref (raw->texts);
  g_free (raw);
}

/* ---- an OwsBus with counters ---- */

typedef struct
{
  OwsBus     *bus;
  GPtrArray  *messages;         /* OwsMessage */
  guint       connected;
  guint       disconnected;
  guint       connect_failed;
  guint       notify_connected;
  GError     *last_error;
  gint64      last_failure;     /* monotonic usec */
  guint       depth;            /* "message" re-entrancy */
  gboolean    reply_to_ping;    /* send test.reply from inside the handler */
} Peer;

static void
peer_on_message (OwsBus     *bus,
                 OwsMessage *message,
                 Peer       *peer)
{
  g_assert_cmpuint (peer->depth, ==, 0);
  peer->depth++;
  g_ptr_array_add (peer->messages, ows_message_ref (message));
  if (peer->reply_to_ping && g_str_equal (ows_message_get_type_name (message), "test.ping"))
    {
      g_autoptr(OwsMessage) reply = msg_new ("{\"type\": \"test.reply\"}");

      ows_bus_send (bus, reply);
    }
  peer->depth--;
}

static void
peer_on_connected (OwsBus *bus,
                   Peer   *peer)
{
  g_assert_true (ows_bus_get_connected (bus));
  peer->connected++;
}

static void
peer_on_disconnected (OwsBus *bus,
                      GError *error,
                      Peer   *peer)
{
  g_assert_nonnull (error);
  g_test_message ("disconnected: %s", error->message);
  g_assert_false (ows_bus_get_connected (bus));
  g_clear_error (&peer->last_error);
  peer->last_error = g_error_copy (error);
  peer->disconnected++;
}

static void
peer_on_connect_failed (OwsBus *bus,
                        GError *error,
                        Peer   *peer)
{
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&peer->last_error);
  peer->last_error = g_error_copy (error);
  peer->last_failure = g_get_monotonic_time ();
  peer->connect_failed++;
}

static void
peer_on_notify_connected (OwsBus     *bus,
                          GParamSpec *pspec,
                          Peer       *peer)
{
  peer->notify_connected++;
}

static Peer *
peer_new (const char *url,
          gsize       max_incoming)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->bus = ows_bus_new (url, max_incoming);
  peer->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) ows_message_unref);
  g_signal_connect (peer->bus, "message", G_CALLBACK (peer_on_message), peer);
  g_signal_connect (peer->bus, "connected", G_CALLBACK (peer_on_connected), peer);
  g_signal_connect (peer->bus, "disconnected", G_CALLBACK (peer_on_disconnected), peer);
  g_signal_connect (peer->bus, "connect-failed", G_CALLBACK (peer_on_connect_failed), peer);
  g_signal_connect (peer->bus, "notify::connected", G_CALLBACK (peer_on_notify_connected), peer);
  return peer;
}

static Peer *
peer_new_connected (OwsBusServer *server)
{
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new (url, 0);

  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  return peer;
}

static guint
peer_count (Peer       *peer,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < peer->messages->len; i++)
    if (g_str_equal (ows_message_get_type_name (g_ptr_array_index (peer->messages, i)), type))
      n++;
  return n;
}

static void
peer_free (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (peer->bus, peer);
  g_assert_finalize_object (peer->bus);
  g_ptr_array_unref (peer->messages);
  g_clear_error (&peer->last_error);
  g_free (peer);
}

static guint
raw_count (Raw        *raw,
           const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < raw->texts->len; i++)
    if (strstr (g_ptr_array_index (raw->texts, i), needle) != NULL)
      n++;
  return n;
}

/* Lets every connection the server dropped finish its close handshake. */
static void
server_free (OwsBusServer *server)
{
  ows_bus_server_stop (server);
  ows_test_sleep (50);
  g_assert_finalize_object (server);
}

/* ---- OwsBusServer ---- */

static void
test_server_greeting (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  g_autofree char *expected = g_strdup_printf ("ws://127.0.0.1:%u/core",
                                               ows_bus_server_get_port (server));
  Raw *raw;

  g_assert_cmpstr (url, ==, expected);
  raw = raw_new (url);        /* asserts the greeting */
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 1, WAIT_MS);

  raw_free (raw);
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 0, WAIT_MS);
  server_free (server);
}

static void
test_server_broadcast (gconstpointer data)
{
  gboolean echo = GPOINTER_TO_INT (data);
  OwsBusServer *server = server_new_listening (echo);
  g_autofree char *url = ows_bus_server_dup_url (server);
  /* Odd spacing: the server must pass the bytes through untouched. */
  const char *frame = "{ \"type\" :\"test.one\",  \"data\":{\"n\": 1}}";
  Raw *a = raw_new (url);
  Raw *b = raw_new (url);
  Raw *c = raw_new (url);

  raw_send (a, frame);
  WAIT_FOR (b->texts->len == 1 && c->texts->len == 1, WAIT_MS);
  g_assert_cmpstr (g_ptr_array_index (b->texts, 0), ==, frame);
  g_assert_cmpstr (g_ptr_array_index (c->texts, 0), ==, frame);

  /* b answers only after it heard a's frame, so a's copy (if any) is
   * already queued before this one. */
  raw_send (b, "{\"type\": \"test.two\"}");
  WAIT_FOR (raw_count (a, "test.two") == 1, WAIT_MS);
  g_assert_cmpuint (raw_count (a, "test.one"), ==, echo ? 1 : 0);
  g_assert_cmpuint (raw_count (b, "test.two"), ==, echo ? 1 : 0);
  if (echo)
    g_assert_cmpstr (g_ptr_array_index (a->texts, 0), ==, frame);

  /* Binary frames are not relayed. */
  soup_websocket_connection_send_binary (a->conn, "xx", 2);
  ows_bus_server_broadcast (server, "{\"type\": \"test.three\"}");
  WAIT_FOR (raw_count (a, "test.three") == 1 && raw_count (b, "test.three") == 1 &&
            raw_count (c, "test.three") == 1, WAIT_MS);
  g_assert_cmpuint (c->texts->len, ==, 3);

  raw_free (a);
  raw_free (b);
  raw_free (c);
  server_free (server);
}

static char *
big_frame (gsize size)
{
  GString *big = g_string_new ("{\"type\": \"test.big\", \"data\": {\"blob\": \"");

  while (big->len < size)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}}");
  return g_string_free (big, FALSE);
}

static void
test_server_max_msg_size (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  g_autofree char *mib = big_frame (1024 * 1024);
  g_autofree char *small_big = big_frame (100 * 1024);
  Raw *a = raw_new (url);
  Raw *b = raw_new (url);

  /* Far beyond libsoup's own 128 KiB default. */
  raw_send (a, mib);
  WAIT_FOR (b->texts->len == 1, WAIT_MS);
  g_assert_cmpstr (g_ptr_array_index (b->texts, 0), ==, mib);

  /* Beyond the configured limit: the sender is closed, the others stay. */
  ows_bus_server_set_max_msg_size (server, 64 * 1024);
  raw_send (a, small_big);
  WAIT_FOR (a->closed, WAIT_MS);
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 1, WAIT_MS);
  g_assert_cmpuint (b->texts->len, ==, 1);

  raw_free (a);
  raw_free (b);
  server_free (server);
}

/* Resident memory of this process, in KiB. */
static guint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* A peer that upgrades by hand, with a small receive buffer, and never reads. */
static GSocket *
hog_new (OwsBusServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address =
    g_inet_socket_address_new (loopback, ows_bus_server_get_port (server));
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error));
  /* Loopback: the kernel completes the connect without our main loop. */
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  request = g_strdup_printf ("GET /core HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n",
                             ows_bus_server_get_port (server));
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error),
                   ==, strlen (request));
  g_assert_no_error (error);
  return socket;
}

/* A peer that stops reading is dropped once it is 8 MiB behind; the others
 * go on, and the process does not keep what was queued for it. */
static void
test_server_slow_reader (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  g_autofree char *mib = big_frame (1024 * 1024);
  g_autoptr(GSocket) hog = NULL;
  guint64 before, peak = 0, after;
  Raw *b = raw_new (url);

  /* 64 KiB messages: the limit is the 8 MiB floor. */
  ows_bus_server_set_max_msg_size (server, 64 * 1024);
  hog = hog_new (server);
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 2, WAIT_MS);
  before = rss_kib ();

  g_test_expect_message ("ows-bus-server", G_LOG_LEVEL_MESSAGE,
                         "closing bus connection from 127.0.0.1:*bytes unsent*");
  for (guint i = 0; i < 40; i++)
    {
      ows_bus_server_broadcast (server, mib);
      WAIT_FOR (b->texts->len == 1, WAIT_MS);
      g_assert_cmpstr (g_ptr_array_index (b->texts, 0), ==, mib);
      g_ptr_array_set_size (b->texts, 0);
      peak = MAX (peak, rss_kib ());
    }
  g_test_message ("RSS %" G_GUINT64_FORMAT " KiB before, peak %" G_GUINT64_FORMAT " KiB",
                  before, peak);
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 1, WAIT_MS);
  g_test_assert_expected_messages ();

  /* The other peer still talks and hears. */
  raw_send (b, "{\"type\": \"test.after\"}");
  WAIT_FOR (raw_count (b, "test.after") == 1, WAIT_MS);

  ows_test_sleep (100);
  after = rss_kib ();
  g_test_message ("RSS %" G_GUINT64_FORMAT " KiB after the drop", after);
  /* Unbounded, the hog's queue alone would be ~40 MiB. ASan keeps what is
   * freed in quarantine: there only the closing can be checked. */
  if (!ows_test_under_checker ())
    {
      g_assert_cmpuint (peak, <, before + 24 * 1024);
      g_assert_cmpuint (after, <, before + 8 * 1024);
    }

  g_socket_close (hog, NULL);
  raw_free (b);
  server_free (server);
}

/* Writes one masked text frame of our own making: libsoup refuses to send
 * text that is not UTF-8, so a hand-made peer is the only way to. */
static void
hand_send_text (GSocket    *socket,
                const char *payload,
                gsize       len)
{
  static const guint8 mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 head[2] = { 0x81, 0x80 };

  g_assert_cmpuint (len, <=, 125);
  head[1] |= (guint8) len;
  g_byte_array_append (frame, head, sizeof head);
  g_byte_array_append (frame, mask, sizeof mask);
  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = (guint8) payload[i] ^ mask[i % 4];

      g_byte_array_append (frame, &byte, 1);
    }
  g_assert_cmpint (g_socket_send (socket, (const char *) frame->data, frame->len, NULL, &error),
                   ==, frame->len);
  g_assert_no_error (error);
}

/* Reads what the server said to a hand-made peer, until the end of the
 * stream: the code of its close frame, 0 if it sent none. */
static guint
hand_close_code (GSocket *socket)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();
  const guint8 *p, *end;
  const char *body;
  char buf[4096];
  gssize n;

  g_socket_set_blocking (socket, FALSE);
  for (;;)
    {
      g_autoptr(GError) error = NULL;

      n = g_socket_receive (socket, buf, sizeof buf, NULL, &error);
      if (n <= 0)
        break;
      g_byte_array_append (in, (const guint8 *) buf, n);
    }
  body = g_strstr_len ((const char *) in->data, in->len, "\r\n\r\n");
  g_assert_nonnull (body);
  g_assert_true (g_str_has_prefix ((const char *) in->data, "HTTP/1.1 101"));
  p = (const guint8 *) body + 4;
  end = in->data + in->len;
  while (end - p >= 2)
    {
      gsize len = p[1] & 0x7f;
      gsize at = 2;

      /* A server frame: never masked; ours are all small. */
      g_assert_cmpuint (p[1] & 0x80, ==, 0);
      g_assert_cmpuint (len, <, 127);
      if (len == 126)
        {
          if (end - p < 4)
            break;
          len = (p[2] << 8) | p[3];
          at = 4;
        }
      if ((gsize) (end - p) < at + len)
        break;
      if ((p[0] & 0x0f) == 0x08)
        return len >= 2 ? (guint) ((p[at] << 8) | p[at + 1]) : SOUP_WEBSOCKET_CLOSE_NO_STATUS;
      p += at + len;
    }
  return 0;
}

/* A peer's text frame that is not UTF-8 (RFC 6455 8.1): libsoup's server
 * side closes that peer (1007) before we see the frame, so nothing is
 * relayed; everyone else, our own link included, carries on. */
static void
test_server_invalid_utf8 (void)
{
  static const char bad[] = "{\"type\": \"test.bad\xff\xfe\", \"data\": {}}";
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new_connected (server);
  Raw *b = raw_new (url);
  g_autoptr(GSocket) sender = NULL;
  guint base;

  g_assert_false (g_utf8_validate (bad, sizeof bad - 1, NULL));
  WAIT_FOR (peer_count (peer, "connected") == 1, WAIT_MS);
  sender = hog_new (server);
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 3, WAIT_MS);
  base = peer->messages->len;

  hand_send_text (sender, bad, sizeof bad - 1);
  /* The server side closes at once after its close frame: only the sender goes. */
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 2, WAIT_MS);
  g_assert_cmpuint (hand_close_code (sender), ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_socket_close (sender, NULL);

  /* Another peer's frame still goes round, and is the first thing anyone
   * hears after the bad one: that one was relayed to nobody. */
  raw_send (b, "{\"type\": \"test.after\"}");
  WAIT_FOR (peer_count (peer, "test.after") == 1, WAIT_MS);
  WAIT_FOR (raw_count (b, "test.after") == 1, WAIT_MS);
  g_assert_cmpuint (peer->messages->len, ==, base + 1);
  g_assert_cmpuint (b->texts->len, ==, 1);

  /* Our own link never dropped: no reconnect, no re-registration. */
  g_assert_true (ows_bus_get_connected (peer->bus));
  g_assert_cmpuint (peer->disconnected, ==, 0);
  g_assert_cmpuint (peer->connect_failed, ==, 0);
  g_assert_cmpuint (peer->connected, ==, 1);
  g_assert_cmpuint (peer->notify_connected, ==, 1);
  g_assert_false (b->closed);
  g_assert_cmpuint (ows_bus_server_get_n_connections (server), ==, 2);

  raw_free (b);
  peer_free (peer);
  server_free (server);
}

static void
test_server_not_loopback (void)
{
  OwsBusServer *server = ows_bus_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *refused[] = { "0.0.0.0", "192.0.2.1", "::" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (ows_bus_server_listen (server, refused[i], 0, NULL, &error));
      g_assert_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_NOT_LOOPBACK);
      g_assert_nonnull (strstr (error->message, refused[i]));
      g_clear_error (&error);
    }

  /* All of 127.0.0.0/8 is loopback, and so is "localhost". */
  g_assert_true (ows_bus_server_listen (server, "127.0.0.2", 0, "/bus", &error));
  g_assert_no_error (error);
  url = ows_bus_server_dup_url (server);
  g_assert_true (g_str_has_prefix (url, "ws://127.0.0.2:"));
  g_assert_true (g_str_has_suffix (url, "/bus"));
  ows_bus_server_stop (server);
  g_assert_true (ows_bus_server_listen (server, "localhost", 0, NULL, &error));
  g_assert_no_error (error);
  ows_bus_server_stop (server);

  ows_bus_server_set_allow_remote (server, TRUE);
  g_assert_true (ows_bus_server_listen (server, "0.0.0.0", 0, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&url, g_free);
  url = ows_bus_server_dup_url (server);
  g_assert_true (g_str_has_prefix (url, "ws://127.0.0.1:"));

  server_free (server);
}

static void
test_server_in_use (void)
{
  OwsBusServer *first = server_new_listening (TRUE);
  OwsBusServer *second = ows_bus_server_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ows_bus_server_listen (second, "127.0.0.1",
                                         ows_bus_server_get_port (first), NULL, &error));
  g_assert_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_IN_USE);

  server_free (second);
  server_free (first);
}

static void
test_server_restart (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  guint port = ows_bus_server_get_port (server);
  g_autoptr(GError) error = NULL;
  Raw *raw = raw_new (url);

  WAIT_FOR (ows_bus_server_get_n_connections (server) == 1, WAIT_MS);
  ows_bus_server_stop (server);
  g_assert_cmpuint (ows_bus_server_get_n_connections (server), ==, 0);
  WAIT_FOR (raw->closed, WAIT_MS);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (raw->conn), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  raw_free (raw);

  g_assert_true (ows_bus_server_listen (server, NULL, port, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ows_bus_server_get_port (server), ==, port);
  raw = raw_new (url);
  raw_free (raw);

  server_free (server);
}

/* ---- OwsBus ---- */

static void
test_bus_connect (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new (url, 0);

  g_assert_cmpstr (ows_bus_get_url (peer->bus), ==, url);
  g_assert_false (ows_bus_get_connected (peer->bus));
  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  g_assert_true (ows_bus_get_connected (peer->bus));
  g_assert_cmpuint (peer->notify_connected, ==, 1);
  /* The greeting reaches the owner like any message. */
  WAIT_FOR (peer_count (peer, "connected") == 1, WAIT_MS);
  g_assert_cmpuint (ows_bus_server_get_n_connections (server), ==, 1);

  /* Stopping is not a failure: no "disconnected", no retry. */
  ows_bus_stop (peer->bus);
  g_assert_false (ows_bus_get_connected (peer->bus));
  g_assert_cmpuint (peer->notify_connected, ==, 2);
  WAIT_FOR (ows_bus_server_get_n_connections (server) == 0, WAIT_MS);
  ows_test_sleep (300);
  g_assert_cmpuint (peer->disconnected, ==, 0);
  g_assert_cmpuint (peer->connected, ==, 1);

  peer_free (peer);
  server_free (server);
}

static void
test_bus_act_once (gconstpointer data)
{
  gboolean echo = GPOINTER_TO_INT (data);
  OwsBusServer *server = server_new_listening (echo);
  Peer *a = peer_new_connected (server);
  Peer *b = peer_new_connected (server);
  g_autoptr(OwsMessage) ping = msg_new ("{\"type\": \"test.ping\", \"data\": {\"n\": 1}}");
  g_autoptr(OwsMessage) pong = msg_new ("{\"type\": \"test.pong\"}");

  ows_bus_send (a->bus, ping);
  /* Loopback is immediate. */
  g_assert_cmpuint (peer_count (a, "test.ping"), ==, 1);
  WAIT_FOR (peer_count (b, "test.ping") == 1, WAIT_MS);

  /* b's answer comes after a's echo, if the bus echoes at all. */
  ows_bus_send (b->bus, pong);
  WAIT_FOR (peer_count (a, "test.pong") == 1, WAIT_MS);
  ows_test_sleep (100);
  g_assert_cmpuint (peer_count (a, "test.ping"), ==, 1);
  g_assert_cmpuint (peer_count (b, "test.ping"), ==, 1);
  g_assert_cmpuint (peer_count (b, "test.pong"), ==, 1);
  g_assert_cmpuint (peer_count (a, "test.pong"), ==, 1);

  /* The same bytes sent twice are two messages, each seen once. */
  ows_bus_send (a->bus, ping);
  ows_bus_send (a->bus, ping);
  WAIT_FOR (peer_count (b, "test.ping") == 3, WAIT_MS);
  ows_bus_send (b->bus, pong);
  WAIT_FOR (peer_count (a, "test.pong") == 2, WAIT_MS);
  g_assert_cmpuint (peer_count (a, "test.ping"), ==, 3);

  peer_free (a);
  peer_free (b);
  server_free (server);
}

static void
test_bus_loopback_reentrant (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  Peer *a = peer_new_connected (server);
  Peer *b = peer_new_connected (server);
  g_autoptr(OwsMessage) ping = msg_new ("{\"type\": \"test.ping\"}");
  guint base = a->messages->len;

  /* a answers its own ping from inside its handler: no nesting (the
   * handler asserts depth 0), and the reply comes right after. */
  a->reply_to_ping = TRUE;
  ows_bus_send (a->bus, ping);
  g_assert_cmpuint (a->messages->len, ==, base + 2);
  g_assert_cmpstr (ows_message_get_type_name (g_ptr_array_index (a->messages, base)), ==,
                   "test.ping");
  g_assert_cmpstr (ows_message_get_type_name (g_ptr_array_index (a->messages, base + 1)), ==,
                   "test.reply");
  WAIT_FOR (peer_count (b, "test.reply") == 1, WAIT_MS);
  g_assert_cmpuint (peer_count (b, "test.ping"), ==, 1);

  /* b's ping reaches a from the socket; a's reply goes out once. */
  a->reply_to_ping = FALSE;
  b->reply_to_ping = TRUE;
  ows_bus_send (b->bus, ping);
  WAIT_FOR (peer_count (a, "test.reply") == 2, WAIT_MS);
  ows_test_sleep (100);
  g_assert_cmpuint (peer_count (a, "test.ping"), ==, 2);
  g_assert_cmpuint (peer_count (b, "test.reply"), ==, 2);

  peer_free (a);
  peer_free (b);
  server_free (server);
}

static gboolean
filter_wanted (const char *type,
               gpointer    user_data)
{
  (*(guint *) user_data)++;
  return g_str_has_prefix (type, "wanted.");
}

static void
count_destroy (gpointer user_data)
{
  *(guint *) user_data = G_MAXUINT;
}

static void
test_bus_filter (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new (url, 0);
  g_autoptr(OwsMessage) local_unwanted = msg_new ("{\"type\": \"unwanted.local\"}");
  g_autoptr(OwsMessage) local_wanted = msg_new ("{\"type\": \"wanted.local\"}");
  guint calls = 0;
  guint destroyed = 0;
  Raw *raw;

  ows_bus_set_filter (peer->bus, filter_wanted, &destroyed, count_destroy);
  ows_bus_set_filter (peer->bus, filter_wanted, &calls, NULL);
  g_assert_cmpuint (destroyed, ==, G_MAXUINT);
  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  raw = raw_new (url);

  raw_send (raw, "{\"type\": \"unwanted.a\", \"data\": {\"big\": [1, 2, 3]}}");
  raw_send (raw, "{\"context\": {}, \"type\": \"unwanted.b\"}");
  raw_send (raw, "{\"type\": \"wanted.c\"}");
  raw_send (raw, "{\"type\": \"unwanted.d\"}");
  raw_send (raw, "{\"type\": \"wanted.e\"}");
  ows_bus_send (peer->bus, local_unwanted);
  ows_bus_send (peer->bus, local_wanted);
  WAIT_FOR (peer_count (peer, "wanted.e") == 1, WAIT_MS);

  /* Only wanted types reached "message" (the greeting was filtered too). */
  g_assert_cmpuint (peer->messages->len, ==, 3);
  g_assert_cmpstr (ows_message_get_type_name (g_ptr_array_index (peer->messages, 0)), ==,
                   "wanted.local");
  g_assert_cmpstr (ows_message_get_type_name (g_ptr_array_index (peer->messages, 1)), ==,
                   "wanted.c");
  g_assert_cmpuint (calls, >=, 7);
  /* The other side got everything. */
  WAIT_FOR (raw_count (raw, "\"wanted.local\"") == 1, WAIT_MS);
  g_assert_cmpuint (raw_count (raw, "\"unwanted.local\""), ==, 1);

  raw_free (raw);
  peer_free (peer);
  server_free (server);
}

static void
test_bus_bad_frames (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new_connected (server);
  const char *bad[] = {
    "not json at all",
    "[1, 2, 3]",
    "42",
    "\"type\"",
    "{\"type\": 1}",
    "{\"type\": \"\"}",
    "{\"data\": {}}",
    "{\"type\": \"test.bad\", \"data\": [1]}",
    "{\"type\": \"test.bad\", \"data\": 5}",
    "{\"type\": \"test.bad\"",
    "",
  };
  Raw *raw = raw_new (url);
  guint base;

  WAIT_FOR (peer_count (peer, "connected") == 1, WAIT_MS);
  base = peer->messages->len;
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    raw_send (raw, bad[i]);
  raw_send (raw, "{\"type\": \"test.good\", \"data\": null, \"context\": 7}");
  WAIT_FOR (peer_count (peer, "test.good") == 1, WAIT_MS);

  g_assert_cmpuint (peer->messages->len, ==, base + 1);
  g_assert_true (ows_bus_get_connected (peer->bus));
  g_assert_cmpuint (peer->disconnected, ==, 0);
  g_assert_cmpuint (peer->connected, ==, 1);

  raw_free (raw);
  peer_free (peer);
  server_free (server);
}

static void
test_bus_too_big (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new (url, 64 * 1024);
  g_autofree char *big = big_frame (100 * 1024);
  Raw *raw;

  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  raw = raw_new (url);

  /* The server takes it (its limit is 25 MiB); our bus must not. */
  raw_send (raw, big);
  WAIT_FOR (peer->disconnected == 1, WAIT_MS);
  WAIT_FOR (peer->connected == 2, WAIT_MS);
  g_assert_cmpuint (peer_count (peer, "test.big"), ==, 0);

  raw_send (raw, "{\"type\": \"test.after\"}");
  WAIT_FOR (peer_count (peer, "test.after") == 1, WAIT_MS);

  raw_free (raw);
  peer_free (peer);
  server_free (server);
}

static void
test_bus_reconnect_queue (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  guint port = ows_bus_server_get_port (server);
  g_autoptr(GError) error = NULL;
  Peer *peer = peer_new_connected (server);
  Raw *raw;
  gint64 restarted;

  ows_bus_server_stop (server);
  WAIT_FOR (peer->disconnected == 1, WAIT_MS);
  g_assert_false (ows_bus_get_connected (peer->bus));

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"type\": \"test.queued\", \"data\": {\"n\": %u}}", i);
      g_autoptr(OwsMessage) msg = msg_new (json);

      ows_bus_send (peer->bus, msg);
    }
  g_assert_cmpuint (ows_bus_get_queue_length (peer->bus), ==, 3);
  g_assert_cmpuint (peer_count (peer, "test.queued"), ==, 3);

  /* Restart right after a failed attempt: the listener must be connected
   * before the bus's next retry, which is at least 1.6 s away after four
   * (400 ms after two was not enough with the GUI tests loading the machine). */
  WAIT_FOR (peer->connect_failed >= 4, WAIT_MS);
  g_assert_true (ows_bus_server_listen (server, NULL, port, NULL, &error));
  g_assert_no_error (error);
  restarted = g_get_monotonic_time ();
  raw = raw_new (url);

  WAIT_FOR (peer->connected == 2, 4000);
  g_test_message ("reconnected %" G_GINT64_FORMAT " ms after the restart",
                  (g_get_monotonic_time () - restarted) / 1000);
  g_assert_cmpuint (ows_bus_get_queue_length (peer->bus), ==, 0);
  WAIT_FOR (raw_count (raw, "test.queued") == 3, WAIT_MS);
  ows_test_sleep (100);
  g_assert_cmpuint (raw->texts->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(OwsMessage) got = msg_new (g_ptr_array_index (raw->texts, i));

      g_assert_cmpstr (ows_message_get_type_name (got), ==, "test.queued");
      g_assert_cmpint (json_object_get_int_member (ows_message_get_data (got), "n"), ==, i);
    }
  /* Still exactly one copy at the sender, echo or not. */
  g_assert_cmpuint (peer_count (peer, "test.queued"), ==, 3);

  raw_free (raw);
  peer_free (peer);
  server_free (server);
}

static void
test_bus_queue_bound (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new (url, 0);
  Raw *raw = raw_new (url);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"type\": \"test.n\", \"data\": {\"n\": %u}}", i);
      g_autoptr(OwsMessage) msg = msg_new (json);

      ows_bus_send (peer->bus, msg);
    }
  g_assert_cmpuint (ows_bus_get_queue_length (peer->bus), ==, 256);
  g_assert_cmpuint (peer_count (peer, "test.n"), ==, 300);

  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  WAIT_FOR (raw->texts->len == 256, WAIT_MS);
  for (guint i = 0; i < 256; i++)
    {
      g_autoptr(OwsMessage) got = msg_new (g_ptr_array_index (raw->texts, i));

      g_assert_cmpint (json_object_get_int_member (ows_message_get_data (got), "n"), ==, i + 44);
    }
  /* The bus echoed all 256 at once: none of them reached the owner twice. */
  raw_send (raw, "{\"type\": \"test.marker\"}");
  WAIT_FOR (peer_count (peer, "test.marker") == 1, WAIT_MS);
  g_assert_cmpuint (peer_count (peer, "test.n"), ==, 300);

  raw_free (raw);
  peer_free (peer);
  server_free (server);
}

static void
test_bus_backoff (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  guint port = ows_bus_server_get_port (server);
  g_autoptr(GError) error = NULL;
  gint64 start, restarted;
  Peer *peer;

  ows_bus_server_stop (server);
  peer = peer_new (url, 0);
  start = g_get_monotonic_time ();
  ows_bus_start (peer->bus);

  /* 0, 100, 300, 700, 1500 ms: five attempts in two seconds. */
  ows_test_sleep (2000);
  g_test_message ("%u attempts in 2 s", peer->connect_failed);
  g_assert_cmpuint (peer->connect_failed, >=, 4);
  g_assert_cmpuint (peer->connect_failed, <=, 6);
  g_assert_error (peer->last_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (peer->last_error->message, url));

  /* Let the delay reach its cap (2 s), then bring the bus back. */
  ows_test_sleep (2500);
  g_assert_cmpuint (peer->connect_failed, <=, 8);
  g_assert_cmpuint (peer->connected, ==, 0);
  g_assert_true (ows_bus_server_listen (server, NULL, port, NULL, &error));
  g_assert_no_error (error);
  restarted = g_get_monotonic_time ();
  WAIT_FOR (peer->connected == 1, 2500);
  g_test_message ("back %" G_GINT64_FORMAT " ms after the restart, %" G_GINT64_FORMAT
                  " ms after the start", (g_get_monotonic_time () - restarted) / 1000,
                  (g_get_monotonic_time () - start) / 1000);

  peer_free (peer);
  server_free (server);
}

static void
test_bus_invalid_url (void)
{
  const char *urls[] = { "not a url", "http://127.0.0.1:8181/core", "ws://", "ws:///core" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      Peer *peer = peer_new (urls[i], 0);

      ows_bus_start (peer->bus);
      g_assert_cmpuint (peer->connect_failed, ==, 0);     /* reported from an idle */
      WAIT_FOR (peer->connect_failed == 1, WAIT_MS);
      g_assert_error (peer->last_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", peer->last_error->message);
      ows_test_sleep (400);
      g_assert_cmpuint (peer->connect_failed, ==, 1);
      g_assert_cmpuint (peer->connected, ==, 0);
      peer_free (peer);
    }
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = ows_bus_flush_finish (OWS_BUS (source), result, error);

  g_assert_true (ok == (*error == NULL));
  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

static void
test_bus_flush (void)
{
  OwsBusServer *server = server_new_listening (FALSE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer = peer_new_connected (server);
  Peer *idle = peer_new (url, 0);
  Raw *raw = raw_new (url);
  g_autoptr(OwsMessage) msg = msg_new ("{\"type\": \"stop.setup.event\"}");
  g_autoptr(GError) result = NULL;

  for (guint i = 0; i < 5; i++)
    ows_bus_send (peer->bus, msg);
  ows_bus_flush_async (peer->bus, 2000, NULL, on_flushed, &result);
  WAIT_FOR (result != NULL, WAIT_MS);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);     /* = succeeded */
  g_assert_cmpuint (raw_count (raw, "stop.setup.event"), ==, 5);
  g_assert_false (ows_bus_get_connected (peer->bus));
  /* Flushed means stopped: no "disconnected", no reconnect. */
  ows_test_sleep (300);
  g_assert_cmpuint (peer->connected, ==, 1);
  g_assert_cmpuint (peer->disconnected, ==, 0);
  g_assert_cmpuint (ows_bus_server_get_n_connections (server), ==, 1);
  g_clear_error (&result);

  /* Not connected: fails at once and says what was lost. */
  ows_bus_send (idle->bus, msg);
  ows_bus_send (idle->bus, msg);
  ows_bus_flush_async (idle->bus, 2000, NULL, on_flushed, &result);
  WAIT_FOR (result != NULL, WAIT_MS);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (result->message, "2 messages dropped"));
  g_assert_cmpuint (ows_bus_get_queue_length (idle->bus), ==, 0);

  raw_free (raw);
  peer_free (idle);
  peer_free (peer);
  server_free (server);
}

/* ---- a bus that accepts TCP, maybe answers the upgrade, then says nothing ---- */

typedef struct
{
  GSocketService *service;
  GPtrArray      *conns;
  GCancellable   *cancellable;
  guint           port;
  guint           pending;
  guint           accepted;
  gboolean        handshake;
  GBytes         *frame;        /* written after the upgrade, then our side shuts down */
} Mute;

typedef struct
{
  Mute              *mute;
  GSocketConnection *conn;
  GString           *request;
  char               buf[1024];
} MuteReader;

static void mute_read (MuteReader *reader);

static void
mute_answer (MuteReader *reader)
{
  const char *key = strstr (reader->request->str, "Sec-WebSocket-Key:");
  g_autofree char *trimmed = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (reader->conn));

  g_assert_nonnull (key);
  key += strlen ("Sec-WebSocket-Key:");
  trimmed = g_strstrip (g_strndup (key, strcspn (key, "\r")));
  g_checksum_update (sha1, (const guchar *) trimmed, -1);
  g_checksum_update (sha1, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &digest_len);
  accept = g_base64_encode (digest, digest_len);
  response = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
  g_assert_true (g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL));
  if (reader->mute->frame != NULL)
    {
      gsize len;
      gconstpointer data = g_bytes_get_data (reader->mute->frame, &len);

      g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
      /* Half-close, no reset: the client reads the frame, then the end. */
      g_socket_shutdown (g_socket_connection_get_socket (reader->conn), FALSE, TRUE, NULL);
    }
}

static void
mute_on_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MuteReader *reader = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  reader->mute->pending--;
  if (n > 0 && !g_cancellable_is_cancelled (reader->mute->cancellable))
    {
      g_string_append_len (reader->request, reader->buf, n);
      if (strstr (reader->request->str, "\r\n\r\n") == NULL)
        {
          mute_read (reader);
          return;
        }
      /* Answer the upgrade, then never read again: pings go unanswered. */
      mute_answer (reader);
    }
  g_string_free (reader->request, TRUE);
  g_object_unref (reader->conn);
  g_free (reader);
}

static void
mute_read (MuteReader *reader)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (reader->conn));

  reader->mute->pending++;
  g_input_stream_read_async (in, reader->buf, sizeof reader->buf, G_PRIORITY_DEFAULT,
                             reader->mute->cancellable, mute_on_read, reader);
}

static gboolean
mute_on_incoming (GSocketService    *service,
                  GSocketConnection *conn,
                  GObject           *source,
                  Mute              *mute)
{
  mute->accepted++;
  g_ptr_array_add (mute->conns, g_object_ref (conn));
  if (mute->handshake)
    {
      MuteReader *reader = g_new0 (MuteReader, 1);

      reader->mute = mute;
      reader->conn = g_object_ref (conn);
      reader->request = g_string_new (NULL);
      mute_read (reader);
    }
  return TRUE;
}

static Mute *
mute_new (gboolean handshake)
{
  Mute *mute = g_new0 (Mute, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  mute->handshake = handshake;
  mute->conns = g_ptr_array_new_with_free_func (g_object_unref);
  mute->cancellable = g_cancellable_new ();
  mute->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (mute->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  mute->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (mute->service, "incoming", G_CALLBACK (mute_on_incoming), mute);
  g_socket_service_start (mute->service);
  return mute;
}

static char *
mute_dup_url (Mute *mute)
{
  return g_strdup_printf ("ws://127.0.0.1:%u/core", mute->port);
}

static void
mute_free (Mute *mute)
{
  g_cancellable_cancel (mute->cancellable);
  WAIT_FOR (mute->pending == 0, WAIT_MS);
  g_socket_service_stop (mute->service);
  g_socket_listener_close (G_SOCKET_LISTENER (mute->service));
  g_signal_handlers_disconnect_by_data (mute->service, mute);
  g_object_unref (mute->service);
  for (guint i = 0; i < mute->conns->len; i++)
    g_io_stream_close (g_ptr_array_index (mute->conns, i), NULL, NULL);
  g_ptr_array_unref (mute->conns);
  g_object_unref (mute->cancellable);
  g_clear_pointer (&mute->frame, g_bytes_unref);
  /* Our buses' closing connections see the end of the stream now. */
  ows_test_sleep (100);
  g_free (mute);
}

static void
test_bus_silence (void)
{
  Mute *mute = mute_new (TRUE);
  g_autofree char *url = mute_dup_url (mute);
  Peer *peer;

  peer = peer_new (url, 0);
  ows_bus_set_timing (peer->bus, 1, 1500, OWS_BUS_DEFAULT_CONNECT_TIMEOUT_MS);

  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  /* Pings go out, nothing comes back: dead after 1.5 s, then a retry. */
  WAIT_FOR (peer->disconnected == 1, WAIT_MS);
  g_assert_error (peer->last_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  WAIT_FOR (peer->connected == 2, WAIT_MS);
  g_assert_cmpuint (mute->accepted, ==, 2);

  ows_bus_stop (peer->bus);
  peer_free (peer);
  mute_free (mute);
}

static void
test_bus_keepalive (void)
{
  OwsBusServer *server = server_new_listening (TRUE);
  g_autofree char *url = ows_bus_server_dup_url (server);
  Peer *peer;

  peer = peer_new (url, 0);
  ows_bus_set_timing (peer->bus, 1, 2500, OWS_BUS_DEFAULT_CONNECT_TIMEOUT_MS);

  /* A quiet but healthy bus answers pings: the pongs keep the link alive. */
  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connected == 1, WAIT_MS);
  ows_test_sleep (4000);
  g_assert_cmpuint (peer->disconnected, ==, 0);
  g_assert_true (ows_bus_get_connected (peer->bus));

  peer_free (peer);
  server_free (server);
}

/* A bus that relays a text frame that is not UTF-8 (one that does not check
 * what it relays; ovos-messagebus's tornado and our own server close the
 * sender instead, see /ows/bus-server/invalid-utf8): libsoup's
 * client side closes our link with 1007 before our parser sees the frame,
 * and there is no way around it in libsoup 3.2.  The cost: a disconnect and
 * a reconnect; the frame is never delivered. */
static void
test_bus_invalid_utf8_from_bus (void)
{
  static const char bad[] = "\x81\x15{\"type\": \"test.bad\xff\"}";
  Mute *mute = mute_new (TRUE);
  g_autofree char *url = mute_dup_url (mute);
  Peer *peer;

  g_assert_cmpuint (sizeof bad - 1, ==, 2 + 0x15);
  mute->frame = g_bytes_new_static (bad, sizeof bad - 1);
  peer = peer_new (url, 0);
  ows_bus_start (peer->bus);
  WAIT_FOR (peer->disconnected == 1, WAIT_MS);
  g_assert_error (peer->last_error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_assert_cmpuint (peer->connected, ==, 1);
  /* It reconnects: on a real bus, everything said on connect is said again. */
  WAIT_FOR (peer->connected == 2, WAIT_MS);
  g_assert_cmpuint (peer_count (peer, "test.bad"), ==, 0);

  ows_bus_stop (peer->bus);
  peer_free (peer);
  mute_free (mute);
}

static void
test_bus_connect_timeout (void)
{
  Mute *mute = mute_new (FALSE);
  g_autofree char *url = mute_dup_url (mute);
  Peer *peer;

  peer = peer_new (url, 0);
  ows_bus_set_timing (peer->bus, OWS_BUS_DEFAULT_KEEPALIVE_S, OWS_BUS_DEFAULT_SILENCE_MS, 300);

  ows_bus_start (peer->bus);
  WAIT_FOR (peer->connect_failed == 1, WAIT_MS);
  g_assert_error (peer->last_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  WAIT_FOR (mute->accepted == 2, WAIT_MS);

  /* Dropping the bus mid-attempt must not call back into it. */
  peer_free (peer);
  ows_test_sleep (100);
  mute_free (mute);
}

int
main (int    argc,
      char **argv)
{
  ows_test_init (&argc, &argv);

  g_test_add_func ("/ows/bus-server/greeting", test_server_greeting);
  g_test_add_data_func ("/ows/bus-server/broadcast-echo", GINT_TO_POINTER (TRUE),
                        test_server_broadcast);
  g_test_add_data_func ("/ows/bus-server/broadcast-no-echo", GINT_TO_POINTER (FALSE),
                        test_server_broadcast);
  g_test_add_func ("/ows/bus-server/max-msg-size", test_server_max_msg_size);
  g_test_add_func ("/ows/bus-server/slow-reader", test_server_slow_reader);
  g_test_add_func ("/ows/bus-server/invalid-utf8", test_server_invalid_utf8);
  g_test_add_func ("/ows/bus-server/not-loopback", test_server_not_loopback);
  g_test_add_func ("/ows/bus-server/in-use", test_server_in_use);
  g_test_add_func ("/ows/bus-server/restart", test_server_restart);

  g_test_add_func ("/ows/bus/connect", test_bus_connect);
  g_test_add_data_func ("/ows/bus/act-once-echo", GINT_TO_POINTER (TRUE), test_bus_act_once);
  g_test_add_data_func ("/ows/bus/act-once-no-echo", GINT_TO_POINTER (FALSE), test_bus_act_once);
  g_test_add_func ("/ows/bus/loopback-reentrant", test_bus_loopback_reentrant);
  g_test_add_func ("/ows/bus/filter", test_bus_filter);
  g_test_add_func ("/ows/bus/bad-frames", test_bus_bad_frames);
  g_test_add_func ("/ows/bus/too-big", test_bus_too_big);
  g_test_add_func ("/ows/bus/reconnect-queue", test_bus_reconnect_queue);
  g_test_add_func ("/ows/bus/queue-bound", test_bus_queue_bound);
  g_test_add_func ("/ows/bus/backoff", test_bus_backoff);
  g_test_add_func ("/ows/bus/invalid-url", test_bus_invalid_url);
  g_test_add_func ("/ows/bus/flush", test_bus_flush);
  g_test_add_func ("/ows/bus/silence", test_bus_silence);
  g_test_add_func ("/ows/bus/keepalive", test_bus_keepalive);
  g_test_add_func ("/ows/bus/connect-timeout", test_bus_connect_timeout);
  g_test_add_func ("/ows/bus/invalid-utf8-from-bus", test_bus_invalid_utf8_from_bus);

  return g_test_run ();
}
