/* ows-demo-client.c: ovos-wifi-demo-client, a network-setup client that pretends to set up the network.
 * SPDX-License-Identifier: Apache-2.0
 *
 * It speaks the real client protocol (PROTOCOL.md section 2), so it can stand
 * in for gui-network-client or balena-wifi in demos and end-to-end tests.
 */
#define G_LOG_DOMAIN "ows-demo-client"

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

#define DEMO_NAME "ovos-wifi-demo-client"

/* Enough to write a deregistration to a live bus; a dead one must not hold up the exit. */
#define DEMO_FLUSH_TIMEOUT_MS 2000

enum
{
  DEMO_EXIT_OK          = 0,
  DEMO_EXIT_UNREACHABLE = 1,
  DEMO_EXIT_USAGE       = 2,
};

typedef struct
{
  GMainLoop  *loop;
  OwsBus     *bus;

  const char *name;
  const char *type;
  const char *text;
  gboolean    gui;
  gboolean    input;
  gboolean    failure;
  gboolean    once;
  double      after;
  double      timeout;
  double      wait;

  char       *id;
  gboolean    active;
  gboolean    ever_connected;
  gboolean    leaving;
  gboolean    quit;
  guint       outcome_id;
  guint       sigint_id;
  guint       sigterm_id;
  int         status;
} Demo;

static void demo_say (Demo       *demo,
                      const char *format,
                      ...) G_GNUC_PRINTF (2, 3);

/* Output is read by people and by tests through a pipe: one flushed line each. */
static void
demo_say (Demo       *demo,
          const char *format,
          ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("%s: %s\n", demo->name, line);
  fflush (stdout);
}

static void
demo_quit (Demo *demo)
{
  demo->quit = TRUE;
  g_main_loop_quit (demo->loop);
}

static void
demo_send (Demo       *demo,
           const char *type,
           JsonObject *data)
{
  JsonObject *context = json_object_new ();
  g_autoptr(OwsMessage) message = NULL;

  json_object_set_string_member (context, "source", demo->name);
  message = ows_message_new (type, data, context);
  ows_bus_send (demo->bus, message);
}

/* Both spellings of every field, so old and new managers alike understand it. */
static void
demo_register (Demo *demo)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "client", demo->name);
  json_object_set_string_member (data, "type", demo->type);
  json_object_set_string_member (data, "client_plugin_type", demo->type);
  json_object_set_string_member (data, "display_text", demo->text);
  json_object_set_string_member (data, "client_plugin_display_text", demo->text);
  json_object_set_boolean_member (data, "has_gui", demo->gui);
  json_object_set_boolean_member (data, "client_plugin_has_gui", demo->gui);
  json_object_set_boolean_member (data, "requires_input", demo->input);
  json_object_set_boolean_member (data, "client_plugin_requires_input", demo->input);

  demo_send (demo, OWS_PREFIX "register.client", data);
}

static void
demo_send_for_self (Demo       *demo,
                    const char *type)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "client", demo->name);
  demo_send (demo, type, data);
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(GError) error = NULL;

  if (!ows_bus_flush_finish (OWS_BUS (source), result, &error))
    g_printerr ("%s: %s: could not deliver the last messages: %s\n",
                DEMO_NAME, demo->name, error->message);

  demo_quit (demo);
}

/* The one way out after connecting: say goodbye to the manager, then drain the queue. */
static void
demo_leave (Demo *demo)
{
  if (demo->leaving)
    return;

  demo->leaving = TRUE;
  g_clear_handle_id (&demo->outcome_id, g_source_remove);

  if (!demo->ever_connected)
    {
      demo_quit (demo);
      return;
    }

  if (demo->id != NULL)
    {
      JsonObject *data = json_object_new ();
      g_autofree char *shown = ows_terminal_text_escape (demo->id);

      json_object_set_string_member (data, "client_id", demo->id);
      demo_send (demo, OWS_PREFIX "deregister.client", data);
      demo_say (demo, "deregistering %s", shown);
    }

  ows_bus_flush_async (demo->bus, DEMO_FLUSH_TIMEOUT_MS, NULL, on_flushed, demo);
}

