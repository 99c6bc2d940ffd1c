/* ows-bus-server.c: a small OVOS-compatible messagebus (greeting + broadcast) on SoupServer.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-bus-server"

#include "config.h"

#include <libsoup/soup.h>

#include <malloc.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
/* linux/tcp.h rather than netinet/tcp.h: glibc's struct tcp_info stops
 * before tcpi_bytes_acked. */
#include <linux/sockios.h>
#include <linux/tcp.h>

#include "ows-bus-server-private.h"
#include "ows-server-port.h"
#include "ows-websocket-private.h"

#define DEFAULT_MAX_MSG_SIZE (25 * 1024 * 1024)
#define MIN_UNSENT_LIMIT (8 * 1024 * 1024)
#define GREETING "{\"type\": \"connected\", \"data\": {}, \"context\": {}}"

struct _OwsBusServer
{
  GObject       parent_instance;

  SoupServer   *server;
  GPtrArray    *conns;          /* open SoupWebsocketConnection, owned */
  GInetAddress *address;        /* what we bound */
  char         *route;
  guint         port;
  gsize         max_msg_size;
  guint         trim_id;        /* malloc_trim after a hog was dropped */
  guint         echo : 1;
  guint         allow_remote : 1;
};

G_DEFINE_FINAL_TYPE (OwsBusServer, ows_bus_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (ows-bus-server-error-quark, ows_bus_server_error)

/* What one connection may have unsent: libsoup 3.2 queues outgoing frames
 * without limit and does not say how much is queued. We count the bytes we
 * hand it (payload + frame header) and ask the kernel how many of the
 * connection's bytes the peer has acknowledged (TCP_INFO tcpi_bytes_acked,
 * Linux 4.1+); the difference is what sits in libsoup's queue plus the
 * kernel's send buffer. @base is what the kernel had taken before the first
 * frame (the 101 response); pongs we did not count only make us lenient. */
typedef struct
{
  GSocket *socket;
  guint64  handed;
  guint64  base;
} ConnState;

static GQuark conn_state_quark;

static void
conn_state_free (gpointer data)
{
  ConnState *state = data;

  g_object_unref (state->socket);
  g_free (state);
}

static gboolean
socket_bytes_acked (GSocket *socket,
                    guint64 *acked)
{
  struct tcp_info info = { 0, };
  socklen_t len = sizeof info;

  if (g_socket_is_closed (socket) ||
      getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
      len < G_STRUCT_OFFSET (struct tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked)
    return FALSE;
  *acked = info.tcpi_bytes_acked;
  return TRUE;
}

static void
conn_state_attach (SoupWebsocketConnection *conn,
                   GSocket                 *socket)
{
  ConnState *state = g_new0 (ConnState, 1);
  int queued = 0;

  state->socket = g_object_ref (socket);
  if (socket_bytes_acked (socket, &state->base) &&
      ioctl (g_socket_get_fd (socket), SIOCOUTQ, &queued) == 0 && queued > 0)
    state->base += queued;
  g_object_set_qdata_full (G_OBJECT (conn), conn_state_quark, state, conn_state_free);
}

static gsize
unsent_limit (OwsBusServer *self)
{
  return MAX (2 * (guint64) self->max_msg_size, MIN_UNSENT_LIMIT);
}

/* A server frame's header: 2 bytes, then a 16- or 64-bit length, no mask. */
static gsize
frame_size (gsize payload)
{
  return payload + 2 + (payload > 125 ? 2 : 0) + (payload > 0xffff ? 6 : 0);
}

static gboolean
trim_heap (gpointer user_data)
{
  OwsBusServer *self = user_data;

  self->trim_id = 0;
  /* glibc keeps freed heap; hand the dropped queue back to the system. */
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}

/* Says goodbye (1001); our reference goes with the connection. */
static void
drop_connection (OwsBusServer            *self,
                 SoupWebsocketConnection *conn)
{
  g_signal_handlers_disconnect_by_data (conn, self);
  ows_websocket_close_and_release (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

/* The peer does not read what we send: no close frame can get past the
 * queue, so end the connection under libsoup; it sees the end of the
 * stream and goes through its usual "closed". */
static void
drop_hog (OwsBusServer            *self,
          SoupWebsocketConnection *conn,
          ConnState               *state,
          guint64                  unsent)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (state->socket, NULL);
  g_autofree char *where = remote != NULL ?
    g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (remote)) : g_strdup ("?");

  g_message ("closing bus connection from %s: it does not read, %" G_GUINT64_FORMAT
             " bytes unsent (limit %" G_GSIZE_FORMAT ")", where, unsent, unsent_limit (self));
  soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
  g_socket_shutdown (state->socket, TRUE, TRUE, NULL);
}

/* Every frame to a peer goes through here, so its unsent bytes stay bounded. */
static void
conn_send (OwsBusServer            *self,
           SoupWebsocketConnection *conn,
           GBytes                  *bytes)
{
  ConnState *state = g_object_get_qdata (G_OBJECT (conn), conn_state_quark);
  guint64 acked;

  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_message (conn, SOUP_WEBSOCKET_DATA_TEXT, bytes);
  if (state == NULL)
    return;
  state->handed += frame_size (g_bytes_get_size (bytes));
  if (!socket_bytes_acked (state->socket, &acked))
    return;
  acked -= MIN (acked, state->base);
  /* Bytes we did not count (pongs) were acknowledged: forget them. */
  if (acked > state->handed)
    {
      state->base += acked - state->handed;
      acked = state->handed;
    }
  if (state->handed - acked > unsent_limit (self))
    drop_hog (self, conn, state, state->handed - acked);
}

static void
on_conn_message (SoupWebsocketConnection *sender,
                 SoupWebsocketDataType    type,
                 GBytes                  *message,
                 OwsBusServer            *self)
{
  g_autoptr(GPtrArray) targets = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  /* A send can fail and close a peer; work on a snapshot. */
  targets = g_ptr_array_new_full (self->conns->len, g_object_unref);
  for (guint i = 0; i < self->conns->len; i++)
    g_ptr_array_add (targets, g_object_ref (g_ptr_array_index (self->conns, i)));
  for (guint i = 0; i < targets->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (targets, i);

      if (conn == sender && !self->echo)
        continue;
      conn_send (self, conn, message);
    }
}

static void
on_conn_closed (SoupWebsocketConnection *conn,
                OwsBusServer            *self)
{
  g_debug ("connection closed (code %u), %u left",
           soup_websocket_connection_get_close_code (conn), self->conns->len - 1);
  g_signal_handlers_disconnect_by_data (conn, self);
  /* Once the last reference is gone (after this emission), the queue is freed. */
  if (self->trim_id == 0)
    self->trim_id = g_idle_add_full (G_PRIORITY_LOW, trim_heap, self, NULL);
  g_ptr_array_remove (self->conns, conn);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  OwsBusServer *self = user_data;
  g_autoptr(GBytes) greeting = g_bytes_new_static (GREETING, strlen (GREETING));

  /* Frames are small and answered at once: Nagle's algorithm would hold a
   * reply back until the previous frame is acknowledged (tornado, under
   * ovos-messagebus, turns it off too). */
  g_socket_set_option (soup_server_message_get_socket (msg), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  soup_websocket_connection_set_max_incoming_payload_size (conn, self->max_msg_size);
  conn_state_attach (conn, soup_server_message_get_socket (msg));
  g_signal_connect (conn, "message", G_CALLBACK (on_conn_message), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_conn_closed), self);
  g_ptr_array_add (self->conns, g_object_ref (conn));
  g_debug ("new connection on %s, %u open", path, self->conns->len);
  conn_send (self, conn, greeting);
}

static GInetAddress *
resolve_host (OwsBusServer *self,
              const char   *host,
              GError      **error)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || g_ascii_strcasecmp (host, "localhost") == 0)
    return g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      g_autoptr(GError) local_error = NULL;
      GList *list;

      list = g_resolver_lookup_by_name (resolver, host, NULL, &local_error);
      if (list == NULL)
        {
          g_set_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_FAILED,
                       "Cannot serve the bus on “%s”: %s", host, local_error->message);
          return NULL;
        }
      address = g_object_ref (list->data);
      g_resolver_free_addresses (list);
    }

  if (!self->allow_remote && !g_inet_address_get_is_loopback (address))
    {
      g_set_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_NOT_LOOPBACK,
                   "Refusing to serve the bus on “%s”: it is not a loopback address "
                   "(127.0.0.0/8, ::1, localhost) and remote access is not allowed.",
                   host);
      return NULL;
    }

  return g_steal_pointer (&address);
}

