/* ows-ctl.c: ovos-wifi-setup-ctl, query and drive the wifi setup manager over the messagebus.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-ctl"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ows-bus.h"
#include "ows-manager.h"
#include "ows-terminal-text.h"
#include "ows-tool.h"
#include "ows-wifi-client.h"

#define CTL_NAME "ovos-wifi-setup-ctl"

enum
{
  CTL_EXIT_OK          = 0,
  CTL_EXIT_UNREACHABLE = 1,
  CTL_EXIT_USAGE       = 2,
};

typedef enum
{
  CTL_STATUS,
  CTL_CLIENTS,
  CTL_MONITOR,
  CTL_SEND,
  CTL_SETUP,
} CtlCommandId;

typedef struct
{
  const char   *name;
  CtlCommandId  id;
  const char   *request;  /* type sent once connected; NULL = given on the command line or none */
  const char   *answer;   /* type awaited before exiting; NULL = exit once delivered */
  guint         min_args;
  guint         max_args;
} CtlCommand;

static const CtlCommand commands[] = {
  { "status",  CTL_STATUS,  OWS_PREFIX "status", OWS_PREFIX "status.response", 0, 0 },
  { "clients", CTL_CLIENTS, OWS_PREFIX "get.registered.clients",
    OWS_PREFIX "registered.clients", 0, 0 },
  { "monitor", CTL_MONITOR, NULL, NULL, 0, 0 },
  { "send",    CTL_SEND,    NULL, NULL, 1, 2 },
  { "setup",   CTL_SETUP,   OWS_PREFIX "user.activated", NULL, 0, 0 },
};

/* Types outside OWS_PREFIX that belong to the wifi setup story. */
static const char * const monitored_types[] = {
  "mycroft.internet.connected",
  "mycroft.internet.is_ready",
  "mycroft.internet.is_ready.response",
  "ovos.wifi.setup.completed",
  "ovos.shell.status.ok",
  "enclosure.notify.no_internet",
  "configuration.patch",
  /* The phone setup says its network and password (other utterances show too). */
  "speak",
};

typedef struct
{
  GMainLoop        *loop;
  OwsBus           *bus;
  const CtlCommand *command;
  OwsMessage       *request;
  OwsMessage       *status_request;  /* clients: sent first, for ovos_gui */
  JsonObject       *manager_status;  /* clients: the status.response that came first, if any */
  double            timeout;
  double            wait;
  gboolean          json;
  gboolean          ever_connected;
  gboolean          finishing;
  guint             timeout_id;
  guint             sigint_id;
  guint             sigterm_id;
  int               status;
} Ctl;

static void
ctl_finish (Ctl *ctl,
            int  status)
{
  if (ctl->finishing)
    return;

  ctl->finishing = TRUE;
  ctl->status = status;
  g_clear_handle_id (&ctl->timeout_id, g_source_remove);
  g_main_loop_quit (ctl->loop);
}

/* A failure told while already finishing (same main-loop turn) is not the user's problem. */
static void
ctl_unreachable (const char *reason,
                 gpointer    user_data)
{
  Ctl *ctl = user_data;

  if (ctl->finishing)
    return;

  g_printerr ("%s: cannot reach the messagebus at %s: %s\n",
              CTL_NAME, ows_bus_get_url (ctl->bus), reason);
  ctl_finish (ctl, CTL_EXIT_UNREACHABLE);
}

/* JSON for a terminal: json-glib escapes most C0 controls, but writes 0x1f,
 * DEL, C1 controls and bidirectional controls raw. */
static char *
node_to_json (JsonNode *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  return ows_terminal_text_escape (json);
}

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_alloc ();

  if (object == NULL)
    return g_strdup ("{}");

  json_node_init_object (node, object);
  return node_to_json (node);
}

