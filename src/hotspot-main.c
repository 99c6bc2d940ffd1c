/* hotspot-main.c: ovos-wifi-setup-hotspot, the setup hotspot and the page a phone opens on it.
 * SPDX-License-Identifier: Apache-2.0
 *
 *   ovos-wifi-setup-hotspot --ssid SSID [--open] [--port PORT]
 *
 * The phone setup client (ows-phone-client.c) starts it when it is activated,
 * so that libnm and its 3 MiB are paid then, never by an idle manager. The
 * hotspot's password comes on the first line of standard input (never on the
 * command line, which every user can read). It prints what happens, one event
 * a line, fields separated by a tab:
 *
 *   preparing            scanning, then starting the hotspot
 *   up URL               the hotspot serves the page at URL
 *   visitor              a phone loaded the page
 *   connecting SSID      the person chose SSID: the hotspot goes down
 *   retry SENTENCE       joining failed; the hotspot is back, the page says SENTENCE
 *   joined               the device is on the chosen network (exit 0)
 *   failed SENTENCE      the hotspot could not start (exit 1)
 *
 * The end of standard input (the manager went away, or was done with it),
 * SIGTERM, SIGINT and SIGHUP take the hotspot down and bring back the
 * connection the device had before (exit 0). 2: a bad command line.
 */
#define G_LOG_DOMAIN "ows-hotspot"

#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ows-hotspot.h"
#include "ows-setup-page.h"
#include "ows-wifi-private.h"
#include "src/ows-build-tree.h"

enum {
  EXIT_DONE = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

/* Long enough for the phone to get the "Connecting…" page before the
 * hotspot it loaded it over goes away. */
#define JOIN_DELAY_MS 2000
/* How long NetworkManager may take to say whether there is Wi-Fi at all, and
 * to take the hotspot down at the end. */
#define WIFI_DEADLINE_S 15
#define STOP_DEADLINE_S 10
/* Where port 80 is not allowed (an unprivileged service). */
#define FALLBACK_PORT 8080

typedef struct
{
  GMainLoop *loop;
  OwsWifi *wifi;
  OwsHotspot *hotspot;
  OwsSetupPage *page;
  GInputStream *input;
  GCancellable *cancellable;
  char *ssid;
  char *password;       /* NULL: an open hotspot */
  char *join_ssid;      /* the chosen network, between the request and the join */
  char *join_password;
  gboolean join_hidden;
  guint join_id;
  guint deadline_id;
  guint port;
  char *test_address;   /* tests: serve on this address, to any peer */
  gboolean started;     /* ows_hotspot_start () was called */
  gboolean stopping;
  gboolean visited;     /* "visitor" was said */
  int status;
} Program;

/* Standard output as it was started: the events' only way out. Whatever
 * else writes to standard output (GLib's debug lines) goes to standard error. */
static FILE *events;

static void
emit (const char *event,
      const char *argument)
{
  g_autofree char *line = NULL;

  /* One event a line, whatever a network's name or a sentence holds. */
  if (argument != NULL)
    {
      g_autofree char *flat = g_strdup (argument);

      g_strdelimit (flat, "\t\r\n", ' ');
      line = g_strdup_printf ("%s\t%s\n", event, flat);
    }
  else
    line = g_strdup_printf ("%s\n", event);
  fputs (line, events);
  fflush (events);
}

static void
wipe (char **secret)
{
  if (*secret != NULL)
    explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
quit (Program *program,
      int      status)
{
  program->status = status;
  g_main_loop_quit (program->loop);
}

static gboolean
stop_deadline_cb (gpointer user_data)
{
  Program *program = user_data;

  program->deadline_id = 0;
  g_warning ("NetworkManager did not take the hotspot down within %d s", STOP_DEADLINE_S);
  quit (program, EXIT_DONE);
  return G_SOURCE_REMOVE;
}

/* The hotspot goes down and the connection from before comes back; the
 * process ends once NetworkManager has done it. */
static void
stop (Program *program)
{
  if (program->stopping)
    return;
  program->stopping = TRUE;
  g_cancellable_cancel (program->cancellable);
  g_clear_handle_id (&program->join_id, g_source_remove);
  g_clear_handle_id (&program->deadline_id, g_source_remove);
  if (program->page != NULL)
    ows_setup_page_stop (program->page);
  if (!program->started || ows_hotspot_get_state (program->hotspot) == OWS_HOTSPOT_STATE_OFF)
    {
      quit (program, EXIT_DONE);
      return;
    }
  ows_hotspot_stop (program->hotspot);
  if (ows_hotspot_get_state (program->hotspot) == OWS_HOTSPOT_STATE_OFF)
    quit (program, EXIT_DONE);
  else
    program->deadline_id = g_timeout_add_seconds (STOP_DEADLINE_S, stop_deadline_cb, program);
}

static gboolean
signal_cb (gpointer user_data)
{
  stop (user_data);
  return G_SOURCE_CONTINUE;
}

static void
input_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Program *program = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Anything more is ignored; only the end counts. */
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      g_input_stream_read_bytes_async (program->input, 256, G_PRIORITY_DEFAULT,
                                       program->cancellable, input_cb, program);
      return;
    }
  g_debug ("standard input closed: stopping");
  stop (program);
}

