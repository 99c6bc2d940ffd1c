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
#include "ows-manager-private.h"
#include "ows-terminal-text.h"

#define DEFAULT_STOP_TIMEOUT_MS 10000
/* Minutes a client may stay silent, headless: long enough for a setup done
 * on a phone (PHAL."ovos-PHAL-plugin-wifi-setup".setup_timeout). */
#define DEFAULT_SETUP_TIMEOUT_MIN 40
/* Later than the real Python clients' reconnect (about 5 s after the bus is back). */
#define REALIVE_MS 8000
/* ovos-gui answers gui.status.request at once; silence means no OVOS screen. */
#define OVOS_GUI_ANSWER_MS 1000

struct _OwsManager
{
  GObject parent_instance;

  OwsConfig *config;
  OwsConnectivity *watchdog;  /* the one source of connectivity: the manager keeps no copy */
  OwsRegistry *registry;

  OwsClient *active;          /* the client that owns the setup, or NULL */
  OwsClient *finished;        /* said it was done: its verdict is pending */
  OwsOutcome outcome;         /* how the last attempt ended, until the next one */
  OwsClient *outcome_client;
  gboolean in_setup;          /* the selection is showing (headless: waiting to activate) */
  gboolean has_screen;        /* a window of ours shows the selection */
  gboolean ovos_gui;          /* ovos-gui said an OVOS screen is connected */
  GPtrArray *window_clients;  /* the names of the clients our window draws (built-in Wi-Fi, phone) */
  OwsSetupMode setup_mode;
  gboolean completion_pending; /* setup was launched or a client activated: "completed" is yet to be said */
  gboolean check_requested;   /* the next verdict answers our own question */
  OwsPhase phase;             /* the last phase told, to notify only on change */
  gboolean following;         /* another manager answers on the bus: ours mirrors it */
  gboolean choosing;          /* following: the user asked our window for the choices */

  guint stop_timeout_ms;
  guint stop_timeout_id;      /* deactivates a client that ignores stop.setup.event */
  guint setup_timeout_id;     /* headless: deactivates a client that neither finishes nor fails */
  gint64 setup_timeout_test_ms; /* tests: instead of the config's setup_timeout; -1: the config's */
  guint setup_timeout_armed_ms; /* what setup_timeout_id was started with */
  guint ovos_gui_timeout_id;  /* a gui.status.request is unanswered */
  gboolean connected_before;  /* the next connect is a reconnect */
  guint realive_ms;
  guint realive_id;           /* alive once more after a reconnect */
};

G_DEFINE_FINAL_TYPE (OwsManager, ows_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PHASE,
  PROP_REGISTRY,
  PROP_ACTIVE_CLIENT,
  PROP_IN_SETUP,
  PROP_HAS_SCREEN,
  PROP_OVOS_GUI,
  PROP_SETUP_MODE,
  PROP_OUTCOME,
  PROP_OUTCOME_CLIENT,
  N_PROPS
};

enum {
  SEND,
  SETUP_REQUESTED,
  OFFER_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef void (*Handler) (OwsManager *self,
                         OwsMessage *message);

static void restart_setup_timeout (OwsManager *self);

/* The wire spelling of status.response's setup_mode. */
static const char *
setup_mode_to_string (OwsSetupMode mode)
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

/* The phase */

/* A client that draws its input on the OVOS screen is a dead end without
 * that screen: nothing would show, and it would wait for ever. The window
 * client draws in our own window. */
static gboolean
offers (OwsManager *self,
        OwsClient  *client)
{
  return self->ovos_gui ||
         !(ows_client_get_has_gui (client) && ows_client_get_requires_input (client)) ||
         ows_manager_is_window_client (self, client);
}

static gboolean
offers_any (OwsManager *self)
{
  GListModel *clients = G_LIST_MODEL (self->registry);
  guint n = g_list_model_get_n_items (clients);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwsClient) client = g_list_model_get_item (clients, i);

      if (offers (self, client))
        return TRUE;
    }
  return FALSE;
}

static OwsPhase
derive_phase (OwsManager *self)
{
  if (self->choosing)
    return offers_any (self) ? OWS_PHASE_SELECTION : OWS_PHASE_WAITING;
  if (self->active != NULL)
    return OWS_PHASE_RUNNING;
  if (self->finished != NULL)
    return OWS_PHASE_CHECKING;
  if (self->in_setup)
    return offers_any (self) ? OWS_PHASE_SELECTION : OWS_PHASE_WAITING;
  if (self->setup_mode != OWS_SETUP_MODE_NORMAL)
    return OWS_PHASE_OFFLINE;
  if (ows_connectivity_get_state (self->watchdog) == OWS_CONNECTIVITY_ONLINE)
    return OWS_PHASE_CONNECTED;
  return OWS_PHASE_IDLE;
}