/* PROTOCOL.md accepts two spellings of most fields; the short one wins. */
static JsonNode *
member (JsonObject *object,
        const char *name,
        const char *alt)
{
  JsonNode *node = NULL;

  if (object != NULL && json_object_has_member (object, name))
    node = json_object_get_member (object, name);
  if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && alt != NULL
      && object != NULL && json_object_has_member (object, alt))
    node = json_object_get_member (object, alt);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static char *
member_text (JsonObject *object,
             const char *name,
             const char *alt)
{
  JsonNode *node = member (object, name, alt);

  if (node == NULL)
    return g_strdup ("-");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return ows_terminal_text_escape (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "yes" : "no");
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return g_strdup ("?");
}

static void
print_status (JsonObject *data)
{
  g_autofree char *watchdog = member_text (data, "watchdog_active", NULL);
  g_autofree char *in_setup = member_text (data, "in_setup", NULL);
  g_autofree char *client_in_setup = member_text (data, "client_in_setup", NULL);
  g_autofree char *active = member_text (data, "active_client", NULL);
  g_autofree char *active_id = member_text (data, "active_client_id", NULL);
  g_autofree char *mode = member_text (data, "setup_mode", NULL);
  g_autofree char *clients = member_text (data, "clients", NULL);
  g_autofree char *connectivity = member_text (data, "connectivity", NULL);
  JsonNode *ovos_gui = member (data, "ovos_gui", NULL);

  g_print ("Watchdog active:  %s\n", watchdog);
  g_print ("In setup:         %s\n", in_setup);
  g_print ("Client in setup:  %s\n", client_in_setup);
  if (member (data, "active_client", NULL) != NULL)
    g_print ("Active client:    %s (id %s)\n", active, active_id);
  else
    g_print ("Active client:    none\n");
  g_print ("Setup mode:       %s\n", mode);
  g_print ("Clients:          %s\n", clients);
  g_print ("Connectivity:     %s\n", connectivity);
  if (ovos_gui != NULL && json_node_get_value_type (ovos_gui) == G_TYPE_BOOLEAN)
    g_print ("OVOS screen:      %s\n",
             json_node_get_boolean (ovos_gui) ? "connected" : "not connected");
  else
    g_print ("OVOS screen:      -\n");
}

static gboolean
member_true (JsonObject *object,
             const char *name,
             const char *alt)
{
  JsonNode *node = member (object, name, alt);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && json_node_get_boolean (node);
}

/* PROTOCOL.md section 3: such a client draws its input on the OVOS GUI
 * (ovos-shell), and without that screen the window does not offer it. The
 * built-in Wi-Fi client draws in our own window. */
static gboolean
needs_ovos_screen (JsonObject *entry)
{
  JsonNode *name = member (entry, "client", NULL);

  if (name != NULL && json_node_get_value_type (name) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (name), OWS_WIFI_CLIENT_NAME) == 0)
    return FALSE;
  return member_true (entry, "has_gui", "client_plugin_has_gui")
         && member_true (entry, "requires_input", "client_plugin_requires_input");
}

/* Whether status.response said the OVOS screen is there: -1 when it did not
 * say (an older manager, or upstream's, which does not answer status). */
static int
ovos_gui_state (JsonObject *status)
{
  JsonNode *node = member (status, "ovos_gui", NULL);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (node);
}

#define N_COLUMNS 7

/* The last column is often empty: no padding after the last words. */
static void
print_row (const char * const *cells,
           const glong       *widths)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      glong pad = widths[i] - g_utf8_strlen (cells[i], -1);

      g_string_append (line, cells[i]);
      if (i + 1 < N_COLUMNS)
        g_string_append_printf (line, "%*s  ", (int) pad, "");
    }
  g_print ("%s\n", g_strchomp (line->str));
}

static char *
ovos_screen_note (JsonObject *entry,
                  int         ovos_gui)
{
  if (!needs_ovos_screen (entry))
    return g_strdup ("");
  if (ovos_gui == 0)
    return g_strdup ("needs the OVOS screen (not running: not offered)");
  return g_strdup ("needs the OVOS screen");
}

