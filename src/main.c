/* main.c: the ovos-wifi-setup program: the window where a display is, else the headless manager.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The window is a separate program (ovos-wifi-setup-window) that this one
 * becomes with exec(): linking GTK costs ~11 MiB of memory and 80 libraries
 * at start, which a device without a screen should neither pay nor need
 * installed.
 *
 * Exit codes: 0 after a clean shutdown (SIGTERM, SIGINT, SIGHUP), 1 when the
 * manager cannot start (the embedded bus cannot listen, the bus URL is not
 * usable, another manager already answers on the bus), 2 for a bad command
 * line. A restart would not help with 1 or 2.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <unistd.h>

#include "ows-options.h"
#include "ows-peer-probe.h"
#include "ows-phone-client.h"
#include "ows-service.h"
#include "src/ows-build-tree.h"

enum {
  EXIT_OK = 0,
  EXIT_FAILURE_START = 1,
  EXIT_USAGE = 2,
};

typedef struct {
  GApplication *app;
  char **argv;
  OwsOptions options;
  OwsConfig *config;
  OwsService *service;
  OwsPhoneClient *phone;  /* "Set Up With a Phone", unless turned off or without libnm */
  gboolean stopping;
  int status;
} Program;

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Program *program = user_data;

  ows_service_stop_finish (OWS_SERVICE (source), result);
  g_application_release (program->app);
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  Program *program = user_data;

  if (program->stopping)
    return G_SOURCE_CONTINUE;
  program->stopping = TRUE;
  g_debug ("shutting down");
  ows_service_stop_async (program->service, stopped_cb, program);
  return G_SOURCE_CONTINUE;
}

/* Two managers would both answer every request: the one already at work
 * stays, this one goes, having said nothing on the bus. */
static void
other_manager_cb (OwsService *service,
                  OwsPeer     peer,
                  Program    *program)
{
  g_autofree char *sentence = ows_peer_describe (peer, ows_bus_get_url (ows_service_get_bus (service)));

  g_printerr ("ovos-wifi-setup: %s\n", sentence);
  program->status = EXIT_FAILURE_START;
  quit_signal_cb (program);
}

static void
activate_cb (GApplication *app,
             Program      *program)
{
  g_autoptr(GError) error = NULL;

  if (program->service != NULL)
    return;

  program->service = ows_service_new (program->config, program->options.bus_url, NULL);
  ows_service_set_allow_remote_bus (program->service, program->options.allow_remote_bus);
  g_signal_connect (program->service, "other-manager", G_CALLBACK (other_manager_cb), program);
  if (!ows_service_start (program->service, program->options.embedded_bus, &error))
    {
      g_printerr ("ovos-wifi-setup: %s\n", error->message);
      program->status = EXIT_FAILURE_START;
      return;
    }
  program->phone = ows_phone_client_new_if_enabled (program->service, FALSE);
  if (program->options.wifi_setup)
    ows_service_request (program->service, OWS_PREFIX "user.activated", NULL);

  /* SIGHUP (the terminal or the session went away) ends us cleanly too, so
   * the active client hears stop.setup.event.  SIGQUIT keeps its default
   * action: it is how a user asks for a core dump, and catching it would
   * take that away. */
  g_unix_signal_add (SIGTERM, quit_signal_cb, program);
  g_unix_signal_add (SIGINT, quit_signal_cb, program);
  g_unix_signal_add (SIGHUP, quit_signal_cb, program);
  g_application_hold (app);
}

static gboolean
display_available (void)
{
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *x11 = g_getenv ("DISPLAY");

  return (wayland != NULL && *wayland != '\0') || (x11 != NULL && *x11 != '\0');
}

static gboolean
in_build_tree (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;

  return g_strcmp0 (dir, OWS_BUILD_DIR) == 0;
}

/* The build tree runs its own window, an installed program the installed one. */
static char *
window_program_path (void)
{
  if (in_build_tree ())
    return g_strdup (OWS_BUILD_WINDOW_PROGRAM);
  return g_build_filename (LIBEXECDIR, "ovos-wifi-setup-window", NULL);
}

/* Returns only when the window program cannot run: ENOENT (a device image
 * without the window) means headless, anything else is an error. */
static gboolean
exec_window (Program  *program,
             GError  **error)
{
  g_autofree char *path = window_program_path ();
  int saved_errno;

  g_free (program->argv[0]);
  program->argv[0] = g_strdup (path);
  execv (path, program->argv);
  saved_errno = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("cannot run the window (%s): %s"), path, g_strerror (saved_errno));
  return saved_errno == ENOENT;
}

static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *dict,
                         Program      *program)
{
  g_autoptr(GError) error = NULL;
  OwsOptions *options = &program->options;
  const char *needs_window;

  if (!ows_options_read (options, dict, &error))
    {
      g_printerr ("ovos-wifi-setup: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (options->version)
    {
      g_print ("ovos-wifi-setup %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (options->headless && options->kiosk)
    {
      g_printerr ("ovos-wifi-setup: %s\n", _("--kiosk shows a window, --headless runs without one: choose one"));
      return EXIT_USAGE;
    }
  if (options->headless)
    return -1;

  /* D-Bus activation (the desktop file) is for the window: a headless
   * manager never owns the application's name, so the caller would wait in vain. */
  needs_window = options->kiosk ? "--kiosk"
    : (g_application_get_flags (app) & G_APPLICATION_IS_SERVICE) ? "--gapplication-service"
    : NULL;

  if (!display_available ())
    {
      if (needs_window != NULL)
        {
          g_printerr ("ovos-wifi-setup: ");
          /* Translators: %s is an option, --kiosk or --gapplication-service */
          g_printerr (_("%s needs a display, and neither WAYLAND_DISPLAY nor DISPLAY is set"),
                      needs_window);
          g_printerr ("\n");
          return program->status = EXIT_FAILURE_START;
        }
      g_debug ("no display: running headless");
      return -1;
    }

  if (!exec_window (program, &error) || needs_window != NULL)
    {
      g_printerr ("ovos-wifi-setup: %s\n", error->message);
      return program->status = EXIT_FAILURE_START;
    }
  g_message ("%s: running headless", error->message);
  return -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) app = NULL;
  Program program = { 0 };

  setlocale (LC_ALL, "");
  /* So that a translation shows before it is installed, as the window does. */
  bindtextdomain (GETTEXT_PACKAGE, in_build_tree () ? OWS_BUILD_LOCALEDIR : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  program.argv = g_strdupv (argv);
  program.config = ows_config_new ();
  ows_config_load (program.config);

  /* Headless devices often have no session bus: a unique name would need one. */
  app = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  program.app = app;
  ows_options_add_to (app);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), &program);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &program);

  /* GApplication answers a bad option with 1; the documented status is 2. */
  {
    int status = g_application_run (app, argc, argv);

    if (status != 0 && program.status == 0)
      program.status = EXIT_USAGE;
  }

  g_clear_object (&program.phone);
  g_clear_object (&program.service);
  g_clear_object (&program.config);
  ows_options_clear (&program.options);
  g_strfreev (program.argv);
  return program.status;
}