/* The phase's name, which is also the name of the window's page for it. */
const char *
ows_phase_to_nick (OwsPhase phase)
{
  /* Kept for the program's life: one main loop, no threads. */
  static GEnumClass *phases;

  if (phases == NULL)
    phases = g_type_class_ref (OWS_TYPE_PHASE);
  return g_enum_get_value (phases, phase)->value_nick;
}

/* Called after every change of what the phase is derived from. */
static void
sync_phase (OwsManager *self)
{
  OwsPhase phase = derive_phase (self);

  if (phase == self->phase)
    return;
  self->phase = phase;
  g_debug ("phase = %s", ows_phase_to_nick (phase));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
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
  sync_phase (self);
}

static void
set_setup_mode (OwsManager   *self,
                OwsSetupMode  mode)
{
  if (self->setup_mode == mode)
    return;
  self->setup_mode = mode;
  g_debug ("setup_mode = %s", setup_mode_to_string (mode));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP_MODE]);
  sync_phase (self);
}

static void
set_outcome (OwsManager *self,
             OwsOutcome  outcome,
             OwsClient  *client)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->outcome_client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME_CLIENT]);
  if (self->outcome != outcome)
    {
      self->outcome = outcome;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_finished (OwsManager *self,
              OwsClient  *client)
{
  if (g_set_object (&self->finished, client))
    sync_phase (self);
}

static void
set_ovos_gui (OwsManager *self,
              gboolean    connected)
{
  connected = !!connected;
  g_clear_handle_id (&self->ovos_gui_timeout_id, g_source_remove);
  if (self->ovos_gui == connected)
    return;
  self->ovos_gui = connected;
  g_debug ("the OVOS screen is %s", connected ? "connected" : "not connected");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVOS_GUI]);
  g_signal_emit (self, signals[OFFER_CHANGED], 0);
  sync_phase (self);
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
  restart_setup_timeout (self);
  shown = ows_terminal_text_escape (client ? ows_client_get_name (client) : "(none)");
  g_debug ("active client = %s", shown);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_CLIENT]);
  sync_phase (self);
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
  g_object_freeze_notify (G_OBJECT (self));
  if (self->active != NULL && self->active != client)
    deactivate_active (self);
  set_finished (self, NULL);
  set_outcome (self, OWS_OUTCOME_NONE, NULL);
  set_active (self, client);
  set_in_setup (self, FALSE);
  self->completion_pending = TRUE;
  send_client_event (self, "activate", client);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
ovos_gui_timeout_cb (gpointer user_data)
{
  OwsManager *self = user_data;

  self->ovos_gui_timeout_id = 0;
  g_debug ("no answer to gui.status.request");
  set_ovos_gui (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* Is the OVOS screen there (PROTOCOL.md 3)? ovos-gui answers; while it has
 * not, what was last known holds. */
static void
ask_ovos_gui (OwsManager *self)
{
  send_own (self, "gui.status.request", NULL, NULL);
  if (self->ovos_gui_timeout_id == 0)
    self->ovos_gui_timeout_id = g_timeout_add (OVOS_GUI_ANSWER_MS, ovos_gui_timeout_cb, self);
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

/* While this holds, the watchdog launches nothing and quitting says stop.setup.event. */
static gboolean
setup_running (OwsManager *self)
{
  return self->in_setup || self->active != NULL || self->finished != NULL;
}

/* Headless: the first client that needs no input takes the setup, preferring
 * one other than the client that failed last, so a broken client does not
 * get picked again and again while another could do the job. */
static void
maybe_auto_activate (OwsManager *self)
{
  const char *failed = NULL;
  OwsClient *fallback = NULL;
  guint n;

  if (self->following || self->has_screen || !self->in_setup || self->active != NULL)
    return;
  if (self->outcome == OWS_OUTCOME_FAILED)
    failed = ows_client_get_name (self->outcome_client);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->registry));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwsClient) client = g_list_model_get_item (G_LIST_MODEL (self->registry), i);

      if (ows_client_get_requires_input (client))
        continue;
      if (g_strcmp0 (ows_client_get_name (client), failed) != 0)
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
  ask_ovos_gui (self);
  self->completion_pending = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  set_finished (self, NULL);
  set_in_setup (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
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
  if (!self->completion_pending && !first_boot (self))
    return;

  send_own (self, "ovos.wifi.setup.completed", NULL, NULL);
  send_own (self, "ovos.shell.status.ok", NULL, NULL);
  send_own (self, OWS_PREFIX "stop.setup.event", NULL, NULL);
  self->completion_pending = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  set_finished (self, NULL);
  set_outcome (self, OWS_OUTCOME_NONE, NULL);
  set_in_setup (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));

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
  if (!is_new)
    {
      /* Its fields may have changed what can be offered (a new one is an items-changed). */
      g_signal_emit (self, signals[OFFER_CHANGED], 0);
      sync_phase (self);
    }
  maybe_auto_activate (self);
}

