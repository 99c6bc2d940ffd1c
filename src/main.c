/* main.c: the ovos-wifi-setup program: the manager on the OVOS messagebus.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Exit codes: 0 after a clean shutdown (SIGTERM, SIGINT), 1 when the
 * manager cannot start (the embedded bus cannot listen, the bus URL is not
 * usable), 2 for a bad command line.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "ows-service.h"

enum {
  EXIT_OK = 0,
  EXIT_FAILURE_START = 1,
  EXIT_USAGE = 2,
};

typedef struct {
  GApplication *app;
  OwsConfig *config;
  OwsService *service;
  char *bus_url;
  gboolean embedded_bus;
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

static void
activate_cb (GApplication *app,
             Program      *program)
{
  g_autoptr(GError) error = NULL;

  if (program->service != NULL)
    return;

  program->service = ows_service_new (program->config, program->bus_url);
  if (!ows_service_start (program->service, program->embedded_bus, &error))
    {
      g_printerr ("ovos-wifi-setup: %s\n", error->message);
      program->status = EXIT_FAILURE_START;
      return;
    }

  g_unix_signal_add (SIGTERM, quit_signal_cb, program);
  g_unix_signal_add (SIGINT, quit_signal_cb, program);
  g_application_hold (app);
}

static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *options,
                         Program      *program)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ovos-wifi-setup %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (program->bus_url != NULL &&
      !g_uri_is_valid (program->bus_url, G_URI_FLAGS_NONE, NULL))
    {
      g_printerr ("ovos-wifi-setup: --bus needs a URL such as ws://127.0.0.1:8181/core, "
                  "not “%s”\n", program->bus_url);
      return EXIT_USAGE;
    }
  return -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) app = NULL;
  Program program = { 0 };
  gboolean headless = FALSE;
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless,
      N_("Run without a window (the default where no display can be opened)"), NULL },
    { "embedded-bus", 0, 0, G_OPTION_ARG_NONE, &program.embedded_bus,
      N_("Serve the messagebus in-process when nothing listens at its address"), NULL },
    { "bus", 0, 0, G_OPTION_ARG_STRING, &program.bus_url,
      N_("Messagebus address (default: from mycroft.conf)"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  program.config = ows_config_new ();
  ows_config_load (program.config);

  /* Headless devices often have no session bus: a unique name would need one. */
  app = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  program.app = app;
  g_application_add_main_option_entries (app, entries);
  g_application_set_option_context_parameter_string (app, NULL);
  g_application_set_option_context_summary (app,
    _("Manages network setup on an OpenVoiceOS device: owns the registry of setup "
      "clients and drives their activation over the OVOS messagebus."));
  g_application_set_option_context_description (app,
    _("Exit status: 0 after a clean shutdown, 1 when the manager cannot start, "
      "2 for a bad command line."));
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), &program);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &program);

  /* GApplication answers a bad option with 1; the documented status is 2. */
  {
    int status = g_application_run (app, argc, argv);

    if (status != 0 && program.status == 0)
      program.status = EXIT_USAGE;
  }

  g_clear_object (&program.service);
  g_clear_object (&program.config);
  g_free (program.bus_url);
  return program.status;
}