/* A failure told while already leaving (same main-loop turn) is not the user's problem. */
static void
demo_unreachable (const char *reason,
                  gpointer    user_data)
{
  Demo *demo = user_data;

  if (demo->leaving)
    return;

  g_printerr ("%s: cannot reach the messagebus at %s: %s\n",
              DEMO_NAME, ows_bus_get_url (demo->bus), reason);
  demo->status = DEMO_EXIT_UNREACHABLE;
  demo->leaving = TRUE;
  demo_quit (demo);
}

static void
demo_send_outcome (Demo       *demo,
                   const char *type,
                   const char *what)
{
  demo_send_for_self (demo, type);
  demo_say (demo, "%s: sent %s", what, type);
  demo->active = FALSE;

  if (demo->once)
    demo_leave (demo);
}

static gboolean
on_outcome (gpointer user_data)
{
  Demo *demo = user_data;

  demo->outcome_id = 0;
  if (demo->failure)
    demo_send_outcome (demo, OWS_PREFIX "client.setup.failure", "setup failed");
  else
    demo_send_outcome (demo, OWS_PREFIX "remove.active.client", "setup succeeded");

  return G_SOURCE_REMOVE;
}

static void
demo_activated (Demo *demo)
{
  /* The manager repeats activate to a client that may have missed it: keep the running clock. */
  if (demo->outcome_id != 0)
    {
      demo_say (demo, "activated again: outcome still pending");
      return;
    }

  demo->active = TRUE;
  demo_say (demo, "activated: pretending to set up for %g s", demo->after);
  demo->outcome_id = g_timeout_add ((guint) (demo->after * 1000), on_outcome, demo);
}

static void
demo_deactivated (Demo *demo)
{
  g_clear_handle_id (&demo->outcome_id, g_source_remove);
  demo->active = FALSE;
  demo_say (demo, "deactivated");
}

/* Real clients answer the end of setup by giving the screen back. */
static void
demo_stop_setup (Demo *demo)
{
  if (!demo->active)
    return;

  g_clear_handle_id (&demo->outcome_id, g_source_remove);
  demo_send_outcome (demo, OWS_PREFIX "remove.active.client", "setup stopped");
}

static const char *
data_string (JsonObject *data,
             const char *name,
             const char *alt)
{
  const char *names[] = { name, alt };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node;

      if (names[i] == NULL || data == NULL || !json_object_has_member (data, names[i]))
        continue;
      node = json_object_get_member (data, names[i]);
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }

  return NULL;
}

static gboolean
is_for_me (Demo       *demo,
           JsonObject *data)
{
  return g_strcmp0 (data_string (data, "client", NULL), demo->name) == 0;
}

static void
demo_registered (Demo       *demo,
                 JsonObject *data)
{
  const char *id = data_string (data, "id", "client_id");
  g_autofree char *shown = NULL;

  if (!is_for_me (demo, data) || id == NULL)
    return;

  g_free (demo->id);
  demo->id = g_strdup (id);
  shown = ows_terminal_text_escape (id);
  demo_say (demo, "registered as %s", shown);
}

static void
demo_registration_failed (Demo       *demo,
                          JsonObject *data)
{
  const char *error = data_string (data, "error", NULL);
  g_autofree char *shown = ows_terminal_text_escape (error != NULL ? error : "(no reason given)");

  if (is_for_me (demo, data))
    demo_say (demo, "registration refused: %s", shown);
}

static void
demo_deregistered (Demo       *demo,
                   JsonObject *data)
{
  const char *id = data_string (data, "client_id", "id");

  if (demo->id == NULL || g_strcmp0 (id, demo->id) != 0)
    return;

  g_clear_pointer (&demo->id, g_free);
  g_clear_handle_id (&demo->outcome_id, g_source_remove);
  demo->active = FALSE;
  demo_say (demo, "deregistered by the manager");
}

/* activate.{id} / deactivate.{id}: the suffix must be exactly our id. */
static gboolean
is_addressed (Demo       *demo,
              const char *type,
              const char *prefix)
{
  return demo->id != NULL && g_str_has_prefix (type, prefix)
         && strcmp (type + strlen (prefix), demo->id) == 0;
}