static void connect_requested_cb (OwsSetupPage *page, const char *ssid, gboolean hidden,
                                  const char *password, Program *program);
static void visited_cb (OwsSetupPage *page, Program *program);

static char *
page_url (GInetAddress *address,
          guint         port)
{
  g_autofree char *host = g_inet_address_to_string (address);

  if (port == 80)
    return g_strdup_printf ("http://%s/", host);
  return g_strdup_printf ("http://%s:%u/", host, port);
}

/* On the hotspot's own address only, and only for its subnet: the page is
 * never offered to the home network the device later joins. */
static gboolean
serve (Program  *program,
       GError  **error)
{
  g_autoptr(GInetAddressMask) allowed = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;

  if (program->test_address != NULL)
    {
      address = g_inet_address_new_from_string (program->test_address);
      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an address: %s",
                       program->test_address);
          return FALSE;
        }
      allowed = g_inet_address_mask_new_from_string ("0.0.0.0/0", error);
    }
  else
    {
      address = g_object_ref (ows_hotspot_get_address (program->hotspot));
      allowed = g_object_ref (ows_hotspot_get_subnet (program->hotspot));
    }
  if (allowed == NULL)
    return FALSE;

  if (program->page == NULL)
    {
      program->page = ows_setup_page_new ();
      g_signal_connect (program->page, "connect-requested", G_CALLBACK (connect_requested_cb), program);
      g_signal_connect (program->page, "visited", G_CALLBACK (visited_cb), program);
      if (!ows_setup_page_listen (program->page, address, program->port, &local_error))
        {
          /* An unprivileged service may not bind port 80 (see the README). */
          if (program->port != 80 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              g_clear_object (&program->page);
              return FALSE;
            }
          g_message ("port 80 is not allowed here: the page is on port %d", FALLBACK_PORT);
          g_clear_error (&local_error);
          if (!ows_setup_page_listen (program->page, address, FALLBACK_PORT, error))
            {
              g_clear_object (&program->page);
              return FALSE;
            }
        }
    }
  ows_setup_page_set_allowed_subnet (program->page, allowed);
  ows_setup_page_set_networks (program->page, ows_hotspot_get_networks (program->hotspot));
  url = page_url (address, ows_setup_page_get_port (program->page));
  emit ("up", url);
  return TRUE;
}

static gboolean
join_cb (gpointer user_data)
{
  Program *program = user_data;

  program->join_id = 0;
  ows_hotspot_join (program->hotspot, program->join_ssid, program->join_hidden,
                    program->join_password);
  wipe (&program->join_password);
  return G_SOURCE_REMOVE;
}

