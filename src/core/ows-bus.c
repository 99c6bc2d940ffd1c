/* ows-bus.c: the WebSocket client of the OVOS messagebus: reconnects, keepalive, send queue, act-once.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-bus"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "ows-bus.h"
#include "ows-bus-private.h"
#include "ows-websocket-private.h"

/* Tunables.  The three timers are per bus; tests shorten them with
 * ows_bus_set_timing () (ows-bus-private.h) before starting it:
 *   keepalive_s         ping interval in seconds (default 15, 0 = off)
 *   silence_ms          nothing received (frame or pong) for this long
 *                       = dead link (default 45000, 0 = off; off too
 *                       when keepalive is off)
 *   connect_timeout_ms  one connect attempt (default 5000)
 */
#define DEFAULT_MAX_INCOMING   (25 * 1024 * 1024)
#define BACKOFF_FIRST_MS       100
#define BACKOFF_MAX_MS         2000
/* A connection this old proved the bus healthy: the next retry is quick again. */
#define HEALTHY_USEC           (5 * G_USEC_PER_SEC)
#define SEND_QUEUE_MAX         256
/* Enough for a whole send queue flushed at once plus a burst: an echo that
 * outlives its memory would reach the owner twice. */
#define ECHO_MEMORY_MAX        (SEND_QUEUE_MAX + 64)
#define ECHO_MEMORY_USEC       (10 * G_USEC_PER_SEC)

typedef enum
{
  REPORT_NONE,
  REPORT_CONNECT_FAILED,
  REPORT_DISCONNECTED,
} Report;

/* The bus's phase.  It is never stored: bus_state () derives it from the
 * fields that hold the connection, so the two cannot disagree. */
typedef enum
{
  BUS_STATE_STOPPED,     /* not running; at most a final report pending (unusable URL) */
  BUS_STATE_CONNECTING,  /* one attempt out, its timeout armed */
  BUS_STATE_OPEN,        /* connected: frames are written at once */
  BUS_STATE_CLOSING,     /* the peer or libsoup closed the connection: "closed" tears it down */
  BUS_STATE_RETRY_WAIT,  /* running, no connection: the report, then the retry timer, is due */
  BUS_STATE_FLUSHING,    /* our own clean close; running again if restarted meanwhile */
} BusState;

typedef struct
{
  GBytes *bytes;
  gint64  expires;              /* monotonic usec */
} Written;

typedef struct
{
  OwsBus       *self;           /* only touched when not cancelled */
  GCancellable *cancellable;
} Attempt;

struct _OwsBus
{
  GObject                  parent_instance;

  char                    *url;
  GUri                    *uri;           /* NULL: url unusable, see uri_error */
  GError                  *uri_error;
  gsize                    max_incoming;
  guint                    keepalive_s;
  guint                    silence_ms;
  guint                    connect_timeout_ms;

  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GError                  *conn_error;    /* first "error" of conn */
  GCancellable            *connect_cancellable;
  guint                    connect_timeout_id;
  guint                    reconnect_id;
  guint                    silence_id;
  gint64                   last_rx;       /* monotonic usec of the last frame or pong */
  gint64                   connected_at;  /* monotonic usec when conn opened */
  guint                    backoff_ms;

  guint                    report_id;
  Report                   report;
  GError                  *report_error;

  GQueue                   send_queue;    /* GBytes, waiting for a connection */
  GQueue                   written;       /* Written, for echo suppression */
  GQueue                   inbox;         /* OwsMessage, waiting for "message" */

  OwsBusFilter             filter;
  gpointer                 filter_data;
  GDestroyNotify           filter_destroy;

  GTask                   *flush_task;
  guint                    flush_timeout_id;

  guint                    running : 1;     /* started and not stopped: keep reconnecting */
  guint                    connected : 1;   /* the "connected" property, told once the queue went out */
  guint                    delivering : 1;  /* inside deliver (): a loopback message waits its turn */
};