static void
on_message (OwsBus     *bus,
            OwsMessage *message,
            gpointer    user_data)
{
  Demo *demo = user_data;
  const char *type = ows_message_get_type_name (message);
  JsonObject *data = ows_message_get_data (message);

  if (demo->leaving)
    return;

  if (strcmp (type, OWS_PREFIX "alive") == 0)
    demo_register (demo);
  else if (strcmp (type, OWS_PREFIX "client.registered") == 0)
    demo_registered (demo, data);
  else if (strcmp (type, OWS_PREFIX "client.registration.failure") == 0)
    demo_registration_failed (demo, data);
  else if (strcmp (type, OWS_PREFIX "client.deregistered") == 0)
    demo_deregistered (demo, data);
  else if (strcmp (type, OWS_PREFIX "stop.setup.event") == 0)
    demo_stop_setup (demo);
  else if (is_addressed (demo, type, OWS_PREFIX "activate."))
    demo_activated (demo);
  else if (is_addressed (demo, type, OWS_PREFIX "deactivate."))
    demo_deactivated (demo);
}

static gboolean
wants_type (const char *type,
            gpointer    unused)
{
  return g_str_has_prefix (type, OWS_PREFIX);
}

static void
on_connected (OwsBus   *bus,
              gpointer  user_data)
{
  Demo *demo = user_data;

  if (demo->leaving)
    return;

  demo->ever_connected = TRUE;
  demo_say (demo, "connected to %s", ows_bus_get_url (bus));
  /* A manager that restarted with the bus has forgotten us. */
  demo_register (demo);
}

static void
on_disconnected (OwsBus   *bus,
                 GError   *error,
                 gpointer  user_data)
{
  Demo *demo = user_data;

  if (!demo->leaving)
    demo_say (demo, "bus connection lost, reconnecting…");
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Demo *demo = user_data;

  demo_leave (demo);

  return G_SOURCE_CONTINUE;
}

static int
demo_run (Demo       *demo,
          const char *bus_url)
{
  demo->loop = g_main_loop_new (NULL, FALSE);
  demo->bus = ows_tool_bus_new (bus_url);
  ows_bus_set_filter (demo->bus, wants_type, NULL, NULL);
  g_signal_connect (demo->bus, "message", G_CALLBACK (on_message), demo);
  g_signal_connect (demo->bus, "connected", G_CALLBACK (on_connected), demo);
  g_signal_connect (demo->bus, "disconnected", G_CALLBACK (on_disconnected), demo);

  demo->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, demo);
  demo->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, demo);
  ows_tool_bus_start (demo->bus, demo->timeout, demo->wait, demo_unreachable, demo);

  /* The bus may fail synchronously (a malformed URL): a quit before run would be lost. */
  if (!demo->quit)
    g_main_loop_run (demo->loop);

  g_clear_handle_id (&demo->sigint_id, g_source_remove);
  g_clear_handle_id (&demo->sigterm_id, g_source_remove);
  g_clear_handle_id (&demo->outcome_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (demo->bus, demo);
  ows_bus_stop (demo->bus);
  g_clear_object (&demo->bus);
  g_clear_pointer (&demo->loop, g_main_loop_unref);

  return demo->status;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("%s: %s\n\n%s", DEMO_NAME, message, help);

  return DEMO_EXIT_USAGE;
}

static const char description[] =
  "It registers with the wifi setup manager (again after every reconnect and every\n"
  "\"alive\"), and when activated waits --after seconds, then reports the --outcome:\n"
  "success sends remove.active.client, failure sends client.setup.failure.\n"
  "On SIGINT or SIGTERM it deregisters and exits.\n"
  "\n"
  "Where nothing listens on the bus, it gives up at once; with --wait it keeps trying\n"
  "for that long (or --timeout, if longer), for a script that has just started the bus.\n"
  "Arguments are UTF-8 text, whatever the locale.\n"
  "\n"
  "Exit status:\n"
  "  0  success\n"
  "  1  the messagebus could not be reached\n"
  "  2  usage error\n";