/* A registration with a NUL in a string: Python compares whole strings, so
 * "keeper-A\u0000evil" is not keeper-A; we cannot read it whole, so refuse. */
static void
refuse_nul_registration (OwsManager *self,
                         OwsMessage *message,
                         const char *member)
{
  JsonObject *data = ows_message_get_data (message);
  JsonObject *reply = json_object_new ();
  const char *name = get_string_member (data, "client");
  g_autofree char *sentence = NULL;

  if (member != NULL)
    {
      g_autofree char *shown = ows_terminal_text_escape (member);

      sentence = g_strdup_printf ("The field \"%s\" contains a NUL character.", member);
      g_debug ("registration refused: the field \"%s\" contains a NUL character", shown);
    }
  else
    {
      sentence = g_strdup ("The registration contains a NUL character.");
      g_debug ("registration refused: it contains a NUL character");
    }
  json_object_set_string_member (reply, "error", sentence);
  /* The name, unless it is (or may be) what was cut. */
  if (name != NULL && member != NULL && strcmp (member, "client") != 0)
    json_object_set_string_member (reply, "client", name);
  else
    json_object_set_null_member (reply, "client");
  send_reply (self, message, OWS_PREFIX "client.registration.failure", reply);
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

/* The client says it is done: the internet decides whether it was. */
static void
handle_remove_active_client (OwsManager *self,
                             OwsMessage *message)
{
  /* Never match data.client: real clients name themselves differently here
   * than when they registered (traces/README.md). */
  g_object_freeze_notify (G_OBJECT (self));
  if (self->active != NULL)
    set_finished (self, self->active);
  deactivate_active (self);
  g_object_thaw_notify (G_OBJECT (self));
  check_now (self);
}

static void
handle_client_setup_failure (OwsManager *self,
                             OwsMessage *message)
{
  if (self->active == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  set_outcome (self, OWS_OUTCOME_FAILED, self->active);
  deactivate_active (self);
  /* With a screen the user picks again; headless, the next launch picks
   * another client, so there is no immediate retry loop. */
  if (self->has_screen)
    set_in_setup (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

/* How long a client may stay silent, headless, in ms; 0 = for ever. Read at
 * each activation, so a reloaded configuration holds from the next one. */
static guint
setup_timeout_ms (OwsManager *self)
{
  JsonNode *node = ows_config_lookup (self->config, OWS_CONFIG_PLUGIN_SECTION, "setup_timeout");
  double minutes = DEFAULT_SETUP_TIMEOUT_MIN;

  if (self->setup_timeout_test_ms >= 0)
    return (guint) self->setup_timeout_test_ms;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      minutes = ows_config_get_double (self->config, OWS_CONFIG_PLUGIN_SECTION,
                                       "setup_timeout", -1);
      if (!(minutes >= 0))
        {
          g_warning ("mycroft.conf: setup_timeout must be a number of minutes, 0 or more; "
                     "using %d", DEFAULT_SETUP_TIMEOUT_MIN);
          minutes = DEFAULT_SETUP_TIMEOUT_MIN;
        }
    }
  if (minutes == 0)
    return 0;
  /* A tiny fraction is not "never"; a huge number is as good as it. */
  return (guint) CLAMP (minutes * 60000, 1, G_MAXUINT);
}

/* Headless, whether a client other than @client needs no input, so that it
 * can take over at once (maybe_auto_activate prefers it). */
static gboolean
another_takes_over (OwsManager *self,
                    OwsClient  *client)
{
  GListModel *clients = G_LIST_MODEL (self->registry);
  guint n = g_list_model_get_n_items (clients);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwsClient) other = g_list_model_get_item (clients, i);

      if (!ows_client_get_requires_input (other) &&
          g_strcmp0 (ows_client_get_name (other), ows_client_get_name (client)) != 0)
        return TRUE;
    }
  return FALSE;
}

/* A client that went silent (the real gui-network-client, activated
 * headless, may never show a page) would hold a headless device offline
 * for good: it fails as if it had said so, and the next client that needs
 * no input gets its turn now. Alone, it waits for the next launch, as after
 * client.setup.failure: no immediate retry loop. */
static gboolean
setup_timeout_cb (gpointer user_data)
{
  OwsManager *self = user_data;
  g_autoptr(OwsClient) client = g_object_ref (self->active);
  g_autofree char *shown = ows_terminal_text_escape (ows_client_get_name (client));

  self->setup_timeout_id = 0;
  g_message ("%s neither finished nor failed within %g minutes: deactivating it",
             shown, self->setup_timeout_armed_ms / 60000.0);
  g_object_freeze_notify (G_OBJECT (self));
  handle_client_setup_failure (self, NULL);
  if (another_takes_over (self, client))
    launch_setup (self);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

/* The one place the timer is derived: it runs while a client is active and
 * no window of ours shows the choices (a person is there then), and counts
 * from the last change of either. */
static void
restart_setup_timeout (OwsManager *self)
{
  guint timeout_ms;

  g_clear_handle_id (&self->setup_timeout_id, g_source_remove);
  if (self->active == NULL || self->has_screen || self->following)
    return;
  timeout_ms = setup_timeout_ms (self);
  self->setup_timeout_armed_ms = timeout_ms;
  if (timeout_ms > 0)
    self->setup_timeout_id = g_timeout_add (timeout_ms, setup_timeout_cb, self);
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

  g_object_freeze_notify (G_OBJECT (self));
  deactivate_active (self);
  set_finished (self, NULL);
  set_outcome (self, OWS_OUTCOME_NONE, NULL);
  set_in_setup (self, FALSE);
  self->completion_pending = FALSE;
  ows_connectivity_stop (self->watchdog);
  set_setup_mode (self, mode);
  g_object_thaw_notify (G_OBJECT (self));

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
  g_object_freeze_notify (G_OBJECT (self));
  set_setup_mode (self, OWS_SETUP_MODE_NORMAL);
  ows_connectivity_start (self->watchdog);
  g_signal_emit (self, signals[SETUP_REQUESTED], 0);

  /* The user wants the choices, whatever runs: it steps down, and nothing
   * is completed (upstream shows its selection whatever is active). */
  deactivate_active (self);
  launch_setup (self);
  g_object_thaw_notify (G_OBJECT (self));
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
  json_object_set_string_member (reply, "setup_mode", setup_mode_to_string (self->setup_mode));
  json_object_set_int_member (reply, "clients",
                              g_list_model_get_n_items (G_LIST_MODEL (self->registry)));
  json_object_set_string_member (reply, "connectivity",
                                 ows_connectivity_state_to_string (
                                   ows_connectivity_get_state (self->watchdog)));
  json_object_set_boolean_member (reply, "ovos_gui", self->ovos_gui);
  send_reply (self, message, OWS_PREFIX "status.response", reply);
}

/* A peer's word: believed, acted on, and checked. */
static void
handle_internet_connected (OwsManager *self,
                           OwsMessage *message)
{
  ows_connectivity_assume_online (self->watchdog);
  internet_connected (self);
  check_now (self);
}

/* ovos-gui's answer, to our question or to anyone's (the bus tells all). */
static void
handle_gui_status (OwsManager *self,
                   OwsMessage *message)
{
  JsonNode *node = json_object_get_member (ows_message_get_data (message), "connected");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_debug ("gui.status.request.response without a boolean \"connected\": ignored");
      return;
    }
  set_ovos_gui (self, json_node_get_boolean (node));
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
            ows_connectivity_get_state (self->watchdog) == OWS_CONNECTIVITY_ONLINE;
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
  { "gui.status.request.response", handle_gui_status },
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
/* A view of another manager (PROTOCOL.md section 1)
 *
 * Another manager answers on the bus (the device's setup service, or the
 * upstream plugin): ours answers nothing and mirrors that one's state from
 * what it says and what is asked of it, for our window to show; the
 * window's taps go to it as requests. */

/* Whoever asked, the answers come to everyone: the list first, so that
 * status's active client is one the view already knows. */
static void
ask_followed (OwsManager *self)
{
  send_own (self, OWS_PREFIX "get.registered.clients", NULL, NULL);
  send_own (self, OWS_PREFIX "status", NULL, NULL);
}

static void
follow_registered (OwsManager *self,
                   JsonObject *entry)
{
  g_autoptr(GError) error = NULL;

  if (ows_registry_mirror (self->registry, entry, &error) == NULL)
    g_debug ("the followed manager's client is not shown: %s", error->message);
}

static void
follow_clients (OwsManager *self,
                JsonObject *data)
{
  JsonNode *node = json_object_get_member (data, "clients");
  JsonArray *clients;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  clients = json_node_get_array (node);
  g_object_freeze_notify (G_OBJECT (self));
  ows_registry_clear (self->registry);
  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonNode *element = json_array_get_element (clients, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        follow_registered (self, json_node_get_object (element));
    }
  /* The active client may have been dropped and come back with the list. */
  if (self->active != NULL)
    set_active (self, ows_registry_lookup_id (self->registry, ows_client_get_id (self->active)));
  g_object_thaw_notify (G_OBJECT (self));
}

static void
follow_deregistered (OwsManager *self,
                     JsonObject *data)
{
  const char *id = get_string_member (data, "id");
  OwsClient *client = ows_registry_lookup_id (self->registry,
                                              id ? id : get_string_member (data, "client_id"));

  if (client == NULL)
    return;
  if (client == self->active)
    set_active (self, NULL);
  ows_registry_remove (self->registry, client);
}

static void
follow_status (OwsManager *self,
               JsonObject *data)
{
  const char *mode = get_string_member (data, "setup_mode");
  const char *active_id = get_string_member (data, "active_client_id");

  g_object_freeze_notify (G_OBJECT (self));
  set_in_setup (self, json_object_get_boolean_member_with_default (data, "in_setup", FALSE));
  set_ovos_gui (self, json_object_get_boolean_member_with_default (data, "ovos_gui", self->ovos_gui));
  if (g_strcmp0 (mode, "skipped") == 0)
    set_setup_mode (self, OWS_SETUP_MODE_SKIPPED);
  else if (g_strcmp0 (mode, "offline") == 0)
    set_setup_mode (self, OWS_SETUP_MODE_OFFLINE);
  else if (mode != NULL)
    set_setup_mode (self, OWS_SETUP_MODE_NORMAL);
  set_active (self, ows_registry_lookup_id (self->registry, active_id));
  g_object_thaw_notify (G_OBJECT (self));
}

/* Setup left (skipped, completed, stopped): nothing runs, nothing to choose. */
static void
follow_setup_ended (OwsManager *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->choosing = FALSE;
  set_active (self, NULL);
  set_finished (self, NULL);
  set_in_setup (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
follow (OwsManager *self,
        OwsMessage *message)
{
  const char *type = ows_message_get_type_name (message);
  JsonObject *data = ows_message_get_data (message);
  const char *event;

  if (ows_message_has_nul (message, NULL))
    return;
  if (g_strcmp0 (type, "ovos.wifi.setup.completed") == 0)
    {
      follow_setup_ended (self);
      return;
    }
  if (g_strcmp0 (type, "gui.status.request.response") == 0)
    {
      set_ovos_gui (self, json_object_get_boolean_member_with_default (data, "connected", FALSE));
      return;
    }
  if (!g_str_has_prefix (type, OWS_PREFIX))
    return;
  event = type + strlen (OWS_PREFIX);
  g_object_freeze_notify (G_OBJECT (self));

  if (g_str_equal (event, "registered.clients"))
    follow_clients (self, data);
  else if (g_str_equal (event, "client.registered"))
    follow_registered (self, data);
  else if (g_str_equal (event, "client.deregistered"))
    follow_deregistered (self, data);
  else if (g_str_equal (event, "status.response"))
    follow_status (self, data);
  /* It restarted, or the bus did: its list may have changed. */
  else if (g_str_equal (event, "alive"))
    send_own (self, OWS_PREFIX "get.registered.clients", NULL, NULL);
  else if (g_str_equal (event, "setup.launched"))
    {
      set_finished (self, NULL);
      set_in_setup (self, TRUE);
    }
  else if (g_str_equal (event, "stop.setup.event") || g_str_equal (event, "client.select.page.removed"))
    follow_setup_ended (self);
  else if (g_str_has_prefix (event, "activate."))
    {
      OwsClient *client = ows_registry_lookup_id (self->registry, event + strlen ("activate."));

      self->choosing = FALSE;
      set_outcome (self, OWS_OUTCOME_NONE, NULL);
      set_finished (self, NULL);
      set_active (self, client);
      set_in_setup (self, FALSE);
    }
  else if (g_str_has_prefix (event, "deactivate."))
    {
      if (self->active != NULL &&
          g_str_equal (ows_client_get_id (self->active), event + strlen ("deactivate.")))
        set_active (self, NULL);
    }
  /* Requests to it, which it acts on: seen here before what it says. */
  else if (g_str_equal (event, "remove.active.client"))
    set_finished (self, self->active);
  else if (g_str_equal (event, "client.setup.failure") && self->active != NULL)
    set_outcome (self, OWS_OUTCOME_FAILED, self->active);
  else if (g_str_equal (event, "skip.setup"))
    {
      set_setup_mode (self, OWS_SETUP_MODE_SKIPPED);
      follow_setup_ended (self);
    }
  else if (g_str_equal (event, "fully.offline"))
    {
      set_setup_mode (self, OWS_SETUP_MODE_OFFLINE);
      follow_setup_ended (self);
    }
  else if (g_str_equal (event, "user.activated"))
    set_setup_mode (self, OWS_SETUP_MODE_NORMAL);

  sync_phase (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Becomes a view of the manager that answers on the bus: what ours knew
 * (of a moment alone, before the bus came) gives way to what that one says. */
void
ows_manager_follow (OwsManager *self)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  g_return_if_fail (!self->following);

  self->following = TRUE;
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_handle_id (&self->setup_timeout_id, g_source_remove);
  g_clear_handle_id (&self->ovos_gui_timeout_id, g_source_remove);
  g_clear_handle_id (&self->realive_id, g_source_remove);
  g_object_freeze_notify (G_OBJECT (self));
  follow_setup_ended (self);
  set_outcome (self, OWS_OUTCOME_NONE, NULL);
  ows_registry_clear (self->registry);
  g_object_thaw_notify (G_OBJECT (self));
  ask_followed (self);
}

/* What the window's request becomes for the manager we follow, or NULL when
 * the view does it alone. That manager may run headless: a launch there
 * activates its first no-input client, and client.select is ignored while
 * one is active; so Back shows our choices over what runs, and a tap
 * asks for that client whatever runs. */
const char *
ows_manager_route_request (OwsManager *self,
                           const char *type)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), type);

  if (!self->following)
    return type;
  if (g_str_equal (type, OWS_PREFIX "user.activated") && self->active != NULL)
    {
      self->choosing = TRUE;
      sync_phase (self);
      return NULL;
    }
  if (g_str_equal (type, OWS_PREFIX "client.select"))
    return OWS_PREFIX "set.active.client";
  return type;
}

gboolean
ows_manager_get_following (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return self->following;
}

gboolean
ows_manager_wants_type (const char *type,
                        gpointer    unused)
{
  /* The completion, for a view: every other event of the setup has the prefix. */
  return lookup_handler (type) != NULL || g_strcmp0 (type, "ovos.wifi.setup.completed") == 0;
}

void
ows_manager_handle_message (OwsManager *self,
                            OwsMessage *message)
{
  Handler handler;
  const char *nul_member;

  g_return_if_fail (OWS_IS_MANAGER (self));
  g_return_if_fail (message != NULL);

  if (self->following)
    {
      follow (self, message);
      return;
    }
  handler = lookup_handler (ows_message_get_type_name (message));
  if (handler == NULL)
    return;
  /* json-glib cut a string at its NUL: the request is not what it spells. */
  if (ows_message_has_nul (message, &nul_member))
    {
      if (handler == handle_register_client)
        refuse_nul_registration (self, message, nul_member);
      else
        g_debug ("%s with a NUL character in a string: dropped",
                 ows_message_get_type_name (message));
      return;
    }
  g_debug ("handling %s", ows_message_get_type_name (message));
  handler (self, message);
}

static gboolean
realive_cb (gpointer user_data)
{
  OwsManager *self = user_data;

  self->realive_id = 0;
  send_own (self, OWS_PREFIX "alive", NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Said after every (re)connect, so that clients (re-)register; the OVOS
 * screen may have come or gone meanwhile. */
void
ows_manager_bus_connected (OwsManager *self)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  if (self->following)
    {
      ask_followed (self);
      return;
    }
  send_own (self, OWS_PREFIX "alive", NULL, NULL);
  ask_ovos_gui (self);
  /* After a bus restart the real Python clients come back about 5 s after
   * us, and would miss that alive: say it once more when they are back. */
  g_clear_handle_id (&self->realive_id, g_source_remove);
  if (self->connected_before)
    self->realive_id = g_timeout_add (self->realive_ms, realive_cb, self);
  self->connected_before = TRUE;
}

void
ows_manager_set_realive_delay (OwsManager *self,
                               guint       delay_ms)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  self->realive_ms = delay_ms;
}

void
ows_manager_shutdown (OwsManager *self)
{
  g_return_if_fail (OWS_IS_MANAGER (self));

  /* A view leaves the setup to the manager it follows. */
  if (setup_running (self) && !self->following)
    send_own (self, OWS_PREFIX "stop.setup.event", NULL, NULL);
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_handle_id (&self->setup_timeout_id, g_source_remove);
  g_clear_handle_id (&self->ovos_gui_timeout_id, g_source_remove);
  g_clear_handle_id (&self->realive_id, g_source_remove);
  ows_connectivity_stop (self->watchdog);
}

/* A verdict of the watchdog (PROTOCOL.md section 4). */
static void
watchdog_checked_cb (OwsManager           *self,
                     OwsConnectivityState  state,
                     OwsConnectivityState  before,
                     OwsConnectivity      *watchdog)
{
  gboolean requested = self->check_requested;
  g_autoptr(OwsClient) finished = NULL;

  /* The manager we follow has a watchdog of its own. */
  if (self->following)
    return;
  self->check_requested = FALSE;
  /* Our question was whether the client that said it was done was right. */
  if (requested && self->finished != NULL)
    finished = g_object_ref (self->finished);

  g_object_freeze_notify (G_OBJECT (self));
  set_finished (self, NULL);
  if (state == OWS_CONNECTIVITY_ONLINE)
    {
      /* Online from the start is not "came up": a user who asked for setup
       * on a connected device (to pick another network) keeps the
       * selection. Only a first boot ends there. */
      if (requested || first_boot (self) ||
          (before != OWS_CONNECTIVITY_ONLINE && before != OWS_CONNECTIVITY_UNKNOWN))
        internet_connected (self);
    }
  else if (finished != NULL && self->has_screen)
    {
      /* It was not: the user hears so and chooses again. Headless, the
       * watchdog decides, as for any verdict. */
      set_outcome (self, OWS_OUTCOME_NO_INTERNET, finished);
      send_own (self, "enclosure.notify.no_internet", NULL, NULL);
      launch_setup (self);
    }
  else if (ows_connectivity_is_running (watchdog) && !setup_running (self))
    {
      /* A LAN whose upstream is down: another network would rarely help,
       * but a device that was never online (first boot) is set up all the same. */
      if (state != OWS_CONNECTIVITY_NETWORK || first_boot (self))
        {
          send_own (self, "enclosure.notify.no_internet", NULL, NULL);
          launch_setup (self);
        }
      else if (before != OWS_CONNECTIVITY_NETWORK)
        send_own (self, "enclosure.notify.no_internet", NULL, NULL);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* GObject */

static void
ows_manager_dispose (GObject *object)
{
  OwsManager *self = OWS_MANAGER (object);

  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_handle_id (&self->setup_timeout_id, g_source_remove);
  g_clear_handle_id (&self->ovos_gui_timeout_id, g_source_remove);
  g_clear_handle_id (&self->realive_id, g_source_remove);
  if (self->watchdog != NULL)
    g_signal_handlers_disconnect_by_data (self->watchdog, self);
  if (self->registry != NULL)
    g_signal_handlers_disconnect_by_data (self->registry, self);
  g_clear_object (&self->active);
  g_clear_object (&self->finished);
  g_clear_object (&self->outcome_client);
  g_clear_object (&self->watchdog);
  g_clear_object (&self->registry);
  g_clear_object (&self->config);
  g_clear_pointer (&self->window_clients, g_ptr_array_unref);

  G_OBJECT_CLASS (ows_manager_parent_class)->dispose (object);
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
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
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
    case PROP_OVOS_GUI:
      g_value_set_boolean (value, self->ovos_gui);
      break;
    case PROP_SETUP_MODE:
      g_value_set_enum (value, self->setup_mode);
      break;
    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;
    case PROP_OUTCOME_CLIENT:
      g_value_set_object (value, self->outcome_client);
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
  object_class->get_property = ows_manager_get_property;
  object_class->set_property = ows_manager_set_property;

  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, OWS_TYPE_PHASE, OWS_PHASE_IDLE, ro);
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, OWS_TYPE_REGISTRY, ro);
  properties[PROP_ACTIVE_CLIENT] =
    g_param_spec_object ("active-client", NULL, NULL, OWS_TYPE_CLIENT, ro);
  properties[PROP_IN_SETUP] =
    g_param_spec_boolean ("in-setup", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_SCREEN] =
    g_param_spec_boolean ("has-screen", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether ovos-gui said an OVOS screen (ovos-shell) is connected. */
  properties[PROP_OVOS_GUI] =
    g_param_spec_boolean ("ovos-gui", NULL, NULL, FALSE, ro);
  properties[PROP_SETUP_MODE] =
    g_param_spec_enum ("setup-mode", NULL, NULL, OWS_TYPE_SETUP_MODE, OWS_SETUP_MODE_NORMAL, ro);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, OWS_TYPE_OUTCOME, OWS_OUTCOME_NONE, ro);
  properties[PROP_OUTCOME_CLIENT] =
    g_param_spec_object ("outcome-client", NULL, NULL, OWS_TYPE_CLIENT, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every message the manager says; the owner puts it on the bus. */
  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                OWS_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* The user asked for setup (user.activated): a screen presents itself. */
  signals[SETUP_REQUESTED] = g_signal_new ("setup-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /* ows_manager_offers() may answer otherwise for a registered client (the
   * OVOS screen came or went, a client changed its fields); the registry's
   * items-changed tells of clients that come and go. */
  signals[OFFER_CHANGED] = g_signal_new ("offer-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
ows_manager_init (OwsManager *self)
{
  self->stop_timeout_ms = DEFAULT_STOP_TIMEOUT_MS;
  self->setup_timeout_test_ms = -1;
  self->realive_ms = REALIVE_MS;
  self->window_clients = g_ptr_array_new_with_free_func (g_free);
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
  g_signal_connect_swapped (watchdog, "notify::state", G_CALLBACK (sync_phase), self);
  g_signal_connect_swapped (self->registry, "items-changed", G_CALLBACK (sync_phase), self);

  /* The user chose "never connect" on an earlier run. */
  if (!ows_config_get_boolean (config, OWS_CONFIG_PLUGIN_SECTION, "enable_watchdog", TRUE))
    self->setup_mode = OWS_SETUP_MODE_OFFLINE;
  else
    ows_connectivity_start (watchdog);
  self->phase = derive_phase (self);

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
  restart_setup_timeout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SCREEN]);
  maybe_auto_activate (self);
}

/* Tests only (ows-manager-private.h): how long a client may ignore stop.setup.event. */
void
ows_manager_set_stop_timeout (OwsManager *self,
                              guint       timeout_ms)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  self->stop_timeout_ms = timeout_ms;
}

/* Tests only: how long a client may stay silent, headless, instead of the
 * config's setup_timeout (minutes), from the next activation; 0 = for ever. */
void
ows_manager_set_setup_timeout (OwsManager *self,
                               guint       timeout_ms)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  self->setup_timeout_test_ms = timeout_ms;
}

/* Tests only: the timeout the next activation gets, in ms; 0 = none. */
guint
ows_manager_get_setup_timeout (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), 0);
  return setup_timeout_ms (self);
}

