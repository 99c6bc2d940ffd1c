/* ows-manager.c: the wifi-setup state machine (PROTOCOL.md sections 2-5).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every request of the protocol has one handler below. The manager reacts to
 * messages only: what it says goes out through the "send" signal, and a
 * request it sends to itself (set.active.client after client.select) comes
 * back through the bus, which delivers each frame once whether or not the
 * server echoes it (see ows-bus.c).
 */
#define G_LOG_DOMAIN "ows-manager"

#include "config.h"

#include "ows-enums.h"
#include "ows-manager.h"
#include "ows-terminal-text.h"

#define DEFAULT_STOP_TIMEOUT_MS 10000

struct _OwsManager
{
  GObject parent_instance;

  OwsConfig *config;
  OwsConnectivity *watchdog;
  OwsRegistry *registry;

  OwsClient *active;          /* the client that owns the setup, or NULL */
  char *failed_client;        /* name of the last client that failed, for headless launches */
  gboolean in_setup;          /* the selection is showing (headless: waiting to activate) */
  gboolean has_screen;
  OwsSetupMode setup_mode;
  OwsConnectivityState connectivity;
  char *portal_uri;           /* where to sign in, while connectivity is "portal" */
  gboolean completion_pending; /* setup was launched or a client activated: "completed" is yet to be said */
  gboolean check_requested;   /* the next verdict answers our own question */

  guint stop_timeout_ms;
  guint stop_timeout_id;      /* deactivates a client that ignores stop.setup.event */
};

G_DEFINE_FINAL_TYPE (OwsManager, ows_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_ACTIVE_CLIENT,
  PROP_IN_SETUP,
  PROP_HAS_SCREEN,
  PROP_SETUP_MODE,
  PROP_CONNECTIVITY,
  PROP_PORTAL_URI,
  N_PROPS
};

enum {
  SEND,
  CLIENT_FAILED,
  SETUP_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef void (*Handler) (OwsManager *self,
                         OwsMessage *message);

const char *
ows_setup_mode_to_string (OwsSetupMode mode)
{
  switch (mode)
    {
    case OWS_SETUP_MODE_SKIPPED:
      return "skipped";
    case OWS_SETUP_MODE_OFFLINE:
      return "offline";
    case OWS_SETUP_MODE_NORMAL:
    default:
      return "normal";
    }
}

/* Sending */

static void
send (OwsManager *self,
      OwsMessage *message)
{
  g_debug ("sending %s", ows_message_get_type_name (message));
  g_signal_emit (self, signals[SEND], 0, message);
}

static void
send_reply (OwsManager *self,
            OwsMessage *request,
            const char *type,
            JsonObject *data)
{
  g_autoptr(OwsMessage) reply = ows_message_reply (request, type, data);

  send (self, reply);
}

/* Messages the app sends on its own carry its bus identity (PROTOCOL.md 1);
 * activate/deactivate also name the client they are for. */
static void
send_own (OwsManager *self,
          const char *type,
          JsonObject *data,
          OwsClient  *destination)
{
  g_autoptr(OwsMessage) message = NULL;
  JsonObject *context = json_object_new ();

  json_object_set_string_member (context, "source", OWS_BUS_NAME);
  if (destination != NULL)
    json_object_set_string_member (context, "destination", ows_client_get_name (destination));
  message = ows_message_new (type, data, context);
  send (self, message);
}

static void
send_client_event (OwsManager *self,
                   const char *event,
                   OwsClient  *client)
{
  g_autofree char *type = g_strconcat (OWS_PREFIX, event, ".", ows_client_get_id (client), NULL);

  send_own (self, type, NULL, client);
}

/* State changes, each notifying only when something changed */

static void
set_in_setup (OwsManager *self,
              gboolean    in_setup)
{
  in_setup = !!in_setup;
  if (self->in_setup == in_setup)
    return;
  self->in_setup = in_setup;
  g_debug ("in_setup = %d", in_setup);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_SETUP]);
}