gboolean
ows_bus_server_listen (OwsBusServer *self,
                       const char   *host,
                       guint         port,
                       const char   *route,
                       GError      **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OWS_IS_BUS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->server != NULL)
    {
      g_set_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_FAILED,
                   "This bus server already listens on port %u.", self->port);
      return FALSE;
    }

  address = resolve_host (self, host, error);
  if (address == NULL)
    return FALSE;

  if (route == NULL)
    route = "/core";

  /* A fresh SoupServer each time: a stopped one cannot listen again. */
  server = soup_server_new ("server-header", "ovos-wifi-setup-bus ", NULL);
  /* No permessage-deflate: on loopback it only costs CPU, and the payload
   * limit must apply to what the peer really sends. */
  soup_server_remove_websocket_extension (server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_websocket_handler (server, route, NULL, NULL, on_websocket, self, NULL);

  socket_address = g_inet_socket_address_new (address, port);
  if (!soup_server_listen (server, socket_address, 0, &local_error))
    {
      g_autofree char *where = g_inet_address_to_string (address);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_IN_USE,
                     "Something already listens on %s port %u: %s",
                     where, port, local_error->message);
      else
        g_set_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_FAILED,
                     "Cannot listen on %s port %u: %s", where, port, local_error->message);
      return FALSE;
    }

  self->server = g_steal_pointer (&server);
  g_set_object (&self->address, address);
  g_free (self->route);
  self->route = g_strdup (route);
  self->port = ows_server_port (self->server);
  g_debug ("bus listening on port %u, route %s", self->port, self->route);
  return TRUE;
}

