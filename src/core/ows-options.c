/* ows-options.c: the command line shared by the headless program and the window.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The entries store nothing themselves: GApplication packs them into a
 * dictionary, which is what a second launch forwards to the running window.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-options.h"

static const GOptionEntry entries[] = {
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run without a window (the default where no display can be opened)"), NULL },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Fullscreen, not closable, shown only while setup needs the screen"), NULL },
  { "on-screen-keyboard", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show a keyboard of its own under text fields (always on with --kiosk)"), NULL },
  { "wifi-setup", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start network setup now (what the “Wi-Fi Setup” menu entry does)"), NULL },
  { "embedded-bus", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Serve the messagebus in-process when nothing listens at its address"), NULL },
  { "allow-remote-bus", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Let the embedded messagebus listen beyond loopback, where other machines can "
       "reach it"), NULL },
  { "bus", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Messagebus address (default: from mycroft.conf)"), N_("URL") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

void
ows_options_add_to (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, entries);
  g_application_set_option_context_parameter_string (app, NULL);
  g_application_set_option_context_summary (app,
    _("Manages network setup on an OpenVoiceOS device: owns the registry of setup "
      "clients, shows the screen to pick one, and drives their activation over the "
      "OVOS messagebus."));
  g_application_set_option_context_description (app,
    _("Exit status: 0 after a clean shutdown, 1 when the manager cannot start, "
      "2 for a bad command line."));
}

static gboolean
is_bus_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  return (g_strcmp0 (scheme, "ws") == 0 || g_strcmp0 (scheme, "wss") == 0) &&
         host != NULL && *host != '\0';
}

/* Reads what ows_options_add_to() declared; FALSE for what a parser cannot
 * check: a bus address that is not a messagebus URL, and --allow-remote-bus
 * without the embedded bus it is about. */
gboolean
ows_options_read (OwsOptions   *options,
                  GVariantDict *dict,
                  GError      **error)
{
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (dict != NULL, FALSE);

  options->headless = g_variant_dict_contains (dict, "headless");
  options->kiosk = g_variant_dict_contains (dict, "kiosk");
  options->on_screen_keyboard = g_variant_dict_contains (dict, "on-screen-keyboard");
  options->wifi_setup = g_variant_dict_contains (dict, "wifi-setup");
  options->embedded_bus = g_variant_dict_contains (dict, "embedded-bus");
  options->allow_remote_bus = g_variant_dict_contains (dict, "allow-remote-bus");
  options->version = g_variant_dict_contains (dict, "version");
  g_clear_pointer (&options->bus_url, g_free);
  g_variant_dict_lookup (dict, "bus", "s", &options->bus_url);

  if (options->bus_url != NULL && !is_bus_url (options->bus_url))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--bus needs a ws:// or wss:// URL with a host, such as "
                     "ws://127.0.0.1:8181/core, not “%s”"),
                   options->bus_url);
      return FALSE;
    }
  if (options->allow_remote_bus && !options->embedded_bus)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--allow-remote-bus is only valid with --embedded-bus: it lets "
                             "the embedded messagebus listen beyond loopback"));
      return FALSE;
    }
  return TRUE;
}

void
ows_options_clear (OwsOptions *options)
{
  g_clear_pointer (&options->bus_url, g_free);
}