static void
connect_requested_cb (OwsSetupPage *page,
                      const char   *ssid,
                      gboolean      hidden,
                      const char   *password,
                      Program      *program)
{
  if (program->join_id != 0 || ows_hotspot_get_state (program->hotspot) != OWS_HOTSPOT_STATE_UP)
    return;
  ows_setup_page_set_status (page, OWS_SETUP_PAGE_STATUS_CONNECTING, NULL);
  g_free (program->join_ssid);
  program->join_ssid = g_strdup (ssid);
  program->join_hidden = hidden;
  wipe (&program->join_password);
  program->join_password = g_strdup (password);
  emit ("connecting", ssid);
  program->join_id = g_timeout_add (JOIN_DELAY_MS, join_cb, program);
}

/* Once: the manager only needs to know that someone joined. */
static void
visited_cb (OwsSetupPage *page,
            Program      *program)
{
  if (program->visited)
    return;
  program->visited = TRUE;
  emit ("visitor", NULL);
}

static void
state_cb (OwsHotspot *hotspot,
          GParamSpec *pspec,
          Program    *program)
{
  OwsHotspotState state = ows_hotspot_get_state (hotspot);
  g_autoptr(GError) error = NULL;
  const char *problem;

  g_debug ("hotspot state %d", state);
  if (program->stopping)
    {
      if (state == OWS_HOTSPOT_STATE_OFF)
        {
          g_clear_handle_id (&program->deadline_id, g_source_remove);
          quit (program, EXIT_DONE);
        }
      return;
    }

  switch (state)
    {
    case OWS_HOTSPOT_STATE_UP:
      if (!serve (program, &error))
        {
          g_autofree char *sentence =
            g_strdup_printf (_("The setup page could not be served: %s"), error->message);

          emit ("failed", sentence);
          program->status = EXIT_FAILED;
          ows_hotspot_stop (hotspot);
          quit (program, EXIT_FAILED);
          return;
        }
      problem = ows_hotspot_get_error (hotspot);
      if (problem != NULL && program->join_ssid != NULL)
        {
          ows_setup_page_set_status (program->page, OWS_SETUP_PAGE_STATUS_FAILED, problem);
          emit ("retry", problem);
        }
      break;
    case OWS_HOTSPOT_STATE_JOINED:
      if (program->page != NULL)
        ows_setup_page_stop (program->page);
      emit ("joined", NULL);
      quit (program, EXIT_DONE);
      break;
    case OWS_HOTSPOT_STATE_FAILED:
      emit ("failed", ows_hotspot_get_error (hotspot));
      quit (program, EXIT_FAILED);
      break;
    case OWS_HOTSPOT_STATE_OFF:
    case OWS_HOTSPOT_STATE_SCANNING:
    case OWS_HOTSPOT_STATE_STARTING:
    case OWS_HOTSPOT_STATE_JOINING:
    default:
      break;
    }
}

static void
start_hotspot (Program *program)
{
  g_clear_handle_id (&program->deadline_id, g_source_remove);
  if (program->started)
    return;
  program->started = TRUE;
  emit ("preparing", NULL);
  ows_hotspot_start (program->hotspot, program->ssid, program->password);
}

static void
supported_cb (OwsHotspot *hotspot,
              GParamSpec *pspec,
              Program    *program)
{
  if (ows_hotspot_get_supported (hotspot) && !program->stopping)
    start_hotspot (program);
}

static gboolean
no_wifi_cb (gpointer user_data)
{
  Program *program = user_data;

  program->deadline_id = 0;
  emit ("failed", _("This device has no Wi-Fi that can open a network of its own."));
  quit (program, EXIT_FAILED);
  return G_SOURCE_REMOVE;
}

/* The first line of standard input, without its newline; the rest is left
 * for input_cb, which only waits for the end. */
