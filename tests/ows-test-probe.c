/* ows-test-probe.c: the internet's connectivity-check servers, played on 127.0.0.1.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The watchdog asks nmcheck.gnome.org and two web sites whether the internet
 * is up. Tests cannot reach them, nor make them slow, broken or hidden behind
 * a portal; this server can, and the config points network_tests at it.
 */
#include <string.h>

#include <libsoup/soup.h>

#include "ows-test-peer.h"
#include "ows-test-probe.h"

#define CHECK_TEXT "NetworkManager is online"
#define SIGN_IN_PAGE \
  "<!DOCTYPE html>\n<html><head><title>Sign in to the Wi-Fi</title></head>\n" \
  "<body><form method=\"post\" action=\"/portal/login\">\n" \
  "<input name=\"room\"> <input type=\"submit\" value=\"Sign in\">\n" \
  "</form></body></html>\n"

struct _OwsTestProbe
{
  SoupServer *server;        /* NULL while CLOSED */
  GSocket *socket;           /* the listening socket, NULL while CLOSED */
  guint port;                /* kept while CLOSED, to listen there again */
  OwsTestProbeMode mode;
  guint requests;
  GHashTable *path_requests; /* path → count */
  GPtrArray *paused;         /* SoupServerMessage held by SLOW */
  GPtrArray *released;       /* SoupServerMessage answered, not yet written */
};

static gboolean
is_web (const char *path)
{
  return g_str_equal (path, "/web") || g_str_equal (path, "/web2");
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, body, strlen (body));
}

/* SLOW and CLOSED have no answer of their own: a request they held gets
 * ONLINE's. */
static void
answer (OwsTestProbe      *self,
        SoupServerMessage *msg,
        OwsTestProbeMode   mode)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  switch (mode)
    {
    case OWS_TEST_PROBE_WRONG_TEXT:
      respond (msg, SOUP_STATUS_OK, "text/html", SIGN_IN_PAGE);
      return;
    case OWS_TEST_PROBE_REDIRECT:
      if (g_str_equal (path, "/check") || is_web (path))
        {
          g_autofree char *location = ows_test_probe_dup_url (self, "/portal/login?from=check");

          respond (msg, SOUP_STATUS_FOUND, NULL, NULL);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Location", location);
        }
      else if (g_str_equal (path, "/portal/login"))
        respond (msg, SOUP_STATUS_OK, "text/html", SIGN_IN_PAGE);
      else
        respond (msg, SOUP_STATUS_NOT_FOUND, NULL, NULL);
      return;
    case OWS_TEST_PROBE_SERVER_ERROR:
      if (g_str_equal (path, "/check"))
        respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, NULL);
      else if (is_web (path))
        respond (msg, SOUP_STATUS_OK, "text/plain", "ok");
      else
        respond (msg, SOUP_STATUS_NOT_FOUND, NULL, NULL);
      return;
    case OWS_TEST_PROBE_ONLINE:
    case OWS_TEST_PROBE_SLOW:
    case OWS_TEST_PROBE_CLOSED:
    default:
      if (g_str_equal (path, "/check"))
        respond (msg, SOUP_STATUS_OK, "text/plain", CHECK_TEXT "\n");
      else if (is_web (path))
        respond (msg, SOUP_STATUS_OK, "text/plain", "ok");
      else
        respond (msg, SOUP_STATUS_NOT_FOUND, NULL, NULL);
      return;
    }
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  OwsTestProbe *self = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_requests, path));

  self->requests++;
  g_hash_table_insert (self->path_requests, g_strdup (path), GUINT_TO_POINTER (count + 1));
  if (self->mode != OWS_TEST_PROBE_SLOW)
    {
      answer (self, msg, self->mode);
      return;
    }
  soup_server_message_pause (msg);
  g_ptr_array_add (self->paused, g_object_ref (msg));
}

static void
released_done_cb (SoupServerMessage *msg,
                  OwsTestProbe      *self)
{
  g_signal_handlers_disconnect_by_data (msg, self);
  g_ptr_array_remove_fast (self->released, msg);
}