static char **
client_row (JsonNode *node,
            int       ovos_gui)
{
  JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  char **cells = g_new0 (char *, N_COLUMNS + 1);

  cells[0] = member_text (entry, "client", NULL);
  cells[1] = member_text (entry, "id", "client_id");
  cells[2] = member_text (entry, "type", "client_plugin_type");
  cells[3] = member_text (entry, "display_text", "client_plugin_display_text");
  cells[4] = member_text (entry, "has_gui", "client_plugin_has_gui");
  cells[5] = member_text (entry, "requires_input", "client_plugin_requires_input");
  cells[6] = ovos_screen_note (entry, ovos_gui);

  return cells;
}

static void
print_clients (JsonArray *clients,
               int        ovos_gui)
{
  static const char *header[N_COLUMNS + 1] = {
    "NAME", "ID", "TYPE", "DISPLAY TEXT", "GUI", "INPUT", "NOTE", NULL
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  glong widths[N_COLUMNS];
  guint n = clients != NULL ? json_array_get_length (clients) : 0;

  if (n == 0)
    {
      g_print ("No clients registered.\n");
      return;
    }

  for (guint i = 0; i < N_COLUMNS; i++)
    widths[i] = g_utf8_strlen (header[i], -1);
  for (guint r = 0; r < n; r++)
    {
      char **cells = client_row (json_array_get_element (clients, r), ovos_gui);

      for (guint i = 0; i < N_COLUMNS; i++)
        widths[i] = MAX (widths[i], g_utf8_strlen (cells[i], -1));
      g_ptr_array_add (rows, cells);
    }

  print_row (header, widths);
  for (guint r = 0; r < rows->len; r++)
    print_row ((const char * const *) g_ptr_array_index (rows, r), widths);
}

/* The entries as the manager sent them, each with "needs_ovos_screen" added;
 * an entry that is no object is passed on as it is. */
static JsonNode *
clients_with_needs (JsonArray *clients)
{
  JsonArray *out = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  guint n = clients != NULL ? json_array_get_length (clients) : 0;

  for (guint r = 0; r < n; r++)
    {
      JsonNode *element = json_array_get_element (clients, r);
      JsonObject *entry, *copy;
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          json_array_add_element (out, json_node_copy (element));
          continue;
        }
      entry = json_node_get_object (element);
      copy = json_object_new ();
      names = json_object_get_members (entry);
      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (copy, l->data,
                                json_node_copy (json_object_get_member (entry, l->data)));
      json_object_set_boolean_member (copy, "needs_ovos_screen", needs_ovos_screen (entry));
      json_array_add_object_element (out, copy);
    }

  json_node_take_array (node, out);
  return node;
}

static void
print_answer (Ctl        *ctl,
              OwsMessage *answer)
{
  JsonObject *data = ows_message_get_data (answer);
  JsonNode *clients = member (data, "clients", NULL);
  JsonArray *array = clients != NULL && JSON_NODE_HOLDS_ARRAY (clients)
                     ? json_node_get_array (clients) : NULL;
  g_autofree char *text = NULL;

  if (ctl->command->id == CTL_STATUS && ctl->json)
    text = object_to_json (data);
  else if (ctl->command->id == CTL_STATUS)
    print_status (data);
  else if (ctl->json)
    {
      g_autoptr(JsonNode) node = clients_with_needs (array);

      text = node_to_json (node);
    }
  else
    print_clients (array, ovos_gui_state (ctl->manager_status));

  if (text != NULL)
    g_print ("%s\n", text);
}

static void
print_monitor_line (OwsMessage *message)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *type = ows_terminal_text_escape (ows_message_get_type_name (message));
  g_autofree char *data = object_to_json (ows_message_get_data (message));

  g_print ("%s.%03d  %s  %s\n", clock, g_date_time_get_microsecond (now) / 1000, type, data);
  fflush (stdout);
}