static void
set_setup_mode (OwsManager   *self,
                OwsSetupMode  mode)
{
  if (self->setup_mode == mode)
    return;
  self->setup_mode = mode;
  g_debug ("setup_mode = %s", ows_setup_mode_to_string (mode));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP_MODE]);
}

static void
set_connectivity (OwsManager           *self,
                  OwsConnectivityState  state)
{
  const char *portal_uri = NULL;

  if (state == OWS_CONNECTIVITY_PORTAL)
    portal_uri = ows_connectivity_get_portal_uri (self->watchdog);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->portal_uri, portal_uri) != 0)
    {
      g_free (self->portal_uri);
      self->portal_uri = g_strdup (portal_uri);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_URI]);
    }
  if (self->connectivity != state)
    {
      self->connectivity = state;
      g_debug ("connectivity = %s", ows_connectivity_state_to_string (state));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIVITY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_active (OwsManager *self,
            OwsClient  *client)
{
  g_autofree char *shown = NULL;

  if (self->active == client)
    return;
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_set_object (&self->active, client);
  shown = ows_terminal_text_escape (client ? ows_client_get_name (client) : "(none)");
  g_debug ("active client = %s", shown);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_CLIENT]);
}

static void
deactivate_active (OwsManager *self)
{
  g_autoptr(OwsClient) client = NULL;

  if (self->active == NULL)
    return;
  client = g_object_ref (self->active);
  send_client_event (self, "deactivate", client);
  set_active (self, NULL);
}

static void
activate (OwsManager *self,
          OwsClient  *client)
{
  if (self->active != NULL && self->active != client)
    deactivate_active (self);
  set_active (self, client);
  set_in_setup (self, FALSE);
  self->completion_pending = TRUE;
  send_client_event (self, "activate", client);
}

/* Persisting a setting, as OVOS's update_mycroft_config does, then telling
 * the running OVOS services through configuration.patch. */
static void
persist (OwsManager *self,
         const char *key,
         gboolean    value)
{
  g_autoptr(JsonNode) node = json_node_init_boolean (json_node_alloc (), value);
  g_autoptr(GError) error = NULL;
  JsonObject *data, *config, *phal, *plugin;

  if (!ows_config_persist (self->config, OWS_CONFIG_PLUGIN_SECTION, key, node, &error))
    {
      /* The value holds in memory; say that it will not survive a restart. */
      g_warning ("%s", error->message);
      data = json_object_new ();
      json_object_set_string_member (data, "error", error->message);
      send_own (self, OWS_PREFIX "setup.failed", data, NULL);
    }

  plugin = json_object_new ();
  json_object_set_boolean_member (plugin, key, value);
  phal = json_object_new ();
  json_object_set_object_member (phal, OWS_BUS_NAME, plugin);
  config = json_object_new ();
  json_object_set_object_member (config, "PHAL", phal);
  data = json_object_new ();
  json_object_set_object_member (data, "config", config);
  send_own (self, "configuration.patch", data, NULL);
}

static gboolean
setup_running (OwsManager *self)
{
  return self->in_setup || self->active != NULL;
}

/* Headless: the first client that needs no input takes the setup, preferring
 * one other than the client that failed last, so a broken client does not
 * get picked again and again while another could do the job. */
static void
maybe_auto_activate (OwsManager *self)
{
  OwsClient *fallback = NULL;
  guint n;

  if (self->has_screen || !self->in_setup || self->active != NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->registry));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwsClient) client = g_list_model_get_item (G_LIST_MODEL (self->registry), i);

      if (ows_client_get_requires_input (client))
        continue;
      if (g_strcmp0 (ows_client_get_name (client), self->failed_client) != 0)
        {
          activate (self, client);
          return;
        }
      fallback = fallback ? fallback : client;
    }

  if (fallback != NULL)
    activate (self, fallback);
  else
    g_debug ("headless setup waits for a client that needs no input");
}

static void
launch_setup (OwsManager *self)
{
  send_own (self, OWS_PREFIX "setup.launched", NULL, NULL);
  self->completion_pending = TRUE;
  set_in_setup (self, TRUE);
  maybe_auto_activate (self);
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  OwsManager *self = user_data;

  self->stop_timeout_id = 0;
  g_debug ("the active client ignored stop.setup.event: deactivating it");
  deactivate_active (self);
  return G_SOURCE_REMOVE;
}