/* Held requests get the answer of the mode that ends SLOW. */
static void
release_paused (OwsTestProbe     *self,
                OwsTestProbeMode  mode)
{
  g_autoptr(GPtrArray) paused = g_steal_pointer (&self->paused);

  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (paused, i);

      answer (self, msg, mode);
      g_ptr_array_add (self->released, g_object_ref (msg));
      g_signal_connect (msg, "finished", G_CALLBACK (released_done_cb), self);
      g_signal_connect (msg, "disconnected", G_CALLBACK (released_done_cb), self);
      soup_server_message_unpause (msg);
    }
}

static gboolean
released_written (gpointer data)
{
  return ((OwsTestProbe *) data)->released->len == 0;
}

static void
probe_listen (OwsTestProbe *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, self->port);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_null (self->server);
  self->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* The connections CLOSED dropped linger in TIME_WAIT on this port. */
  g_socket_bind (self->socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (self->socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->socket, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* A fresh SoupServer each time: a disconnected one cannot listen again. */
  self->server = soup_server_new ("server-header", "ows-test-probe ", NULL);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  soup_server_listen_socket (self->server, self->socket, 0, &error);
  g_assert_no_error (error);
}

static void
probe_close (OwsTestProbe *self)
{
  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
}

/* Listening on a random port, mode ONLINE. */
OwsTestProbe *
ows_test_probe_new (void)
{
  OwsTestProbe *self = g_new0 (OwsTestProbe, 1);

  self->path_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  self->released = g_ptr_array_new_with_free_func (g_object_unref);
  probe_listen (self);
  return self;
}

/* Held requests are answered and written out first, so that no client
 * waits for ever: only then does this run the main loop (for at most
 * OWS_TEST_TIMEOUT_MS). */
void
ows_test_probe_free (OwsTestProbe *self)
{
  if (self == NULL)
    return;
  release_paused (self, OWS_TEST_PROBE_ONLINE);
  ows_test_wait_until (released_written, self, OWS_TEST_TIMEOUT_MS);
  for (guint i = 0; i < self->released->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->released, i), self);
  probe_close (self);
  g_ptr_array_unref (self->released);
  g_ptr_array_unref (self->paused);
  g_hash_table_unref (self->path_requests);
  g_free (self);
}

void
ows_test_probe_set_mode (OwsTestProbe     *self,
                         OwsTestProbeMode  mode)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (mode <= OWS_TEST_PROBE_SERVER_ERROR);

  if (mode == self->mode)
    return;
  if (self->mode == OWS_TEST_PROBE_SLOW)
    release_paused (self, mode);
  if (mode == OWS_TEST_PROBE_CLOSED)
    {
      /* Let held requests' answers out before the connections go. */
      ows_test_wait_until (released_written, self, OWS_TEST_TIMEOUT_MS);
      probe_close (self);
    }
  else if (self->mode == OWS_TEST_PROBE_CLOSED)
    probe_listen (self);
  self->mode = mode;
}

guint
ows_test_probe_get_port (OwsTestProbe *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

/* Requests received since ows_test_probe_new (), on any path, held ones too. */
guint
ows_test_probe_get_requests (OwsTestProbe *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->requests;
}

guint
ows_test_probe_get_path_requests (OwsTestProbe *self,
                                  const char   *path)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->path_requests, path));
}

/* @path: starting with '/', e.g. "/check". */
char *
ows_test_probe_dup_url (OwsTestProbe *self,
                        const char   *path)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path);
}

static void
override_url (OwsTestProbe *self,
              OwsConfig    *config,
              const char   *key,
              const char   *path)
{
  g_autofree char *url = ows_test_probe_dup_url (self, path);
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), url);

  ows_config_override (config, "network_tests", key, node);
}

/* Points network_tests at this probe: the check at /check, the two web
 * sites at /web and /web2. */
void
ows_test_probe_configure (OwsTestProbe *self,
                          OwsConfig    *config)
{
  g_autoptr(JsonNode) text = json_node_init_string (json_node_alloc (), CHECK_TEXT);

  g_return_if_fail (self != NULL);
  g_return_if_fail (OWS_IS_CONFIG (config));

  override_url (self, config, "captive_portal_url", "/check");
  ows_config_override (config, "network_tests", "captive_portal_text", text);
  override_url (self, config, "web_url", "/web");
  override_url (self, config, "web_url_secondary", "/web2");
}