static char *
read_password (Program  *program,
               GError  **error)
{
  GString *line = g_string_new (NULL);
  char c;
  gssize n;

  while ((n = g_input_stream_read (program->input, &c, 1, NULL, error)) == 1 && c != '\n')
    {
      if (line->len >= 64)
        break;
      g_string_append_c (line, c);
    }
  if (n < 0)
    {
      explicit_bzero (line->str, line->len);
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_string_free (line, FALSE);
}

static gboolean
parse (Program   *program,
       int       *argc,
       char    ***argv)
{
  gboolean open = FALSE;
  int port = 80;
  const GOptionEntry entries[] = {
    { "ssid", 0, 0, G_OPTION_ARG_STRING, &program->ssid,
      N_("The hotspot’s network name"), N_("SSID") },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open,
      N_("An open hotspot, without a password"), NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      N_("The setup page’s port (default: 80, else 8080 where 80 is not allowed)"), N_("PORT") },
    { "test-address", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &program->test_address,
      NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("ovos-wifi-setup-hotspot: %s\n", error->message);
      return FALSE;
    }
  if (program->ssid == NULL || *program->ssid == '\0' || strlen (program->ssid) > 32 ||
      !g_utf8_validate (program->ssid, -1, NULL))
    {
      g_printerr ("ovos-wifi-setup-hotspot: %s\n", _("--ssid: a network name of 1 to 32 bytes is needed"));
      return FALSE;
    }
  if (port < 1 || port > G_MAXUINT16)
    {
      g_printerr ("ovos-wifi-setup-hotspot: %s\n", _("--port: a port from 1 to 65535 is needed"));
      return FALSE;
    }
  program->port = port;
  if (!open)
    {
      program->password = read_password (program, &error);
      if (program->password == NULL || strlen (program->password) < 8)
        {
          g_printerr ("ovos-wifi-setup-hotspot: %s\n",
                      _("the hotspot’s password (8 to 63 characters) is read from standard input"));
          wipe (&program->password);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
in_build_tree (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;

  return g_strcmp0 (dir, OWS_BUILD_DIR) == 0;
}

int
main (int   argc,
      char *argv[])
{
  Program program = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, in_build_tree () ? OWS_BUILD_LOCALEDIR : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  events = fdopen (dup (STDOUT_FILENO), "w");
  if (events == NULL || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return EXIT_FAILED;
  program.input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  if (!parse (&program, &argc, &argv))
    {
      g_clear_object (&program.input);
      g_free (program.ssid);
      g_free (program.test_address);
      return EXIT_USAGE;
    }

  program.loop = g_main_loop_new (NULL, FALSE);
  program.cancellable = g_cancellable_new ();
  program.wifi = ows_wifi_new ();
  program.hotspot = ows_hotspot_new (program.wifi);
  g_signal_connect (program.hotspot, "notify::state", G_CALLBACK (state_cb), &program);
  g_signal_connect (program.hotspot, "notify::supported", G_CALLBACK (supported_cb), &program);
  g_unix_signal_add (SIGTERM, signal_cb, &program);
  g_unix_signal_add (SIGINT, signal_cb, &program);
  g_unix_signal_add (SIGHUP, signal_cb, &program);
  g_input_stream_read_bytes_async (program.input, 256, G_PRIORITY_DEFAULT, program.cancellable,
                                   input_cb, &program);

  if (ows_hotspot_get_supported (program.hotspot))
    start_hotspot (&program);
  else
    program.deadline_id = g_timeout_add_seconds (WIFI_DEADLINE_S, no_wifi_cb, &program);

  g_main_loop_run (program.loop);

  g_cancellable_cancel (program.cancellable);
  g_clear_handle_id (&program.join_id, g_source_remove);
  g_clear_handle_id (&program.deadline_id, g_source_remove);
  if (program.page != NULL)
    g_signal_handlers_disconnect_by_data (program.page, &program);
  g_signal_handlers_disconnect_by_data (program.hotspot, &program);
  g_clear_object (&program.page);
  /* Its dispose takes down a hotspot still up (a failure ended the run). */
  g_clear_object (&program.hotspot);
  /* What was asked of NetworkManager (the connection from before, the
   * hotspot's profile deleted) is sent before the process goes. */
  if (ows_wifi_get_client (program.wifi) != NULL)
    g_dbus_connection_flush_sync (nm_client_get_dbus_connection (ows_wifi_get_client (program.wifi)),
                                  NULL, NULL);
  g_clear_object (&program.wifi);
  g_clear_object (&program.input);
  g_clear_object (&program.cancellable);
  g_main_loop_unref (program.loop);
  wipe (&program.password);
  wipe (&program.join_password);
  g_free (program.join_ssid);
  g_free (program.ssid);
  g_free (program.test_address);
  return program.status;
}