int
main (int   argc,
      char *argv[])
{
  g_autofree char *bus_url = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) rest = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Demo demo = { .gui = TRUE, .after = 2.0, .timeout = 5.0 };
  /* FILENAME, not STRING: the bytes as given, see ows_tool_check_utf8. */
  const GOptionEntry entries[] = {
    { "bus", 'b', 0, G_OPTION_ARG_FILENAME, &bus_url,
      "Messagebus address (default: from mycroft.conf)", "URL" },
    { "name", 'n', 0, G_OPTION_ARG_FILENAME, &name,
      "Client name (default: demo-client)", "NAME" },
    { "type", 0, 0, G_OPTION_ARG_FILENAME, &type,
      "Client type: onDevice, Remote, … (default: onDevice)", "TYPE" },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &text,
      "Display text (default: Demo setup)", "TEXT" },
    { "gui", 0, 0, G_OPTION_ARG_NONE, &demo.gui,
      "Claim to show its own GUI (default)", NULL },
    { "no-gui", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &demo.gui,
      "Claim to show no GUI", NULL },
    { "input", 0, 0, G_OPTION_ARG_NONE, &demo.input,
      "Claim to need user input (never activated headless)", NULL },
    { "no-input", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &demo.input,
      "Claim to need no user input (default)", NULL },
    { "outcome", 'o', 0, G_OPTION_ARG_FILENAME, &outcome,
      "success or failure (default: success)", "OUTCOME" },
    { "after", 'a', 0, G_OPTION_ARG_DOUBLE, &demo.after,
      "Seconds between activation and outcome (default: 2)", "SECONDS" },
    { "once", 0, 0, G_OPTION_ARG_NONE, &demo.once,
      "Deregister and exit after the first outcome", NULL },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &demo.timeout,
      "Seconds to wait for the first connection (default: 5)", "SECONDS" },
    { "wait", 'w', 0, G_OPTION_ARG_DOUBLE, &demo.wait,
      "Keep trying to reach the bus for up to SECONDS (default: 0, give up at once)",
      "SECONDS" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  int status;

  setlocale (LC_ALL, "");
  /* GLib 2.74 logs debug output to stdout, which is our protocol with the tests. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new ("- a demo network-setup client for the OVOS wifi setup");
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (!ows_tool_check_utf8 (DEMO_NAME, "--bus", bus_url)
      || !ows_tool_check_utf8 (DEMO_NAME, "--name", name)
      || !ows_tool_check_utf8 (DEMO_NAME, "--type", type)
      || !ows_tool_check_utf8 (DEMO_NAME, "--text", text)
      || !ows_tool_check_utf8 (DEMO_NAME, "--outcome", outcome))
    return DEMO_EXIT_USAGE;
  if (rest != NULL)
    return usage_error (context, "unexpected argument");
  if (outcome != NULL && strcmp (outcome, "success") != 0 && strcmp (outcome, "failure") != 0)
    return usage_error (context, "--outcome must be success or failure");
  if (!(demo.after >= 0 && demo.after <= G_MAXUINT / 1000.0))
    return usage_error (context, "--after must be a number of seconds, 0 or more");
  if (!(demo.timeout > 0 && demo.timeout <= G_MAXUINT / 1000.0))
    return usage_error (context, "--timeout must be a positive number of seconds");
  if (!(demo.wait >= 0 && demo.wait <= G_MAXUINT / 1000.0))
    return usage_error (context, "--wait must be a number of seconds, 0 or more");
  if ((name != NULL && *name == '\0') || (type != NULL && *type == '\0')
      || (text != NULL && *text == '\0'))
    return usage_error (context, "--name, --type and --text must not be empty");

  demo.failure = g_strcmp0 (outcome, "failure") == 0;
  demo.name = name != NULL ? name : "demo-client";
  demo.type = type != NULL ? type : "onDevice";
  demo.text = text != NULL ? text : "Demo setup";

  status = demo_run (&demo, bus_url);
  g_free (demo.id);

  return status;
}