OwsPhase
ows_manager_get_phase (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), OWS_PHASE_IDLE);
  return self->phase;
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

gboolean
ows_manager_get_ovos_gui (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return self->ovos_gui;
}

OwsOutcome
ows_manager_get_outcome (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), OWS_OUTCOME_NONE);
  return self->outcome;
}

/* The client whose attempt the outcome tells of, or NULL. */
OwsClient *
ows_manager_get_outcome_client (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), NULL);
  return self->outcome_client;
}

/* Whether a selection screen should offer @client: not one whose input
 * needs an OVOS screen that is not there. Headless choice never takes a
 * client that needs input anyway. */
gboolean
ows_manager_offers (OwsManager *self,
                    OwsClient  *client)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  g_return_val_if_fail (OWS_IS_CLIENT (client), FALSE);
  return offers (self, client);
}

/* The client of @name draws in our own window: it needs no OVOS screen,
 * and the window shows its page instead of stepping aside. */
void
ows_manager_add_window_client (OwsManager *self,
                               const char *name)
{
  g_return_if_fail (OWS_IS_MANAGER (self));
  g_return_if_fail (name != NULL);

  if (g_ptr_array_find_with_equal_func (self->window_clients, name, g_str_equal, NULL))
    return;
  g_ptr_array_add (self->window_clients, g_strdup (name));
  g_signal_emit (self, signals[OFFER_CHANGED], 0);
  sync_phase (self);
}

gboolean
ows_manager_is_window_client (OwsManager *self,
                              OwsClient  *client)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return client != NULL &&
         g_ptr_array_find_with_equal_func (self->window_clients, ows_client_get_name (client),
                                           g_str_equal, NULL);
}

gboolean
ows_manager_get_setup_running (OwsManager *self)
{
  g_return_val_if_fail (OWS_IS_MANAGER (self), FALSE);
  return setup_running (self);
}