G_DEFINE_FINAL_TYPE (OwsBus, ows_bus, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_CONNECTED,
  SIGNAL_DISCONNECTED,
  SIGNAL_CONNECT_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bus_connect (OwsBus *self);

/* The connection comes first: a flush whose connection is gone is only
 * completing, and a handler may already connect again meanwhile.
 * reconnect_id and report_id only tell what RETRY_WAIT waits for. */
static BusState
bus_state (OwsBus *self)
{
  if (self->connect_cancellable != NULL)
    return BUS_STATE_CONNECTING;
  if (self->conn != NULL && self->flush_task != NULL)
    return BUS_STATE_FLUSHING;
  if (self->conn != NULL)
    return soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN ?
           BUS_STATE_OPEN : BUS_STATE_CLOSING;
  return self->running ? BUS_STATE_RETRY_WAIT : BUS_STATE_STOPPED;
}

static void
written_free (Written *written)
{
  g_bytes_unref (written->bytes);
  g_free (written);
}

static void
set_connected (OwsBus   *self,
               gboolean  connected)
{
  if (self->connected == !!connected)
    return;
  self->connected = !!connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static gboolean
wanted (OwsBus     *self,
        const char *type)
{
  return self->filter == NULL || self->filter (type, self->filter_data);
}

/* Every message reaches "message" through here, one at a time: a handler
 * that sends (and so loops back) never re-enters itself; the outer loop
 * delivers the new message after the current handler returns. */
static void
deliver (OwsBus     *self,
         OwsMessage *message)
{
  g_queue_push_tail (&self->inbox, message);
  if (self->delivering)
    return;

  g_object_ref (self);
  self->delivering = TRUE;
  while ((message = g_queue_pop_head (&self->inbox)) != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
      ows_message_unref (message);
    }
  self->delivering = FALSE;
  g_object_unref (self);
}

/* Echo suppression: a frame we wrote that comes back verbatim is ours. */
static void
remember_written (OwsBus *self,
                  GBytes *bytes)
{
  Written *written = g_new (Written, 1);

  written->bytes = g_bytes_ref (bytes);
  written->expires = g_get_monotonic_time () + ECHO_MEMORY_USEC;
  g_queue_push_tail (&self->written, written);
  if (self->written.length > ECHO_MEMORY_MAX)
    written_free (g_queue_pop_head (&self->written));
}

static gboolean
is_own_echo (OwsBus        *self,
             gconstpointer  data,
             gsize          len)
{
  gint64 now;
  Written *written;

  if (self->written.length == 0)
    return FALSE;

  now = g_get_monotonic_time ();
  while ((written = g_queue_peek_head (&self->written)) != NULL && written->expires <= now)
    written_free (g_queue_pop_head (&self->written));

  for (GList *l = self->written.head; l != NULL; l = l->next)
    {
      gsize size;
      gconstpointer bytes;

      written = l->data;
      bytes = g_bytes_get_data (written->bytes, &size);
      if (size == len && memcmp (bytes, data, len) == 0)
        {
          g_queue_delete_link (&self->written, l);
          written_free (written);
          return TRUE;
        }
    }
  return FALSE;
}

static void
write_frame (OwsBus *self,
             GBytes *bytes)
{
  soup_websocket_connection_send_message (self->conn, SOUP_WEBSOCKET_DATA_TEXT, bytes);
  remember_written (self, bytes);
}

/* Lets go of the connection, closing an open one cleanly, without calling us back. */
static void
drop_connection (OwsBus  *self,
                 gushort  code)
{
  SoupWebsocketConnection *conn = g_steal_pointer (&self->conn);

  g_clear_error (&self->conn_error);
  if (conn == NULL)
    return;

  g_signal_handlers_disconnect_by_data (conn, self);
  ows_websocket_close_and_release (conn, code);
}

static gboolean
on_reconnect (gpointer user_data)
{
  OwsBus *self = user_data;

  self->reconnect_id = 0;
  bus_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (OwsBus *self)
{
  if (bus_state (self) != BUS_STATE_RETRY_WAIT || self->reconnect_id != 0)
    return;

  g_debug ("reconnecting to %s in %u ms", self->url, self->backoff_ms);
  self->reconnect_id = g_timeout_add (self->backoff_ms, on_reconnect, self);
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
}

/* Failures are told from here, never from the I/O callback that saw them. */
static gboolean
on_report (gpointer user_data)
{
  OwsBus *self = user_data;
  g_autoptr(GError) error = g_steal_pointer (&self->report_error);
  Report report = self->report;

  self->report_id = 0;
  self->report = REPORT_NONE;

  g_object_ref (self);
  set_connected (self, FALSE);
  if (report == REPORT_DISCONNECTED)
    g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, error);
  else if (report == REPORT_CONNECT_FAILED)
    g_signal_emit (self, signals[SIGNAL_CONNECT_FAILED], 0, error);
  /* A handler may have stopped us. */
  schedule_reconnect (self);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

/* The one teardown path: whatever broke, undo the attempt or connection,
 * then report (if asked) from an idle, which also schedules the retry. */
static void
bus_teardown (OwsBus  *self,
              Report   report,
              GError  *error)
{
  g_clear_handle_id (&self->silence_id, g_source_remove);
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  /* Only a connection that lasted starts the backoff over.  Resetting it on
   * every upgrade would let a bus that accepts and then closes at once (a
   * crash loop, a proxy with nothing behind it) get a reconnect every
   * BACKOFF_FIRST_MS forever. */
  if (self->conn != NULL && g_get_monotonic_time () - self->connected_at >= HEALTHY_USEC)
    self->backoff_ms = BACKOFF_FIRST_MS;
  if (self->connect_cancellable != NULL)
    {
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connect_cancellable);
    }
  drop_connection (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
  /* Echoes of frames sent on a dead connection never come back. */
  g_queue_clear_full (&self->written, (GDestroyNotify) written_free);

  if (report == REPORT_NONE)
    {
      g_clear_error (&error);
      return;
    }

  g_debug ("%s: %s", report == REPORT_DISCONNECTED ? "disconnected" : "connect failed",
           error->message);
  g_clear_error (&self->report_error);
  self->report_error = error;
  self->report = report;
  if (self->report_id == 0)
    self->report_id = g_idle_add (on_report, self);
}

static void
complete_flush (OwsBus *self,
                GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->flush_task);

  g_clear_handle_id (&self->flush_timeout_id, g_source_remove);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_silence_check (gpointer user_data)
{
  OwsBus *self = user_data;
  gint64 idle_ms = (g_get_monotonic_time () - self->last_rx) / 1000;

  self->silence_id = 0;
  if (idle_ms >= self->silence_ms)
    {
      bus_teardown (self, REPORT_DISCONNECTED,
                    g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 "The bus at %s sent nothing (not even a pong) for %u ms",
                                 self->url, self->silence_ms));
      return G_SOURCE_REMOVE;
    }
  /* Rearm for the rest of the window: no timer churn per received frame. */
  self->silence_id = g_timeout_add (self->silence_ms - idle_ms + 1, on_silence_check, self);
  return G_SOURCE_REMOVE;
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               OwsBus                  *self)
{
  g_autoptr(GError) error = NULL;
  char peeked[OWS_MESSAGE_PEEK_MAX + 1];
  OwsMessage *parsed;
  gconstpointer data;
  gsize len;

  self->last_rx = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  data = g_bytes_get_data (message, &len);
  if (is_own_echo (self, data, len))
    return;
  /* Unrelated traffic stops here, without building a tree. */
  if (self->filter != NULL && ows_message_peek_type (data, len, peeked) && !wanted (self, peeked))
    return;

  parsed = ows_message_parse (data, len, &error);
  if (parsed == NULL)
    {
      g_debug ("dropping bad frame: %s", error->message);
      return;
    }
  if (!wanted (self, ows_message_get_type_name (parsed)))
    {
      ows_message_unref (parsed);
      return;
    }
  deliver (self, parsed);
}

static void
on_ws_pong (SoupWebsocketConnection *conn,
            GBytes                  *message,
            OwsBus                  *self)
{
  self->last_rx = g_get_monotonic_time ();
}

static void
on_ws_error (SoupWebsocketConnection *conn,
             GError                  *error,
             OwsBus                  *self)
{
  g_debug ("connection error: %s", error->message);
  if (self->conn_error == NULL)
    self->conn_error = g_error_copy (error);
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              OwsBus                  *self)
{
  g_autoptr(GError) conn_error = g_steal_pointer (&self->conn_error);
  gushort code = soup_websocket_connection_get_close_code (conn);
  const char *reason = soup_websocket_connection_get_close_data (conn);
  GError *error = NULL;

  if (conn_error != NULL)
    error = g_error_new (conn_error->domain, conn_error->code, "Lost the bus at %s: %s",
                         self->url, conn_error->message);

  /* The close we asked for in ows_bus_flush_async (): everything went out. */
  if (bus_state (self) == BUS_STATE_FLUSHING)
    {
      g_object_ref (self);
      bus_teardown (self, REPORT_NONE, NULL);
      set_connected (self, FALSE);
      complete_flush (self, error);
      /* Restarted while the flush was closing. */
      schedule_reconnect (self);
      g_object_unref (self);
      return;
    }

  if (error == NULL)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "The bus at %s closed the connection (code %u%s%s)", self->url, code,
                         reason != NULL && *reason != '\0' ? ": " : "",
                         reason != NULL ? reason : "");
  bus_teardown (self, REPORT_DISCONNECTED, error);
}

/* Small frames that want an answer now: no Nagle (see ows-bus-server.c).
 * libsoup hands us its own SoupIOStream, which wraps the socket's stream. */
static void
set_no_delay (GIOStream *stream)
{
  g_autoptr(GIOStream) base = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream") != NULL)
    {
      g_object_get (stream, "base-iostream", &base, NULL);
      stream = base;
    }
  if (G_IS_SOCKET_CONNECTION (stream))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)),
                         IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  else
    g_debug ("cannot turn Nagle off on a %s", stream ? G_OBJECT_TYPE_NAME (stream) : "(null)");
}

