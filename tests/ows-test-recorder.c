/* ows-test-recorder.c: every text frame on a bus, as a third peer hears it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include <libsoup/soup.h>

#include "ows-test-peer.h"
#include "ows-test-recorder.h"

struct _OwsTestRecorder
{
  SoupSession *session;
  SoupWebsocketConnection *connection;
  GPtrArray *frames;
  gboolean connecting;
};

static void
message_cb (SoupWebsocketConnection *connection,
            int                      kind,
            GBytes                  *bytes,
            OwsTestRecorder         *self)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_ptr_array_add (self->frames, g_strndup (data, length));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OwsTestRecorder *self = user_data;
  g_autoptr(GError) error = NULL;

  self->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  self->connecting = FALSE;
}

static gboolean
connected (gpointer data)
{
  return !((OwsTestRecorder *) data)->connecting;
}

OwsTestRecorder *
ows_test_recorder_new (const char *url)
{
  OwsTestRecorder *self = g_new0 (OwsTestRecorder, 1);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  self->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->connecting = TRUE;
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, self);
  g_assert_true (ows_test_wait_until (connected, self, 5000));
  g_assert_nonnull (self->connection);
  soup_websocket_connection_set_max_incoming_payload_size (self->connection, 64 * 1024 * 1024);
  g_signal_connect (self->connection, "message", G_CALLBACK (message_cb), self);
  return self;
}

void
ows_test_recorder_free (OwsTestRecorder *self)
{
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&self->connection);
  g_clear_object (&self->session);
  g_ptr_array_unref (self->frames);
  g_free (self);
}

guint
ows_test_recorder_n_frames (OwsTestRecorder *self)
{
  return self->frames->len;
}

guint
ows_test_recorder_count (OwsTestRecorder *self,
                         const char      *needle)
{
  guint count = 0;

  for (guint i = 0; i < self->frames->len; i++)
    if (strstr (g_ptr_array_index (self->frames, i), needle) != NULL)
      count++;
  return count;
}
