/* ows-service.c: the manager wired to its bus, config and (optionally) embedded bus server.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Shared by the headless program and the window, so that both speak to the
 * bus the same way.
 */
#define G_LOG_DOMAIN "ows-service"

#include "config.h"

#include <glib/gi18n.h>

#include "ows-service.h"

#define SHUTDOWN_FLUSH_MS 1000

struct _OwsService
{
  GObject parent_instance;

  OwsConfig *config;
  char *bus_url;
  OwsConnectivity *watchdog;
  OwsManager *manager;
  OwsBus *bus;
  OwsBusServer *server;
  gboolean allow_remote_bus;
};

G_DEFINE_FINAL_TYPE (OwsService, ows_service, G_TYPE_OBJECT)

static void
ows_service_dispose (GObject *object)
{
  OwsService *self = OWS_SERVICE (object);

  if (self->bus != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->bus, self);
      ows_bus_stop (self->bus);
    }
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->server != NULL)
    ows_bus_server_stop (self->server);
  g_clear_object (&self->bus);
  g_clear_object (&self->server);
  g_clear_object (&self->manager);
  g_clear_object (&self->watchdog);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ows_service_parent_class)->dispose (object);
}

static void
ows_service_finalize (GObject *object)
{
  g_free (OWS_SERVICE (object)->bus_url);

  G_OBJECT_CLASS (ows_service_parent_class)->finalize (object);
}

static void
ows_service_class_init (OwsServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ows_service_dispose;
  G_OBJECT_CLASS (klass)->finalize = ows_service_finalize;
}

static void
ows_service_init (OwsService *self)
{
}

/* @bus_url: NULL for the address mycroft.conf gives; @monitor: NULL for
 * GIO's network monitor. */
OwsService *
ows_service_new (OwsConfig       *config,
                 const char      *bus_url,
                 GNetworkMonitor *monitor)
{
  OwsService *self;

  g_return_val_if_fail (OWS_IS_CONFIG (config), NULL);

  self = g_object_new (OWS_TYPE_SERVICE, NULL);
  self->config = g_object_ref (config);
  self->bus_url = bus_url ? g_strdup (bus_url) : ows_config_dup_bus_url (config);
  self->watchdog = ows_connectivity_new (config, monitor);
  self->manager = ows_manager_new (config, self->watchdog);
  return self;
}

/* Whether the embedded bus may listen beyond loopback (--allow-remote-bus):
 * anyone who reaches it can register clients and drive the setup. Set it
 * before ows_service_start(). */
void
ows_service_set_allow_remote_bus (OwsService *self,
                                  gboolean    allow_remote_bus)
{
  g_return_if_fail (OWS_IS_SERVICE (self));
  g_return_if_fail (self->bus == NULL);

  self->allow_remote_bus = !!allow_remote_bus;
}

/* The bus server's refusal, in the words of the command line that can lift it. */
static void
set_not_loopback_error (GError     **error,
                        const char  *host)
{
  g_set_error (error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_NOT_LOOPBACK,
               /* Translators: %s is a host name or address, such as 0.0.0.0 */
               _("The embedded bus listens on loopback only; %s is not loopback. "
                 "Pass --allow-remote-bus to serve the network."),
               host);
}

/* Serves the bus in-process unless something already listens at the address:
 * then that is the bus, and we are one more client of it. */
static gboolean
start_embedded_bus (OwsService  *self,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;

  uri = g_uri_parse (self->bus_url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The embedded bus speaks ws:// only, not %s", self->bus_url);
      return FALSE;
    }

  self->server = ows_bus_server_new ();
  ows_bus_server_set_allow_remote (self->server, self->allow_remote_bus);
  ows_bus_server_set_max_msg_size (self->server, ows_config_get_max_msg_size (self->config));
  if (ows_bus_server_listen (self->server, g_uri_get_host (uri),
                             g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 80,
                             g_uri_get_path (uri), &local_error))
    {
      g_debug ("serving the bus at %s", self->bus_url);
      return TRUE;
    }

  g_clear_object (&self->server);
  if (g_error_matches (local_error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_IN_USE))
    {
      g_message ("A messagebus already listens at %s: using it", self->bus_url);
      return TRUE;
    }
  if (g_error_matches (local_error, OWS_BUS_SERVER_ERROR, OWS_BUS_SERVER_ERROR_NOT_LOOPBACK))
    {
      set_not_loopback_error (error, g_uri_get_host (uri));
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The manager's requests, and what is said to clients (the built-in ones
 * listen on this bus too); frames of other kinds are dropped unparsed. */
static gboolean
wants_type (const char *type,
            gpointer    unused)
{
  return ows_manager_wants_type (type, NULL) || g_str_has_prefix (type, OWS_PREFIX);
}

gboolean
ows_service_start (OwsService  *self,
                   gboolean     embedded_bus,
                   GError     **error)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (self->bus == NULL, FALSE);

  if (embedded_bus && !start_embedded_bus (self, error))
    return FALSE;

  self->bus = ows_bus_new (self->bus_url, ows_config_get_max_msg_size (self->config));
  ows_bus_set_filter (self->bus, wants_type, NULL, NULL);
  g_signal_connect_object (self->bus, "message", G_CALLBACK (ows_manager_handle_message),
                           self->manager, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bus, "connected", G_CALLBACK (ows_manager_bus_connected),
                           self->manager, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "send", G_CALLBACK (ows_bus_send),
                           self->bus, G_CONNECT_SWAPPED);
  ows_bus_start (self->bus);
  return TRUE;
}

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OwsService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ows_bus_flush_finish (OWS_BUS (source), result, &error))
    g_debug ("leaving without a last word on the bus: %s", error->message);
  if (self->server != NULL)
    ows_bus_server_stop (self->server);
  g_task_return_boolean (task, TRUE);
}

/* Says stop.setup.event when setup was running, waits (briefly) until it is
 * on the wire, then closes everything. */
void
ows_service_stop_async (OwsService          *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OWS_IS_SERVICE (self));

  task = g_task_new (self, NULL, callback, user_data);
  ows_manager_shutdown (self->manager);
  if (self->bus == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  ows_bus_flush_async (self->bus, SHUTDOWN_FLUSH_MS, NULL, flush_cb, task);
}

void
ows_service_stop_finish (OwsService   *self,
                         GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, self));
  g_task_propagate_boolean (G_TASK (result), NULL);
}

/* What the user asked for (a tap, the menu entry), said on the bus in the
 * app's own name. The bus hands it to our own manager at once, so it acts
 * even while the bus is away; other peers hear it once the link is back.
 * Takes @data. */
void
ows_service_request (OwsService *self,
                     const char *type,
                     JsonObject *data)
{
  g_autoptr(OwsMessage) message = NULL;
  JsonObject *context;

  g_return_if_fail (OWS_IS_SERVICE (self));
  g_return_if_fail (self->bus != NULL);

  context = json_object_new ();
  json_object_set_string_member (context, "source", OWS_BUS_NAME);
  message = ows_message_new (type, data, context);
  ows_bus_send (self->bus, message);
}

OwsManager *
ows_service_get_manager (OwsService *self)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), NULL);
  return self->manager;
}

OwsConnectivity *
ows_service_get_connectivity (OwsService *self)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), NULL);
  return self->watchdog;
}

OwsBus *
ows_service_get_bus (OwsService *self)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), NULL);
  return self->bus;
}

OwsBusServer *
ows_service_get_server (OwsService *self)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), NULL);
  return self->server;
}
