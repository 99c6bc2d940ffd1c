/* portal-main.c: ovos-wifi-setup-portal, a captive portal's sign-in page for a device without a browser.
 * SPDX-License-Identifier: Apache-2.0
 *
 *   ovos-wifi-setup-portal [--kiosk] --check-url URL --check-text TEXT PORTAL-URI
 *
 * The window starts it when the watchdog finds a captive portal. It prints
 * "online" and exits 0 once the check URL answers as the internet would;
 * 1: closed before that; 2: a bad command line; 3: no display.
 */
#define G_LOG_DOMAIN "ows-portal"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "ows-locale.h"
#include "ows-portal-window.h"

enum {
  EXIT_ONLINE = 0,
  EXIT_CLOSED = 1,
  EXIT_USAGE = 2,
  EXIT_NO_DISPLAY = 3,
};

typedef struct
{
  gint64 started;       /* monotonic µs at main() */
  gboolean painted;
  gboolean kiosk;
  char *check_url;
  char *check_text;
  const char *portal_uri;
  int status;
} Options;

static gboolean
parse (Options  *options,
       int      *argc,
       char   ***argv)
{
  const GOptionEntry entries[] = {
    { "kiosk", 0, 0, G_OPTION_ARG_NONE, &options->kiosk,
      N_("Fullscreen, with an on-screen keyboard"), NULL },
    { "check-url", 0, 0, G_OPTION_ARG_STRING, &options->check_url,
      N_("The address that answers when the internet is reachable"), N_("URL") },
    { "check-text", 0, 0, G_OPTION_ARG_STRING, &options->check_text,
      N_("What that address answers when the internet is reachable"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PORTAL-URI"));
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  if (options->check_url == NULL || options->check_text == NULL || *options->check_text == '\0')
    {
      g_printerr ("%s\n", _("Both --check-url and --check-text are needed."));
      return FALSE;
    }
  if (!ows_portal_uri_is_web (options->check_url))
    {
      g_printerr ("%s\n", _("The check URL must be an http or https address."));
      return FALSE;
    }
  if (*argc != 2)
    {
      g_printerr ("%s\n", _("One sign-in page address is needed."));
      return FALSE;
    }
  options->portal_uri = (*argv)[1];
  if (!ows_portal_uri_is_web (options->portal_uri))
    {
      g_printerr ("%s\n", _("The sign-in page address must be an http or https address."));
      return FALSE;
    }
  return TRUE;
}

static void
online_cb (OwsPortalWindow *window,
           Options         *options)
{
  options->status = EXIT_ONLINE;
  g_print ("online\n");
  fflush (stdout);
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

/* G_MESSAGES_DEBUG=ows-portal: how long the sign-in page took to show, for BENCHMARKS.md. */
static void
after_paint_cb (GdkFrameClock *clock,
                Options       *options)
{
  g_debug ("first frame of the sign-in page: %.0f ms after main ()",
           (g_get_monotonic_time () - options->started) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, options);
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 Options         *options)
{
  if (event != WEBKIT_LOAD_FINISHED || options->painted)
    return;
  options->painted = TRUE;
  g_debug ("sign-in page loaded: %.0f ms after main ()",
           (g_get_monotonic_time () - options->started) / 1000.0);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (view)), "after-paint",
                    G_CALLBACK (after_paint_cb), options);
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

/* SIGTERM, SIGINT, SIGHUP: as a close by the user, before the internet came. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
activate_cb (GApplication *app,
             Options      *options)
{
  OwsPortalWindow *window;

  window = ows_portal_window_new (GTK_APPLICATION (app), options->kiosk, options->check_url,
                                  options->check_text);
  g_signal_connect (window, "online", G_CALLBACK (online_cb), options);
  g_signal_connect (ows_portal_window_get_web_view (window), "load-changed",
                    G_CALLBACK (load_changed_cb), options);
  ows_portal_window_load (window, options->portal_uri);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  Options options = { .started = g_get_monotonic_time (), .status = EXIT_CLOSED };
  g_autoptr(AdwApplication) app = NULL;
  char *app_argv[] = { argv[0], NULL };

  /* stdout is for "online" alone; GLib 2.74 writes debug messages there. */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, ows_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!parse (&options, &argc, &argv))
    return EXIT_USAGE;
  /* Before GtkApplication's own gtk_init(), which exits 1, as if the user closed it. */
  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("Cannot open the display."));
      return EXIT_NO_DISPLAY;
    }
  ows_locale_set_direction ();

  /* The window's resources' base: style.css, as the window's application loads it. */
  app = g_object_new (ADW_TYPE_APPLICATION,
                      "application-id", APP_ID ".Portal",
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", "/org/openvoiceos/WifiSetup",
                      NULL);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &options);
  g_unix_signal_add (SIGTERM, quit_signal_cb, app);
  g_unix_signal_add (SIGINT, quit_signal_cb, app);
  g_unix_signal_add (SIGHUP, quit_signal_cb, app);
  g_application_run (G_APPLICATION (app), 1, app_argv);

  g_free (options.check_url);
  g_free (options.check_text);
  return options.status;
}