static gboolean
monitor_wants (const char *type,
               gpointer    unused)
{
  if (g_str_has_prefix (type, OWS_PREFIX))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (monitored_types); i++)
    if (strcmp (type, monitored_types[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
answer_wanted (const char *type,
               gpointer    user_data)
{
  Ctl *ctl = user_data;

  if (ctl->command->id == CTL_CLIENTS && strcmp (type, OWS_PREFIX "status.response") == 0)
    return TRUE;
  return ctl->command->answer != NULL && strcmp (type, ctl->command->answer) == 0;
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Ctl *ctl = user_data;
  g_autoptr(GError) error = NULL;

  if (ows_bus_flush_finish (OWS_BUS (source), result, &error))
    {
      ctl_finish (ctl, CTL_EXIT_OK);
      return;
    }

  g_printerr ("%s: the message may not have reached the messagebus at %s: %s\n",
              CTL_NAME, ows_bus_get_url (ctl->bus), error->message);
  ctl_finish (ctl, CTL_EXIT_UNREACHABLE);
}

static gboolean
on_answer_timeout (gpointer user_data)
{
  Ctl *ctl = user_data;

  ctl->timeout_id = 0;
  g_printerr ("%s: no answer from the wifi setup manager within %g s"
              " (is ovos-wifi-setup running?)\n", CTL_NAME, ctl->timeout);
  ctl_finish (ctl, CTL_EXIT_UNREACHABLE);

  return G_SOURCE_REMOVE;
}

/* clients asks status first for ovos_gui: a manager answers in the order it
 * is asked, so a status.response that has not come by the time the clients
 * do will not come (upstream's plugin does not answer status). */
static void
ctl_send_request (Ctl *ctl)
{
  if (ctl->status_request != NULL)
    ows_bus_send (ctl->bus, ctl->status_request);
  ows_bus_send (ctl->bus, ctl->request);

  if (ctl->command->answer != NULL)
    ctl->timeout_id = g_timeout_add ((guint) (ctl->timeout * 1000), on_answer_timeout, ctl);
  else
    ows_bus_flush_async (ctl->bus, (guint) (ctl->timeout * 1000), NULL, on_flushed, ctl);
}

static void
on_connected (OwsBus   *bus,
              gpointer  user_data)
{
  Ctl *ctl = user_data;
  gboolean first = !ctl->ever_connected;

  if (ctl->finishing)
    return;

  ctl->ever_connected = TRUE;

  if (ctl->command->id == CTL_MONITOR)
    g_printerr ("connected to %s\n", ows_bus_get_url (bus));
  else if (first)
    ctl_send_request (ctl);
}

/* The first connection's failures are ows-tool's to report or retry; later
 * losses heal by themselves. */
static void
on_connect_failed (OwsBus   *bus,
                   GError   *error,
                   gpointer  user_data)
{
  Ctl *ctl = user_data;

  if (ctl->ever_connected || ctl->finishing)
    g_debug ("reconnection failed: %s", error != NULL ? error->message : "?");
}

static void
on_disconnected (OwsBus   *bus,
                 GError   *error,
                 gpointer  user_data)
{
  Ctl *ctl = user_data;

  if (ctl->command->id == CTL_MONITOR && !ctl->finishing)
    g_printerr ("bus connection lost, reconnecting…\n");
}

static void
on_message (OwsBus     *bus,
            OwsMessage *message,
            gpointer    user_data)
{
  Ctl *ctl = user_data;
  const char *type = ows_message_get_type_name (message);

  if (ctl->finishing)
    return;

  if (ctl->command->id == CTL_MONITOR)
    {
      if (monitor_wants (type, NULL))
        print_monitor_line (message);
    }
  else if (ctl->command->id == CTL_CLIENTS && strcmp (type, OWS_PREFIX "status.response") == 0)
    {
      g_clear_pointer (&ctl->manager_status, json_object_unref);
      if (ows_message_get_data (message) != NULL)
        ctl->manager_status = json_object_ref (ows_message_get_data (message));
    }
  else if (ctl->command->answer != NULL && strcmp (type, ctl->command->answer) == 0)
    {
      print_answer (ctl, message);
      ctl_finish (ctl, CTL_EXIT_OK);
    }
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Ctl *ctl = user_data;

  ctl_finish (ctl, CTL_EXIT_OK);

  return G_SOURCE_CONTINUE;
}

static int
usage_error (GOptionContext *context,
             const char     *format,
             ...) G_GNUC_PRINTF (2, 3);

static int
usage_error (GOptionContext *context,
             const char     *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n\n%s", CTL_NAME, message, help);

  return CTL_EXIT_USAGE;
}

static const CtlCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];

  return NULL;
}

static JsonObject *
new_context (void)
{
  JsonObject *context = json_object_new ();

  json_object_set_string_member (context, "source", CTL_NAME);
  return context;
}

/* Only a JSON object can be a message's data; anything else is refused before connecting. */
static JsonObject *
parse_data (const char  *text,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "the data must be a JSON object, like '{\"key\": \"value\"}'");
      return NULL;
    }

  return json_node_dup_object (root);
}

