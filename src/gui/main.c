/* main.c: ovos-wifi-setup-window, what ovos-wifi-setup becomes where a display is.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ows-application.h"
#include "ows-locale.h"

/* After GTK's own start-up (its class handler runs first). */
static void
startup_cb (GApplication *app,
            gpointer      user_data)
{
  ows_locale_set_direction ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OwsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, ows_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ows_application_new ();
  /* "startup" runs its class handler, where GTK starts, first. */
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