static void
bus_attach (OwsBus                  *self,
            SoupWebsocketConnection *conn)
{
  GBytes *bytes;

  self->conn = conn;
  set_no_delay (soup_websocket_connection_get_io_stream (conn));
  soup_websocket_connection_set_max_incoming_payload_size (conn, self->max_incoming);
  soup_websocket_connection_set_keepalive_interval (conn, self->keepalive_s);
  g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (conn, "pong", G_CALLBACK (on_ws_pong), self);
  g_signal_connect (conn, "error", G_CALLBACK (on_ws_error), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), self);

  self->last_rx = self->connected_at = g_get_monotonic_time ();
  /* Without pings a quiet but healthy bus would look dead. */
  if (self->silence_ms > 0 && self->keepalive_s > 0)
    self->silence_id = g_timeout_add (self->silence_ms, on_silence_check, self);
  g_debug ("connected to %s, flushing %u queued frames", self->url, self->send_queue.length);

  /* Queued frames first, then "connected": the bus sees messages in the
   * order the owner sent them, so the `alive` the owner emits from
   * "connected" follows what it sent while we were down, never the reverse. */
  while ((bytes = g_queue_pop_head (&self->send_queue)) != NULL)
    {
      write_frame (self, bytes);
      g_bytes_unref (bytes);
    }

  g_object_ref (self);
  set_connected (self, TRUE);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
  g_object_unref (self);
}