static const char summary[] =
  "Query and drive the OVOS wifi setup manager over the messagebus.\n"
  "\n"
  "Commands:\n"
  "  status            show the manager's state (setup running, active client, connectivity)\n"
  "  clients           list the registered network-setup clients\n"
  "  monitor           print wifi-setup messages live until interrupted (Ctrl+C)\n"
  "  send TYPE [JSON]  send a message of TYPE; its data, if given, must be a JSON object\n"
  "  setup             start the wifi setup, as the drop-down \"wifi setup\" entry does";

static const char description[] =
  "The messagebus address comes from mycroft.conf (websocket.host, port, route, ssl),\n"
  "exactly as for ovos-wifi-setup, unless --bus is given. Where nothing listens there,\n"
  "it gives up at once; with --wait it keeps trying for that long (or --timeout, if\n"
  "longer), for a script that has just started the bus (ovos-wifi-setup --embedded-bus).\n"
  "\n"
  "clients marks a client that has its own GUI and needs input: it draws on the OVOS\n"
  "screen (ovos-shell), and while that is not running the window does not offer it.\n"
  "Arguments are UTF-8 text, whatever the locale.\n"
  "\n"
  "Exit status:\n"
  "  0  success\n"
  "  1  the messagebus or the wifi setup manager could not be reached\n"
  "  2  usage error or bad input\n";

/* Refused before anything is sent: the bus carries UTF-8 only. */
static gboolean
args_are_utf8 (char * const *args)
{
  static const char * const names[] = { "the COMMAND", "the message TYPE", "the JSON data" };

  for (guint i = 0; args[i] != NULL; i++)
    if (!ows_tool_check_utf8 (CTL_NAME, i < G_N_ELEMENTS (names) ? names[i] : "an argument",
                              args[i]))
      return FALSE;

  return TRUE;
}

static int
ctl_run (Ctl        *ctl,
         const char *bus_url)
{
  ctl->loop = g_main_loop_new (NULL, FALSE);
  ctl->bus = ows_tool_bus_new (bus_url);
  if (ctl->command->id == CTL_MONITOR)
    ows_bus_set_filter (ctl->bus, monitor_wants, NULL, NULL);
  else
    ows_bus_set_filter (ctl->bus, answer_wanted, ctl, NULL);

  g_signal_connect (ctl->bus, "message", G_CALLBACK (on_message), ctl);
  g_signal_connect (ctl->bus, "connected", G_CALLBACK (on_connected), ctl);
  g_signal_connect (ctl->bus, "disconnected", G_CALLBACK (on_disconnected), ctl);
  g_signal_connect (ctl->bus, "connect-failed", G_CALLBACK (on_connect_failed), ctl);

  if (ctl->command->id == CTL_MONITOR)
    {
      ctl->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, ctl);
      ctl->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, ctl);
    }

  ows_tool_bus_start (ctl->bus, ctl->timeout, ctl->wait, ctl_unreachable, ctl);

  /* The bus may fail synchronously (a malformed URL): a quit before run would be lost. */
  if (!ctl->finishing)
    g_main_loop_run (ctl->loop);

  g_clear_handle_id (&ctl->sigint_id, g_source_remove);
  g_clear_handle_id (&ctl->sigterm_id, g_source_remove);
  g_clear_handle_id (&ctl->timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (ctl->bus, ctl);
  ows_bus_stop (ctl->bus);
  g_clear_object (&ctl->bus);
  g_clear_pointer (&ctl->loop, g_main_loop_unref);
  g_clear_pointer (&ctl->request, ows_message_unref);
  g_clear_pointer (&ctl->status_request, ows_message_unref);
  g_clear_pointer (&ctl->manager_status, json_object_unref);

  return ctl->status;
}