static void
close_all (OwsBusServer *self)
{
  g_autoptr(GPtrArray) conns = g_steal_pointer (&self->conns);

  self->conns = g_ptr_array_new_with_free_func (g_object_unref);
  if (conns == NULL)
    return;
  /* drop_connection takes over each reference. */
  g_ptr_array_set_free_func (conns, NULL);
  for (guint i = 0; i < conns->len; i++)
    drop_connection (self, g_ptr_array_index (conns, i));
}

void
ows_bus_server_stop (OwsBusServer *self)
{
  g_return_if_fail (OWS_IS_BUS_SERVER (self));

  close_all (self);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
      g_debug ("bus on port %u stopped", self->port);
    }
}

void
ows_bus_server_set_echo (OwsBusServer *self,
                         gboolean      echo)
{
  g_return_if_fail (OWS_IS_BUS_SERVER (self));
  self->echo = !!echo;
}

void
ows_bus_server_set_allow_remote (OwsBusServer *self,
                                 gboolean      allow_remote)
{
  g_return_if_fail (OWS_IS_BUS_SERVER (self));
  self->allow_remote = !!allow_remote;
}

void
ows_bus_server_set_max_msg_size (OwsBusServer *self,
                                 gsize         max_bytes)
{
  g_return_if_fail (OWS_IS_BUS_SERVER (self));
  self->max_msg_size = max_bytes > 0 ? max_bytes : DEFAULT_MAX_MSG_SIZE;
  for (guint i = 0; i < self->conns->len; i++)
    soup_websocket_connection_set_max_incoming_payload_size (g_ptr_array_index (self->conns, i),
                                                             self->max_msg_size);
}

guint
ows_bus_server_get_port (OwsBusServer *self)
{
  g_return_val_if_fail (OWS_IS_BUS_SERVER (self), 0);
  return self->port;
}

char *
ows_bus_server_dup_url (OwsBusServer *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (OWS_IS_BUS_SERVER (self), NULL);

  if (self->address == NULL)
    return NULL;

  if (g_inet_address_get_is_any (self->address))
    {
      g_autoptr(GInetAddress) loopback =
        g_inet_address_new_loopback (g_inet_address_get_family (self->address));
      host = g_inet_address_to_string (loopback);
    }
  else
    host = g_inet_address_to_string (self->address);

  if (g_inet_address_get_family (self->address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("ws://[%s]:%u%s", host, self->port, self->route);
  return g_strdup_printf ("ws://%s:%u%s", host, self->port, self->route);
}

guint
ows_bus_server_get_n_connections (OwsBusServer *self)
{
  g_return_val_if_fail (OWS_IS_BUS_SERVER (self), 0);
  return self->conns->len;
}

void
ows_bus_server_broadcast (OwsBusServer *self,
                          const char   *text)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (OWS_IS_BUS_SERVER (self));
  g_return_if_fail (text != NULL);

  bytes = g_bytes_new (text, strlen (text));
  for (guint i = 0; i < self->conns->len; i++)
    conn_send (self, g_ptr_array_index (self->conns, i), bytes);
}

static void
ows_bus_server_dispose (GObject *object)
{
  OwsBusServer *self = OWS_BUS_SERVER (object);

  ows_bus_server_stop (self);
  g_clear_handle_id (&self->trim_id, g_source_remove);

  G_OBJECT_CLASS (ows_bus_server_parent_class)->dispose (object);
}

static void
ows_bus_server_finalize (GObject *object)
{
  OwsBusServer *self = OWS_BUS_SERVER (object);

  g_clear_pointer (&self->conns, g_ptr_array_unref);
  g_clear_object (&self->address);
  g_free (self->route);

  G_OBJECT_CLASS (ows_bus_server_parent_class)->finalize (object);
}

static void
ows_bus_server_class_init (OwsBusServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_bus_server_dispose;
  object_class->finalize = ows_bus_server_finalize;

  conn_state_quark = g_quark_from_static_string ("ows-bus-server-conn-state");
}

static void
ows_bus_server_init (OwsBusServer *self)
{
  self->conns = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_msg_size = DEFAULT_MAX_MSG_SIZE;
  self->echo = TRUE;
}

OwsBusServer *
ows_bus_server_new (void)
{
  return g_object_new (OWS_TYPE_BUS_SERVER, NULL);
}