static void
attempt_free (Attempt *attempt)
{
  g_object_unref (attempt->cancellable);
  g_free (attempt);
}

static void
on_connect_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;
  OwsBus *self;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (attempt->cancellable))
    {
      /* Stopped, timed out or disposed: the bus may be gone, do not touch it. */
      g_clear_object (&conn);
      attempt_free (attempt);
      return;
    }
  self = attempt->self;
  attempt_free (attempt);

  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  g_clear_object (&self->connect_cancellable);

  if (conn == NULL)
    {
      bus_teardown (self, REPORT_CONNECT_FAILED,
                    g_error_new (error->domain, error->code, "Cannot connect to the bus at %s: %s",
                                 self->url, error->message));
      return;
    }
  bus_attach (self, conn);
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  OwsBus *self = user_data;

  self->connect_timeout_id = 0;
  bus_teardown (self, REPORT_CONNECT_FAILED,
                g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             "Cannot connect to the bus at %s: no answer within %u ms",
                             self->url, self->connect_timeout_ms));
  return G_SOURCE_REMOVE;
}

static void
bus_connect (OwsBus *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  Attempt *attempt;

  g_assert (bus_state (self) == BUS_STATE_RETRY_WAIT);

  msg = soup_message_new_from_uri (SOUP_METHOD_GET, self->uri);
  self->connect_cancellable = g_cancellable_new ();
  self->connect_timeout_id = g_timeout_add (self->connect_timeout_ms, on_connect_timeout, self);

  attempt = g_new0 (Attempt, 1);
  attempt->self = self;
  attempt->cancellable = g_object_ref (self->connect_cancellable);
  g_debug ("connecting to %s", self->url);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, on_connect_done, attempt);
}

static GUri *
parse_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid bus address: %s", url, local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "ws") != 0 && g_strcmp0 (scheme, "wss") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid bus address: it must start with ws:// or wss://", url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid bus address: it names no host", url);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

OwsBus *
ows_bus_new (const char *url,
             gsize       max_incoming)
{
  OwsBus *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (OWS_TYPE_BUS, "url", url, NULL);
  self->max_incoming = max_incoming > 0 ? max_incoming : DEFAULT_MAX_INCOMING;
  return self;
}