static gboolean
first_boot (OwsManager *self)
{
  return ows_config_get_boolean (self->config, OWS_CONFIG_PLUGIN_SECTION, "first_boot", TRUE);
}

/* PROTOCOL.md section 4: the internet came up. Said once per setup (or on a
 * first boot), not every time some service repeats mycroft.internet.connected.
 * A setup counts from its launch (or a client's activation) until this is
 * said, so a client that connected the device and then removed itself still
 * gets its "completed", and one that lingers does not get it twice. */
static void
internet_connected (OwsManager *self)
{
  set_connectivity (self, OWS_CONNECTIVITY_ONLINE);

  if (!self->completion_pending && !first_boot (self))
    return;

  send_own (self, "ovos.wifi.setup.completed", NULL, NULL);
  send_own (self, "ovos.shell.status.ok", NULL, NULL);
  send_own (self, OWS_PREFIX "stop.setup.event", NULL, NULL);
  self->completion_pending = FALSE;
  set_in_setup (self, FALSE);

  if (first_boot (self))
    persist (self, "first_boot", FALSE);

  /* Real clients answer stop.setup.event with remove.active.client. */
  if (self->active != NULL && self->stop_timeout_id == 0)
    self->stop_timeout_id = g_timeout_add (self->stop_timeout_ms, stop_timeout_cb, self);
}

/* Our own question: its answer is acted on even with the watchdog off. */
static void
check_now (OwsManager *self)
{
  self->check_requested = TRUE;
  ows_connectivity_check (self->watchdog);
}

