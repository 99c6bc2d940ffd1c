/* ows-application.c: the app with a window: one instance, its actions, the manager it serves.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A second launch (the menu entry, the desktop file's action) forwards its
 * command line to the running instance, which owns the manager: two
 * managers on one bus would both answer every request.
 */
#define G_LOG_DOMAIN "ows-application"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ows-application.h"
#include "ows-options.h"
#include "ows-peer-probe.h"
#include "ows-service.h"
#include "ows-window.h"
#include "ows-phone-client.h"
#if HAVE_LIBNM
#include "ows-wifi-client.h"
#endif

struct _OwsApplication
{
  AdwApplication parent_instance;

  OwsConfig *config;
  OwsService *service;
  OwsWindow *window;
  OwsPhoneClient *phone;      /* "Set Up With a Phone", unless turned off or without libnm */
#if HAVE_LIBNM
  OwsWifiClient *wifi_client; /* the built-in Wi-Fi client, unless mycroft.conf turns it off */
#endif
  gboolean stopping;
};

G_DEFINE_FINAL_TYPE (OwsApplication, ows_application, ADW_TYPE_APPLICATION)

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OwsApplication) self = user_data;

  ows_service_stop_finish (OWS_SERVICE (source), result);
  g_application_quit (G_APPLICATION (self));
}

/* Quitting says stop.setup.event first when setup runs, like the headless
 * program on SIGTERM and SIGHUP. */
static void
stop (OwsApplication *self)
{
  if (self->stopping)
    return;
  self->stopping = TRUE;
  g_debug ("shutting down");
  if (self->service == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }
  ows_service_stop_async (self->service, stopped_cb, g_object_ref (self));
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  stop (user_data);
  return G_SOURCE_CONTINUE;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  stop (user_data);
}

static void
wifi_setup_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  OwsApplication *self = user_data;

  /* The desktop file's action may be what starts the app. */
  if (self->service == NULL)
    g_application_activate (G_APPLICATION (self));
  if (self->service == NULL)
    return;
  ows_service_request (self->service, OWS_PREFIX "user.activated", NULL);
  if (self->window != NULL)
    ows_window_show_status (self->window);
}

static const GActionEntry app_actions[] = {
  { "wifi-setup", wifi_setup_action },
  { "quit", quit_action },
};

#if HAVE_LIBNM
/* Only where a window draws it: it registers once NetworkManager shows a
 * Wi-Fi device, and goes when that device does. */
static void
start_wifi_client (OwsApplication *self)
{
  g_autoptr(OwsWifi) wifi = NULL;

  if (self->wifi_client != NULL || self->window == NULL)
    return;
  wifi = ows_wifi_new ();
  self->wifi_client = ows_wifi_client_new (self->service, wifi);
  ows_window_set_wifi (self->window, wifi);
}

static void
first_frame_cb (GdkFrameClock  *clock,
                OwsApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  start_wifi_client (self);
}

static gboolean
start_wifi_client_cb (gpointer user_data)
{
  start_wifi_client (user_data);
  return G_SOURCE_REMOVE;
}
#endif

/* After the window's first frame: libnm reads all of NetworkManager's
 * objects on this thread, and the choices should not wait for that. A
 * kiosk hidden until setup starts it at once. */
static void
schedule_wifi_client (OwsApplication *self)
{
#if HAVE_LIBNM
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->window));

  if (!ows_config_get_boolean (self->config, OWS_CONFIG_PLUGIN_SECTION, "wifi_client", TRUE))
    {
      g_debug ("the built-in Wi-Fi client is turned off (wifi_client: false)");
      return;
    }
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (first_frame_cb), self, 0);
  else
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_wifi_client_cb, g_object_ref (self),
                     g_object_unref);
#endif
}

/* Another manager already answers on the bus (the headless service, the
 * upstream plugin): the window shows what it does rather than competing. */
static void
other_manager_cb (OwsService     *service,
                  OwsPeer         peer,
                  OwsApplication *self)
{
  g_autofree char *sentence = ows_peer_describe (peer, ows_bus_get_url (ows_service_get_bus (service)));

  g_message ("%s The window shows what it does.", sentence);
  ows_service_view (service);
}