void
ows_bus_set_filter (OwsBus         *self,
                    OwsBusFilter    filter,
                    gpointer        user_data,
                    GDestroyNotify  destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (OWS_IS_BUS (self));

  old_destroy = self->filter_destroy;
  old_data = self->filter_data;
  self->filter = filter;
  self->filter_data = user_data;
  self->filter_destroy = destroy;
  if (old_destroy != NULL)
    old_destroy (old_data);
}

void
ows_bus_start (OwsBus *self)
{
  BusState state;

  g_return_if_fail (OWS_IS_BUS (self));

  if (self->running)
    return;

  if (self->uri == NULL)
    {
      /* Final: retrying an address that cannot work would only spam. */
      if (self->report_id == 0)
        bus_teardown (self, REPORT_CONNECT_FAILED, g_error_copy (self->uri_error));
      return;
    }

  /* Restarted while flushing: the flush's "closed" reconnects. */
  state = bus_state (self);
  self->running = TRUE;
  self->backoff_ms = BACKOFF_FIRST_MS;
  if (state == BUS_STATE_STOPPED)
    bus_connect (self);
}

void
ows_bus_stop (OwsBus *self)
{
  g_return_if_fail (OWS_IS_BUS (self));

  g_object_ref (self);
  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->report_id, g_source_remove);
  g_clear_error (&self->report_error);
  self->report = REPORT_NONE;
  bus_teardown (self, REPORT_NONE, NULL);
  set_connected (self, FALSE);
  complete_flush (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "The bus was stopped before the flush completed"));
  g_object_unref (self);
}

void
ows_bus_send (OwsBus     *self,
              OwsMessage *message)
{
  g_autoptr(GBytes) bytes = NULL;
  char *text;
  gsize len;

  g_return_if_fail (OWS_IS_BUS (self));
  g_return_if_fail (message != NULL);

  text = ows_message_serialize (message, &len);
  bytes = g_bytes_new_take (text, len);

  if (bus_state (self) == BUS_STATE_OPEN)
    write_frame (self, bytes);
  else
    {
      g_queue_push_tail (&self->send_queue, g_bytes_ref (bytes));
      if (self->send_queue.length > SEND_QUEUE_MAX)
        {
          g_debug ("send queue full (%u): dropping the oldest frame", SEND_QUEUE_MAX);
          g_bytes_unref (g_queue_pop_head (&self->send_queue));
        }
    }

  /* Local loopback: the owner sees its own messages exactly once, at send
   * time, whether or not the bus echoes them (echoes are suppressed). */
  if (wanted (self, ows_message_get_type_name (message)))
    deliver (self, ows_message_ref (message));
}

/* What the owner says where no bus may hear it (before we know whether
 * another manager is on it): every listener of this process hears it, as
 * ows_bus_send () would have it, and the socket never sees it. */
void
ows_bus_deliver_local (OwsBus     *self,
                       OwsMessage *message)
{
  g_return_if_fail (OWS_IS_BUS (self));
  g_return_if_fail (message != NULL);

  if (wanted (self, ows_message_get_type_name (message)))
    deliver (self, ows_message_ref (message));
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  OwsBus *self = user_data;
  guint timeout_ms = 0;

  self->flush_timeout_id = 0;
  if (self->flush_task != NULL)
    timeout_ms = GPOINTER_TO_UINT (g_task_get_task_data (self->flush_task));
  g_object_ref (self);
  bus_teardown (self, REPORT_NONE, NULL);
  set_connected (self, FALSE);
  complete_flush (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     "The bus did not confirm the close within %u ms",
                                     timeout_ms));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Flushing closes the connection cleanly: libsoup writes every queued frame
 * before the close frame, so "closed" means everything went out.  The bus
 * is stopped afterwards (no reconnect, no "disconnected").  Cancellation is
 * honoured when the flush completes, at the latest after timeout_ms. */
void
ows_bus_flush_async (OwsBus              *self,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OWS_IS_BUS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ows_bus_flush_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (timeout_ms), NULL);

  if (self->flush_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "A flush of this bus is already running");
      return;
    }

  if (bus_state (self) != BUS_STATE_OPEN)
    {
      guint dropped = self->send_queue.length;

      g_queue_clear_full (&self->send_queue, (GDestroyNotify) g_bytes_unref);
      ows_bus_stop (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "Not connected to the bus at %s, %u messages dropped",
                               self->url, dropped);
      return;
    }

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->silence_id, g_source_remove);
  self->flush_task = g_steal_pointer (&task);
  self->flush_timeout_id = g_timeout_add (timeout_ms, on_flush_timeout, self);
  soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