static int
ctl_prepare_request (Ctl             *ctl,
                     GOptionContext  *context,
                     char           **args)
{
  g_autoptr(GError) error = NULL;
  JsonObject *data = NULL;

  if (ctl->command->id == CTL_MONITOR)
    return CTL_EXIT_OK;

  if (ctl->command->id == CTL_CLIENTS)
    ctl->status_request = ows_message_new (OWS_PREFIX "status", NULL, new_context ());
  if (ctl->command->id != CTL_SEND)
    {
      ctl->request = ows_message_new (ctl->command->request, NULL, new_context ());
      return CTL_EXIT_OK;
    }

  if (*args[0] == '\0')
    return usage_error (context, "the message TYPE must not be empty");

  if (args[1] != NULL && (data = parse_data (args[1], &error)) == NULL)
    {
      g_printerr ("%s: invalid JSON data for %s: %s\n", CTL_NAME, args[0], error->message);
      return CTL_EXIT_USAGE;
    }

  ctl->request = ows_message_new (args[0], data, new_context ());
  return CTL_EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *bus_url = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Ctl ctl = { .timeout = 3.0 };
  /* FILENAME, not STRING: the bytes as given, see ows_tool_check_utf8. */
  const GOptionEntry entries[] = {
    { "bus", 'b', 0, G_OPTION_ARG_FILENAME, &bus_url,
      "Messagebus address (default: from mycroft.conf)", "URL" },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &ctl.timeout,
      "Seconds to wait for the bus and for an answer (default: 3)", "SECONDS" },
    { "wait", 'w', 0, G_OPTION_ARG_DOUBLE, &ctl.wait,
      "Keep trying to reach the bus for up to SECONDS (default: 0, give up at once)",
      "SECONDS" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &ctl.json,
      "Print the answer as raw JSON (status, clients)", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  guint n_args;
  int status;

  setlocale (LC_ALL, "");
  /* GLib 2.74 logs debug output to stdout, which would corrupt --json and monitor pipes. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new ("COMMAND [ARGUMENTS…]");
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, "%s", error->message);

  if (!ows_tool_check_utf8 (CTL_NAME, "--bus", bus_url)
      || (args != NULL && !args_are_utf8 (args)))
    return CTL_EXIT_USAGE;
  if (args == NULL || args[0] == NULL)
    return usage_error (context, "no command given");
  if ((ctl.command = find_command (args[0])) == NULL)
    return usage_error (context, "unknown command '%s'", args[0]);

  n_args = g_strv_length (args) - 1;
  if (n_args < ctl.command->min_args || n_args > ctl.command->max_args)
    return usage_error (context, "wrong number of arguments for '%s'", args[0]);
  if (!(ctl.timeout > 0 && ctl.timeout <= G_MAXUINT / 1000.0))
    return usage_error (context, "--timeout must be a positive number of seconds");
  if (!(ctl.wait >= 0 && ctl.wait <= G_MAXUINT / 1000.0))
    return usage_error (context, "--wait must be a number of seconds, 0 or more");

  status = ctl_prepare_request (&ctl, context, args + 1);
  if (status != CTL_EXIT_OK)
    return status;

  return ctl_run (&ctl, bus_url);
}