static gboolean
start (OwsApplication  *self,
       OwsOptions      *options,
       GError         **error)
{
  self->service = ows_service_new (self->config, options->bus_url, NULL);
  ows_service_set_allow_remote_bus (self->service, options->allow_remote_bus);
  g_signal_connect_object (self->service, "other-manager", G_CALLBACK (other_manager_cb), self, 0);
  if (!ows_service_start (self->service, options->embedded_bus, error))
    {
      g_clear_object (&self->service);
      return FALSE;
    }

  /* The app owns its windows; this is a look-up, cleared when GTK destroys it. */
  g_set_weak_pointer (&self->window,
                      ows_window_new (GTK_APPLICATION (self), self->service, options->kiosk));
  if (options->on_screen_keyboard)
    ows_window_set_on_screen_keyboard (self->window, TRUE);
  self->phone = ows_phone_client_new_if_enabled (self->service, TRUE);
  if (self->phone != NULL)
    ows_window_set_phone (self->window, self->phone);
  /* SIGHUP like SIGTERM; SIGQUIT keeps its default core dump (see main.c). */
  g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  g_unix_signal_add (SIGINT, quit_signal_cb, self);
  g_unix_signal_add (SIGHUP, quit_signal_cb, self);
  /* A kiosk stays for the device's lifetime, on screen or not. */
  if (options->kiosk)
    g_application_hold (G_APPLICATION (self));
  else
    gtk_window_present (GTK_WINDOW (self->window));
  schedule_wifi_client (self);
  return TRUE;
}

/* D-Bus activation (the desktop file, `gapplication launch`): no command
 * line, so the manager starts as mycroft.conf says. */
static void
ows_application_activate (GApplication *app)
{
  OwsApplication *self = OWS_APPLICATION (app);
  g_auto(OwsOptions) options = { 0 };
  g_autoptr(GError) error = NULL;

  if (self->service != NULL)
    {
      if (self->window != NULL)
        ows_window_show_status (self->window);
      return;
    }
  if (!start (self, &options, &error))
    g_printerr ("ovos-wifi-setup: %s\n", error->message);
}

static int
ows_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  OwsApplication *self = OWS_APPLICATION (app);
  g_auto(OwsOptions) options = { 0 };
  GVariantDict *dict = g_application_command_line_get_options_dict (cmdline);

  if (!ows_options_read (&options, dict, NULL))
    return 2;

  if (self->service == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!start (self, &options, &error))
        {
          g_application_command_line_printerr (cmdline, "ovos-wifi-setup: %s\n", error->message);
          return 1;
        }
    }
  else if (self->window != NULL)
    {
      if (options.bus_url != NULL || options.embedded_bus ||
          (options.kiosk && !ows_window_get_kiosk (self->window)))
        g_application_command_line_printerr (cmdline, "ovos-wifi-setup: %s\n",
          _("already running: --bus, --embedded-bus and --kiosk apply when it starts"));
      ows_window_show_status (self->window);
    }

  if (options.wifi_setup)
    g_action_group_activate_action (G_ACTION_GROUP (self), "wifi-setup", NULL);
  return 0;
}

static int
ows_application_handle_local_options (GApplication *app,
                                      GVariantDict *dict)
{
  g_auto(OwsOptions) options = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ows_options_read (&options, dict, &error))
    {
      g_printerr ("ovos-wifi-setup: %s\n", error->message);
      return 2;
    }
  if (options.version)
    {
      g_print ("ovos-wifi-setup %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (options.headless)
    {
      g_printerr ("ovos-wifi-setup: %s\n", _("--headless: run ovos-wifi-setup, not the window"));
      return 2;
    }
  return -1;
}

static void
ows_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (ows_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
ows_application_dispose (GObject *object)
{
  OwsApplication *self = OWS_APPLICATION (object);

  g_clear_weak_pointer (&self->window);
#if HAVE_LIBNM
  g_clear_object (&self->wifi_client);
#endif
  g_clear_object (&self->phone);
  g_clear_object (&self->service);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ows_application_parent_class)->dispose (object);
}

static void
ows_application_class_init (OwsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ows_application_dispose;
  app_class->startup = ows_application_startup;
  app_class->activate = ows_application_activate;
  app_class->command_line = ows_application_command_line;
  app_class->handle_local_options = ows_application_handle_local_options;
}

static void
ows_application_init (OwsApplication *self)
{
  self->config = ows_config_new ();
  ows_config_load (self->config);
  ows_options_add_to (G_APPLICATION (self));
}

OwsApplication *
ows_application_new (void)
{
  return g_object_new (OWS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/openvoiceos/WifiSetup",
                       NULL);
}