static const char *
get_string_member (JsonObject *data,
                   const char *name)
{
  JsonNode *node = json_object_get_member (data, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
has_member (JsonObject *data,
            const char *name)
{
  JsonNode *node = json_object_get_member (data, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

/* set.active.client and client.select name a client by name, by id, or by
 * both; both naming different clients is as good as naming none. */
static OwsClient *
resolve_requested (OwsManager *self,
                   JsonObject *data)
{
  const char *name_field = has_member (data, "client") ? "client" : "user_requested_client";
  const char *id_field = has_member (data, "id") ? "id" : "user_requested_id";
  gboolean has_name = has_member (data, name_field);
  gboolean has_id = has_member (data, id_field);
  OwsClient *by_name = ows_registry_lookup_name (self->registry, get_string_member (data, name_field));
  OwsClient *by_id = ows_registry_lookup_id (self->registry, get_string_member (data, id_field));

  if (has_name && has_id)
    return by_name == by_id ? by_name : NULL;
  return has_name ? by_name : by_id;
}

/* Handlers, one per request of PROTOCOL.md's table */

static void
handle_register_client (OwsManager *self,
                        OwsMessage *message)
{
  JsonObject *data = ows_message_get_data (message);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  gboolean is_new = FALSE;
  OwsClient *client;

  client = ows_registry_register (self->registry, data, &is_new, &error);
  if (client == NULL)
    {
      JsonObject *reply = json_object_new ();
      const char *name = get_string_member (data, "client");
      g_autofree char *reason = ows_terminal_text_escape (error->message);

      g_debug ("registration refused: %s", reason);
      json_object_set_string_member (reply, "error", error->message);
      if (name != NULL)
        json_object_set_string_member (reply, "client", name);
      else
        json_object_set_null_member (reply, "client");
      send_reply (self, message, OWS_PREFIX "client.registration.failure", reply);
      return;
    }

  shown = ows_terminal_text_escape (ows_client_get_name (client));
  g_debug ("%s client %s as %s", is_new ? "registered" : "updated", shown,
           ows_client_get_id (client));
  send_reply (self, message, OWS_PREFIX "client.registered", ows_client_to_json (client));
  maybe_auto_activate (self);
}

static void
handle_deregister_client (OwsManager *self,
                          OwsMessage *message)
{
  JsonObject *data = ows_message_get_data (message);
  const char *fields[] = { "client_id", "id", "client" };
  g_autoptr(OwsClient) client = NULL;
  JsonObject *reply;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value;

      if (!has_member (data, fields[i]))
        continue;
      value = get_string_member (data, fields[i]);
      if (i < 2)
        client = ows_registry_lookup_id (self->registry, value);
      else
        client = ows_registry_lookup_name (self->registry, value);
      if (client != NULL)
        g_object_ref (client);
      break;
    }

  if (client == NULL)
    {
      reply = json_object_new ();
      json_object_set_string_member (reply, "error", "No such client is registered.");
      send_reply (self, message, OWS_PREFIX "client.deregistration.failure", reply);
      return;
    }

  if (client == self->active)
    deactivate_active (self);
  ows_registry_remove (self->registry, client);

  reply = json_object_new ();
  json_object_set_string_member (reply, "client", ows_client_get_name (client));
  json_object_set_string_member (reply, "id", ows_client_get_id (client));
  json_object_set_string_member (reply, "client_id", ows_client_get_id (client));
  send_reply (self, message, OWS_PREFIX "client.deregistered", reply);
}

static void
handle_get_registered_clients (OwsManager *self,
                               OwsMessage *message)
{
  JsonObject *reply = json_object_new ();

  json_object_set_array_member (reply, "clients", ows_registry_to_json (self->registry));
  send_reply (self, message, OWS_PREFIX "registered.clients", reply);
}

static void
handle_set_active_client (OwsManager *self,
                          OwsMessage *message)
{
  OwsClient *client = resolve_requested (self, ows_message_get_data (message));

  if (client == NULL)
    {
      g_debug ("set.active.client names no registered client: ignored");
      return;
    }
  if (client == self->active)
    {
      /* It may have missed the first activate.{id}. */
      send_client_event (self, "activate", client);
      return;
    }
  activate (self, client);
}

static void
handle_remove_active_client (OwsManager *self,
                             OwsMessage *message)
{
  /* Never match data.client: real clients name themselves differently here
   * than when they registered (traces/README.md). */
  deactivate_active (self);
  check_now (self);
}

static void
handle_client_setup_failure (OwsManager *self,
                             OwsMessage *message)
{
  g_autoptr(OwsClient) failed = self->active ? g_object_ref (self->active) : NULL;

  if (failed == NULL)
    return;

  g_free (self->failed_client);
  self->failed_client = g_strdup (ows_client_get_name (failed));
  deactivate_active (self);

  /* With a screen the user picks again; headless, the next launch picks
   * another client, so there is no immediate retry loop. */
  if (self->has_screen)
    set_in_setup (self, TRUE);
  g_signal_emit (self, signals[CLIENT_FAILED], 0, failed);
}

static void
handle_client_select (OwsManager *self,
                      OwsMessage *message)
{
  OwsClient *client;
  JsonObject *reply;

  if (self->active != NULL)
    {
      g_autofree char *name = ows_terminal_text_escape (ows_client_get_name (self->active));

      g_debug ("client.select while %s is active: ignored", name);
      return;
    }
  client = resolve_requested (self, ows_message_get_data (message));
  if (client == NULL)
    {
      g_debug ("client.select names no registered client: ignored");
      return;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "client", ows_client_get_name (client));
  json_object_set_string_member (reply, "id", ows_client_get_id (client));
  json_object_set_string_member (reply, "user_requested_client", ows_client_get_name (client));
  json_object_set_string_member (reply, "user_requested_id", ows_client_get_id (client));
  send_reply (self, message, OWS_PREFIX "set.active.client", reply);
}

static void
leave_setup (OwsManager   *self,
             OwsMessage   *message,
             OwsSetupMode  mode)
{
  gboolean was_running = setup_running (self);

  deactivate_active (self);
  set_in_setup (self, FALSE);
  self->completion_pending = FALSE;
  ows_connectivity_stop (self->watchdog);
  set_setup_mode (self, mode);

  send_reply (self, message, OWS_PREFIX "fully_offline", NULL);
  if (was_running)
    send_own (self, OWS_PREFIX "stop.setup.event", NULL, NULL);
}

static void
handle_skip_setup (OwsManager *self,
                   OwsMessage *message)
{
  leave_setup (self, message, OWS_SETUP_MODE_SKIPPED);
}

static void
handle_fully_offline (OwsManager *self,
                      OwsMessage *message)
{
  leave_setup (self, message, OWS_SETUP_MODE_OFFLINE);
  persist (self, "enable_watchdog", FALSE);
  persist (self, "first_boot", FALSE);
}

static void
handle_user_activated (OwsManager *self,
                       OwsMessage *message)
{
  persist (self, "enable_watchdog", TRUE);
  set_setup_mode (self, OWS_SETUP_MODE_NORMAL);
  ows_connectivity_start (self->watchdog);
  g_signal_emit (self, signals[SETUP_REQUESTED], 0);

  if (self->active != NULL)
    return;
  launch_setup (self);
}

static void
handle_page_removed (OwsManager *self,
                     OwsMessage *message)
{
  set_in_setup (self, FALSE);
}

static void
handle_status (OwsManager *self,
               OwsMessage *message)
{
  JsonObject *reply = json_object_new ();
  gboolean watchdog_active = ows_connectivity_is_running (self->watchdog);

  if (watchdog_active)
    send_own (self, OWS_PREFIX "alive", NULL, NULL);

  json_object_set_boolean_member (reply, "watchdog_active", watchdog_active);
  json_object_set_boolean_member (reply, "in_setup", self->in_setup);
  json_object_set_boolean_member (reply, "client_in_setup", self->active != NULL);
  if (self->active != NULL)
    {
      json_object_set_string_member (reply, "active_client", ows_client_get_name (self->active));
      json_object_set_string_member (reply, "active_client_id", ows_client_get_id (self->active));
    }
  else
    {
      json_object_set_null_member (reply, "active_client");
      json_object_set_null_member (reply, "active_client_id");
    }
  json_object_set_string_member (reply, "setup_mode", ows_setup_mode_to_string (self->setup_mode));
  json_object_set_int_member (reply, "clients",
                              g_list_model_get_n_items (G_LIST_MODEL (self->registry)));
  json_object_set_string_member (reply, "connectivity",
                                 ows_connectivity_state_to_string (self->connectivity));
  send_reply (self, message, OWS_PREFIX "status.response", reply);
}

static void
handle_internet_connected (OwsManager *self,
                           OwsMessage *message)
{
  internet_connected (self);
  check_now (self);
}

static void
handle_is_ready (OwsManager *self,
                 OwsMessage *message)
{
  JsonObject *reply = json_object_new ();
  g_autoptr(OwsMessage) response = NULL;
  gboolean ready;

  if (self->active != NULL)
    ready = FALSE;
  else
    ready = self->setup_mode != OWS_SETUP_MODE_NORMAL ||
            self->connectivity == OWS_CONNECTIVITY_ONLINE;
  json_object_set_boolean_member (reply, "status", ready);
  response = ows_message_response (message, reply);
  send (self, response);
}

static const struct {
  const char *type;
  Handler handler;
} handlers[] = {
  { OWS_PREFIX "register.client", handle_register_client },
  { OWS_PREFIX "deregister.client", handle_deregister_client },
  { OWS_PREFIX "get.registered.clients", handle_get_registered_clients },
  { OWS_PREFIX "set.active.client", handle_set_active_client },
  { OWS_PREFIX "remove.active.client", handle_remove_active_client },
  { OWS_PREFIX "client.setup.failure", handle_client_setup_failure },
  { OWS_PREFIX "client.select", handle_client_select },
  { OWS_PREFIX "skip.setup", handle_skip_setup },
  { OWS_PREFIX "fully.offline", handle_fully_offline },
  { OWS_PREFIX "user.activated", handle_user_activated },
  { OWS_PREFIX "client.select.page.removed", handle_page_removed },
  { OWS_PREFIX "status", handle_status },
  { "mycroft.internet.connected", handle_internet_connected },
  { "mycroft.internet.is_ready", handle_is_ready },
};

static Handler
lookup_handler (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    if (strcmp (handlers[i].type, type) == 0)
      return handlers[i].handler;
  return NULL;
}

/* An OwsBusFilter: only the requests above are worth parsing. */
gboolean
ows_manager_wants_type (const char *type,
                        gpointer    unused)
{
  return lookup_handler (type) != NULL;
}

void
ows_manager_handle_message (OwsManager *self,
                            OwsMessage *message)
{
  Handler handler;

  g_return_if_fail (OWS_IS_MANAGER (self));
  g_return_if_fail (message != NULL);

  handler = lookup_handler (ows_message_get_type_name (message));
  if (handler == NULL)
    return;
  g_debug ("handling %s", ows_message_get_type_name (message));
  handler (self, message);
}

/* Said after every (re)connect, so that clients (re-)register. */
void
ows_manager_bus_connected (OwsManager *self)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  send_own (self, OWS_PREFIX "alive", NULL, NULL);
}

void
ows_manager_shutdown (OwsManager *self)
{
  g_return_if_fail (OWS_IS_MANAGER (self));

  if (setup_running (self))
    send_own (self, OWS_PREFIX "stop.setup.event", NULL, NULL);
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  ows_connectivity_stop (self->watchdog);
}

/* A verdict of the watchdog (PROTOCOL.md section 4). */
static void
watchdog_checked_cb (OwsManager           *self,
                     OwsConnectivityState  state,
                     OwsConnectivity      *watchdog)
{
  OwsConnectivityState before = self->connectivity;
  gboolean requested = self->check_requested;

  self->check_requested = FALSE;

  if (state == OWS_CONNECTIVITY_ONLINE)
    {
      /* Online from the start is not "came up": a user who asked for setup
       * on a connected device (to pick another network) keeps the
       * selection. Only a first boot ends there. */
      if (requested || first_boot (self) ||
          (before != OWS_CONNECTIVITY_ONLINE && before != OWS_CONNECTIVITY_UNKNOWN))
        internet_connected (self);
      else
        set_connectivity (self, state);
      return;
    }

  set_connectivity (self, state);
  if (!ows_connectivity_is_running (watchdog) || setup_running (self))
    return;

  /* A LAN whose upstream is down: another network would rarely help, but
   * a device that was never online (first boot) is set up all the same. */
  if (state == OWS_CONNECTIVITY_NETWORK && !first_boot (self))
    {
      if (before != OWS_CONNECTIVITY_NETWORK)
        send_own (self, "enclosure.notify.no_internet", NULL, NULL);
      return;
    }
  send_own (self, "enclosure.notify.no_internet", NULL, NULL);
  launch_setup (self);
}

/* GObject */

static void
ows_manager_dispose (GObject *object)
{
  OwsManager *self = OWS_MANAGER (object);

  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  if (self->watchdog != NULL)
    g_signal_handlers_disconnect_by_data (self->watchdog, self);
  g_clear_object (&self->active);
  g_clear_object (&self->watchdog);
  g_clear_object (&self->registry);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ows_manager_parent_class)->dispose (object);
}

static void
ows_manager_finalize (GObject *object)
{
  OwsManager *self = OWS_MANAGER (object);

  g_free (self->failed_client);
  g_free (self->portal_uri);

  G_OBJECT_CLASS (ows_manager_parent_class)->finalize (object);
}

static void
ows_manager_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OwsManager *self = OWS_MANAGER (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_ACTIVE_CLIENT:
      g_value_set_object (value, self->active);
      break;
    case PROP_IN_SETUP:
      g_value_set_boolean (value, self->in_setup);
      break;
    case PROP_HAS_SCREEN:
      g_value_set_boolean (value, self->has_screen);
      break;
    case PROP_SETUP_MODE:
      g_value_set_enum (value, self->setup_mode);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    case PROP_PORTAL_URI:
      g_value_set_string (value, self->portal_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_manager_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OwsManager *self = OWS_MANAGER (object);

  switch (prop_id)
    {
    case PROP_HAS_SCREEN:
      ows_manager_set_has_screen (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_manager_class_init (OwsManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ows_manager_dispose;
  object_class->finalize = ows_manager_finalize;
  object_class->get_property = ows_manager_get_property;
  object_class->set_property = ows_manager_set_property;

  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, OWS_TYPE_REGISTRY, ro);
  properties[PROP_ACTIVE_CLIENT] =
    g_param_spec_object ("active-client", NULL, NULL, OWS_TYPE_CLIENT, ro);
  properties[PROP_IN_SETUP] =
    g_param_spec_boolean ("in-setup", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_SCREEN] =
    g_param_spec_boolean ("has-screen", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SETUP_MODE] =
    g_param_spec_enum ("setup-mode", NULL, NULL, OWS_TYPE_SETUP_MODE, OWS_SETUP_MODE_NORMAL, ro);
  properties[PROP_CONNECTIVITY] =
    g_param_spec_enum ("connectivity", NULL, NULL, OWS_TYPE_CONNECTIVITY_STATE,
                       OWS_CONNECTIVITY_UNKNOWN, ro);
  properties[PROP_PORTAL_URI] =
    g_param_spec_string ("portal-uri", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every message the manager says; the owner puts it on the bus. */
  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                OWS_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* A client gave up (client.setup.failure): a screen names it. */
  signals[CLIENT_FAILED] = g_signal_new ("client-failed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, OWS_TYPE_CLIENT);
  /* The user asked for setup (user.activated): a screen presents itself. */
  signals[SETUP_REQUESTED] = g_signal_new ("setup-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
ows_manager_init (OwsManager *self)
{
  self->stop_timeout_ms = DEFAULT_STOP_TIMEOUT_MS;
}

OwsManager *
ows_manager_new (OwsConfig       *config,
                 OwsConnectivity *watchdog)
{
  OwsManager *self;

  g_return_val_if_fail (OWS_IS_CONFIG (config), NULL);
  g_return_val_if_fail (OWS_IS_CONNECTIVITY (watchdog), NULL);

  self = g_object_new (OWS_TYPE_MANAGER, NULL);
  self->config = g_object_ref (config);
  self->watchdog = g_object_ref (watchdog);
  self->registry = ows_registry_new (OWS_REGISTRY_DEFAULT_LIMIT);
  g_signal_connect_swapped (watchdog, "checked", G_CALLBACK (watchdog_checked_cb), self);

  /* The user chose "never connect" on an earlier run. */
  if (!ows_config_get_boolean (config, OWS_CONFIG_PLUGIN_SECTION, "enable_watchdog", TRUE))
    self->setup_mode = OWS_SETUP_MODE_OFFLINE;
  else
    ows_connectivity_start (watchdog);

  return self;
}

void
ows_manager_set_has_screen (OwsManager *self,
                            gboolean    has_screen)
{
  g_return_if_fail (OWS_IS_MANAGER (self));

  has_screen = !!has_screen;
  if (self->has_screen == has_screen)
    return;
  self->has_screen = has_screen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SCREEN]);
  maybe_auto_activate (self);
}

gboolean
ows_manager_get_has_screen (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return self->has_screen;
}

void
ows_manager_set_stop_timeout (OwsManager *self,
                              guint       timeout_ms)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  self->stop_timeout_ms = timeout_ms;
}

OwsRegistry *
ows_manager_get_registry (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), NULL);
  return self->registry;
}

OwsClient *
ows_manager_get_active_client (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), NULL);
  return self->active;
}

gboolean
ows_manager_get_in_setup (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return self->in_setup;
}

OwsSetupMode
ows_manager_get_setup_mode (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), OWS_SETUP_MODE_NORMAL);
  return self->setup_mode;
}

OwsConnectivityState
ows_manager_get_connectivity (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), OWS_CONNECTIVITY_UNKNOWN);
  return self->connectivity;
}

const char *
ows_manager_get_portal_uri (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), NULL);
  return self->portal_uri;
}

gboolean
ows_manager_get_setup_running (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return setup_running (self);
}
