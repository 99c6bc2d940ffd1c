/* ows-service.c: the manager wired to its bus, config and (optionally) embedded bus server.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Shared by the headless program and the window, so that both speak to the
 * bus the same way.
 */
#define G_LOG_DOMAIN "ows-service"

#include "config.h"

#include <glib/gi18n.h>

#include "ows-peer-probe.h"
#include "ows-service.h"
#include "ows-service-private.h"

#define SHUTDOWN_FLUSH_MS 1000
/* What may arrive in the seconds before we know our role; more is a flood, dropped. */
#define HELD_MAX 256
/* No bus by then: we manage alone (the window still works) until one comes. */
#define ALONE_MS 3000

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

  GCancellable *cancellable;  /* the probe, until the service goes */
  guint probe_deadline_ms;
  OwsServiceRole role;
  gboolean asked;             /* the probe went out */
  guint alone_ms;
  guint alone_id;             /* no bus yet: manage alone after alone_ms */
  GQueue held;                /* OwsMessage, heard while asking */
  GQueue said;                /* OwsMessage, said by our manager while asking */
};

G_DEFINE_FINAL_TYPE (OwsService, ows_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROLE,
  N_PROPS
};

enum {
  OTHER_MANAGER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ows_service_dispose (GObject *object)
{
  OwsService *self = OWS_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->held, (GDestroyNotify) ows_message_unref);
  g_queue_clear_full (&self->said, (GDestroyNotify) ows_message_unref);
  g_clear_handle_id (&self->alone_id, g_source_remove);
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
ows_service_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_int (value, OWS_SERVICE (object)->role);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_service_class_init (OwsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_service_dispose;
  object_class->finalize = ows_service_finalize;
  object_class->get_property = ows_service_get_property;

  /* An OwsServiceRole. */
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, 0, OWS_SERVICE_ROLE_VIEWING, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Another manager answers on the bus (OwsPeer): this one says nothing
   * there. The headless program ends; the window becomes a view of it. */
  signals[OTHER_MANAGER] =
    g_signal_new ("other-manager", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
ows_service_init (OwsService *self)
{
  self->cancellable = g_cancellable_new ();
  self->probe_deadline_ms = OWS_PEER_PROBE_DEADLINE_MS;
  self->alone_ms = ALONE_MS;
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

/* While we ask, our manager answers nothing, not even our own question,
 * and what it says (a watchdog's verdict may launch setup) is held too: it
 * goes out if nobody else manages this bus, and is forgotten otherwise.
 * What others say meanwhile is held for it in the same way (a
 * registration, the request of the launcher that started us). */
static void
hold (GQueue     *queue,
      OwsMessage *message)
{
  if (queue->length < HELD_MAX)
    g_queue_push_tail (queue, ows_message_ref (message));
}

static void
message_cb (OwsService *self,
            OwsMessage *message)
{
  switch (self->role)
    {
    case OWS_SERVICE_ROLE_ASKING:
      if (!ows_peer_probe_is_own (message))
        hold (&self->held, message);
      return;
    case OWS_SERVICE_ROLE_ALONE:
    case OWS_SERVICE_ROLE_MANAGING:
    case OWS_SERVICE_ROLE_VIEWING:
      ows_manager_handle_message (self->manager, message);
      return;
    case OWS_SERVICE_ROLE_YIELDED:
    default:
      return;
    }
}

static void
manager_send_cb (OwsService *self,
                 OwsMessage *message)
{
  switch (self->role)
    {
    case OWS_SERVICE_ROLE_ASKING:
      hold (&self->said, message);
      return;
    case OWS_SERVICE_ROLE_ALONE:
      /* Nothing goes to the bus (a manager may be on it when it comes):
       * the window, the built-in client and our manager hear it alone. */
      ows_bus_deliver_local (self->bus, message);
      return;
    case OWS_SERVICE_ROLE_MANAGING:
    case OWS_SERVICE_ROLE_VIEWING:
      ows_bus_send (self->bus, message);
      return;
    case OWS_SERVICE_ROLE_YIELDED:
    default:
      return;
    }
}

static void
set_role (OwsService     *self,
          OwsServiceRole  role)
{
  OwsMessage *message;

  g_clear_handle_id (&self->alone_id, g_source_remove);
  self->role = role;
  while ((message = g_queue_pop_head (&self->said)) != NULL)
    {
      if (role == OWS_SERVICE_ROLE_MANAGING)
        ows_bus_send (self->bus, message);
      ows_message_unref (message);
    }
  if (role == OWS_SERVICE_ROLE_MANAGING && ows_bus_get_connected (self->bus))
    ows_manager_bus_connected (self->manager);
  while ((message = g_queue_pop_head (&self->held)) != NULL)
    {
      if (role == OWS_SERVICE_ROLE_MANAGING)
        ows_manager_handle_message (self->manager, message);
      ows_message_unref (message);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OwsService *self = user_data;
  g_autoptr(GError) error = NULL;
  OwsPeer peer = ows_peer_probe_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (peer == OWS_PEER_NONE)
    {
      g_debug ("no other manager answers at %s", self->bus_url);
      set_role (self, OWS_SERVICE_ROLE_MANAGING);
      return;
    }
  set_role (self, OWS_SERVICE_ROLE_YIELDED);
  g_signal_emit (self, signals[OTHER_MANAGER], 0, peer);
}

static gboolean
alone_cb (gpointer user_data)
{
  OwsService *self = user_data;

  self->alone_id = 0;
  g_message ("No messagebus answers at %s yet: working alone until one does", self->bus_url);
  set_role (self, OWS_SERVICE_ROLE_ALONE);
  return G_SOURCE_REMOVE;
}

/* Asked on the first connect only: a manager that once started keeps its
 * clients through bus restarts. */
static void
connected_cb (OwsService *self)
{
  switch (self->role)
    {
    case OWS_SERVICE_ROLE_ALONE:
      set_role (self, OWS_SERVICE_ROLE_ASKING);
      G_GNUC_FALLTHROUGH;
    case OWS_SERVICE_ROLE_ASKING:
      g_clear_handle_id (&self->alone_id, g_source_remove);
      if (!self->asked)
        ows_peer_probe_async (self->bus, self->probe_deadline_ms, self->cancellable,
                              probed_cb, self);
      self->asked = TRUE;
      return;
    case OWS_SERVICE_ROLE_MANAGING:
    case OWS_SERVICE_ROLE_VIEWING:
      ows_manager_bus_connected (self->manager);
      return;
    case OWS_SERVICE_ROLE_YIELDED:
    default:
      return;
    }
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
  /* A bus we serve ourselves was empty a moment ago: only on someone
   * else's may another manager already be at work. */
  self->role = self->server != NULL ? OWS_SERVICE_ROLE_MANAGING : OWS_SERVICE_ROLE_ASKING;
  if (self->role == OWS_SERVICE_ROLE_ASKING)
    self->alone_id = g_timeout_add (self->alone_ms, alone_cb, self);

  self->bus = ows_bus_new (self->bus_url, ows_config_get_max_msg_size (self->config));
  ows_bus_set_filter (self->bus, wants_type, NULL, NULL);
  g_signal_connect_object (self->bus, "message", G_CALLBACK (message_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bus, "connected", G_CALLBACK (connected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "send", G_CALLBACK (manager_send_cb),
                           self, G_CONNECT_SWAPPED);
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
  g_cancellable_cancel (self->cancellable);
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

  /* A view of another manager may do it alone, or ask that one otherwise. */
  type = ows_manager_route_request (self->manager, type);
  if (type == NULL)
    {
      g_clear_pointer (&data, json_object_unref);
      return;
    }
  context = json_object_new ();
  json_object_set_string_member (context, "source", OWS_BUS_NAME);
  message = ows_message_new (type, data, context);
  ows_bus_send (self->bus, message);
}

void
ows_service_set_probe_deadline (OwsService *self,
                                guint       deadline_ms)
{
  g_return_if_fail (OWS_IS_SERVICE (self));
  self->probe_deadline_ms = deadline_ms;
}

/* After "other-manager": our manager becomes a view of that one, for a
 * window to show what it does and send it the user's taps. */
void
ows_service_view (OwsService *self)
{
  g_return_if_fail (OWS_IS_SERVICE (self));
  g_return_if_fail (self->role == OWS_SERVICE_ROLE_YIELDED);

  set_role (self, OWS_SERVICE_ROLE_VIEWING);
  ows_manager_follow (self->manager);
}

OwsServiceRole
ows_service_get_role (OwsService *self)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), OWS_SERVICE_ROLE_ASKING);
  return self->role;
}

void
ows_service_set_alone_delay (OwsService *self,
                             guint       delay_ms)
{
  g_return_if_fail (OWS_IS_SERVICE (self));
  self->alone_ms = delay_ms;
}

OwsConfig *
ows_service_get_config (OwsService *self)
{
  g_return_val_if_fail (OWS_IS_SERVICE (self), NULL);
  return self->config;
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