gboolean
ows_bus_flush_finish (OwsBus        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (OWS_IS_BUS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ows_bus_flush_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ows_bus_get_connected (OwsBus *self)
{
  g_return_val_if_fail (OWS_IS_BUS (self), FALSE);
  return self->connected;
}

const char *
ows_bus_get_url (OwsBus *self)
{
  g_return_val_if_fail (OWS_IS_BUS (self), NULL);
  return self->url;
}

/* Takes effect from the next connect attempt; tests call it before ows_bus_start (). */
void
ows_bus_set_timing (OwsBus *self,
                    guint   keepalive_s,
                    guint   silence_ms,
                    guint   connect_timeout_ms)
{
  g_return_if_fail (OWS_IS_BUS (self));
  g_return_if_fail (bus_state (self) == BUS_STATE_STOPPED);
  g_return_if_fail (connect_timeout_ms > 0);

  self->keepalive_s = keepalive_s;
  self->silence_ms = silence_ms;
  self->connect_timeout_ms = connect_timeout_ms;
}

guint
ows_bus_get_queue_length (OwsBus *self)
{
  g_return_val_if_fail (OWS_IS_BUS (self), 0);
  return self->send_queue.length;
}

static void
ows_bus_constructed (GObject *object)
{
  OwsBus *self = OWS_BUS (object);

  G_OBJECT_CLASS (ows_bus_parent_class)->constructed (object);

  if (self->url == NULL)
    self->url = g_strdup ("");
  self->uri = parse_url (self->url, &self->uri_error);
}

static void
ows_bus_dispose (GObject *object)
{
  OwsBus *self = OWS_BUS (object);

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->report_id, g_source_remove);
  g_clear_handle_id (&self->flush_timeout_id, g_source_remove);
  bus_teardown (self, REPORT_NONE, NULL);
  complete_flush (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "The bus was disposed before the flush completed"));
  g_queue_clear_full (&self->send_queue, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->inbox, (GDestroyNotify) ows_message_unref);
  ows_bus_set_filter (self, NULL, NULL, NULL);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ows_bus_parent_class)->dispose (object);
}

static void
ows_bus_finalize (GObject *object)
{
  OwsBus *self = OWS_BUS (object);

  g_clear_error (&self->report_error);
  g_clear_error (&self->uri_error);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_free (self->url);

  G_OBJECT_CLASS (ows_bus_parent_class)->finalize (object);
}

static void
ows_bus_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OwsBus *self = OWS_BUS (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_bus_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  OwsBus *self = OWS_BUS (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_free (self->url);
      self->url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_bus_class_init (OwsBusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ows_bus_constructed;
  object_class->dispose = ows_bus_dispose;
  object_class->finalize = ows_bus_finalize;
  object_class->get_property = ows_bus_get_property;
  object_class->set_property = ows_bus_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* One frame from the bus, or a message this bus sent (loopback). */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  OWS_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* After every successful (re)connect, once the send queue went out. */
  signals[SIGNAL_CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A connection was lost (a clean close by the peer included); a retry follows. */
  signals[SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* One connect attempt failed; a retry follows unless the URL is unusable. */
  signals[SIGNAL_CONNECT_FAILED] =
    g_signal_new ("connect-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ows_bus_init (OwsBus *self)
{
  self->max_incoming = DEFAULT_MAX_INCOMING;
  self->keepalive_s = OWS_BUS_DEFAULT_KEEPALIVE_S;
  self->silence_ms = OWS_BUS_DEFAULT_SILENCE_MS;
  self->connect_timeout_ms = OWS_BUS_DEFAULT_CONNECT_TIMEOUT_MS;
  self->backoff_ms = BACKOFF_FIRST_MS;
  g_queue_init (&self->send_queue);
  g_queue_init (&self->written);
  g_queue_init (&self->inbox);

  /* No proxy resolver: the default one asks GNOME's settings (absent on a
   * device, fatal under isolated test dirs); our own timers instead of the
   * session's I/O timeout; no permessage-deflate, so the payload limit
   * applies to what the bus really sends and frames cost no inflate. */
  self->session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                 "timeout", 0,
                                                 "idle-timeout", 0,
                                                 NULL);
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
}
