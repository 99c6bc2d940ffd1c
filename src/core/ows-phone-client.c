/* ows-phone-client.c: "Set Up With a Phone", our own client for a device without a screen.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-phone"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <sys/random.h>

#include "ows-client-link.h"
#include "ows-enums.h"
#include "ows-phone-client-private.h"
#include "ows-phone-client.h"
#include "src/ows-build-tree.h"

#define HOTSPOT_PROGRAM "ovos-wifi-setup-hotspot"
#define NM_NAME "org.freedesktop.NetworkManager"
#define NM_PATH "/org/freedesktop/NetworkManager"
#define NM_WIRELESS_IFACE "org.freedesktop.NetworkManager.Device.Wireless"
/* NM_WIFI_DEVICE_CAP_AP (0x400 is FREQ_5GHZ) */
#define NM_CAP_AP 0x40

#define DEFAULT_REMIND_MIN 10
#define DEFAULT_GIVE_UP_MIN 30
/* A hotspot program that does not end when told to (NetworkManager hung). */
#define EXIT_GRACE_S 20

/* Unambiguous: no 0/o, 1/l/i; lower case, so a phone's keyboard never shifts. */
static const char password_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
#define PASSWORD_LENGTH 12

struct _OwsPhoneClient
{
  GObject parent_instance;

  OwsService *service;
  OwsClientLink *link;
  gboolean has_window;
  char *test_address;           /* tests: the page on this address */

  /* Whether NetworkManager has a device that can be an access point. */
  GDBusConnection *system_bus;
  GCancellable *cancellable;    /* until dispose */
  guint watch_id;
  guint device_added_id;
  guint device_removed_id;
  guint pending_checks;         /* calls of the check in flight */
  gboolean found_ap;            /* one of them said so */

  /* While active: the hotspot program and what it said. */
  OwsPhoneState state;
  GSubprocess *process;
  GCancellable *run_cancellable;
  GDataInputStream *events;
  char *ssid;
  char *password;
  char *url;
  char *sentence;
  gboolean visited;             /* a phone loaded the page */
  gboolean reported;            /* remove.active.client or client.setup.failure said */
  guint remind_id;
  guint give_up_id;
  guint kill_id;
};

G_DEFINE_FINAL_TYPE (OwsPhoneClient, ows_phone_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_SSID,
  PROP_PASSWORD,
  PROP_URL,
  PROP_SENTENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- names and passwords ---- */

char *
ows_phone_client_new_password (void)
{
  char *password = g_malloc (PASSWORD_LENGTH + 1);
  guint n = 0;
  /* 31 letters: bytes from 248 up would favour the first ones. */
  const guint limit = 256 - 256 % (sizeof password_alphabet - 1);

  while (n < PASSWORD_LENGTH)
    {
      guint8 bytes[32];
      ssize_t got = getrandom (bytes, sizeof bytes, 0);

      for (ssize_t i = 0; i < got && n < PASSWORD_LENGTH; i++)
        if (bytes[i] < limit)
          password[n++] = password_alphabet[bytes[i] % (sizeof password_alphabet - 1)];
      explicit_bzero (bytes, sizeof bytes);
    }
  password[n] = '\0';
  return password;
}

char *
ows_phone_client_hotspot_name (void)
{
  g_autofree char *machine_id = NULL;
  g_autofree char *digest = NULL;

  if (!g_file_get_contents ("/etc/machine-id", &machine_id, NULL, NULL) || *g_strstrip (machine_id) == '\0')
    {
      g_autofree char *random = ows_phone_client_new_password ();

      return g_strdup_printf ("OVOS-%.4s", random);
    }
  /* Hashed: the machine id itself is not for strangers' phones. */
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, machine_id, -1);
  return g_strdup_printf ("OVOS-%c%c%c%c", g_ascii_toupper (digest[0]), g_ascii_toupper (digest[1]),
                          g_ascii_toupper (digest[2]), g_ascii_toupper (digest[3]));
}

/* ---- what the person hears ---- */

/* Letter by letter, so that a voice says "k, 7, m" and not a word. */
static char *
spelled (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_unichar (out, g_utf8_get_char (p));
    }
  return g_string_free (out, FALSE);
}

static void
speak (OwsPhoneClient *self,
       const char     *utterance)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "utterance", utterance);
  json_object_set_boolean_member (data, "expect_response", FALSE);
  ows_service_request (self->service, "speak", data);
}

static void
speak_instructions (OwsPhoneClient *self)
{
  g_autofree char *name = NULL;
  g_autofree char *utterance = NULL;

  if (self->ssid == NULL)
    return;
  /* "OVOS-3F2A" would be read as a word: the part after the dash is spelled. */
  if (g_str_has_prefix (self->ssid, "OVOS-"))
    {
      g_autofree char *suffix = spelled (self->ssid + 5);

      name = g_strdup_printf ("OVOS, %s", suffix);
    }
  else
    name = spelled (self->ssid);
  if (self->password != NULL)
    {
      g_autofree char *letters = spelled (self->password);

      /* TRANSLATORS: spoken by the device; %1$s: the setup network's name,
       * %2$s: its password, spelled letter by letter */
      utterance = g_strdup_printf (_("To connect me to the internet, join the Wi-Fi network %1$s "
                                     "with your phone. The password is: %2$s. Again: %2$s. "
                                     "A page then opens where you choose your network."),
                                   name, letters);
    }
  else
    /* TRANSLATORS: spoken by the device; %s: the setup network's name */
    utterance = g_strdup_printf (_("To connect me to the internet, join the open Wi-Fi network %s "
                                   "with your phone. A page then opens where you choose your network."),
                                 name);
  /* Where no captive-portal answer makes the phone open it (see the README). */
  if (self->url != NULL)
    {
      g_autofree char *host = g_strdup (self->url + (g_str_has_prefix (self->url, "http://") ? 7 : 0));
      g_autofree char *where = NULL;
      g_autofree char *whole = NULL;

      if (g_str_has_suffix (host, "/"))
        host[strlen (host) - 1] = '\0';
      /* TRANSLATORS: spoken by the device after the instructions; %s: the
       * setup page's address, e.g. 10.42.0.1 */
      where = g_strdup_printf (_("If it does not, open %s in the phone’s browser."), host);
      whole = g_strconcat (utterance, " ", where, NULL);
      speak (self, whole);
      return;
    }
  speak (self, utterance);
}

/* ---- the state ---- */

static void
set_string (OwsPhoneClient *self,
            char          **field,
            const char     *value,
            guint           prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (OwsPhoneClient *self,
           OwsPhoneState   state,
           const char     *sentence)
{
  set_string (self, &self->sentence, sentence, PROP_SENTENCE);
  if (self->state == state)
    return;
  self->state = state;
  g_debug ("state %d", state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* A number from mycroft.conf's key, or @fallback where it is not set; NAN
 * where it is set to something that is not a number. */
static double
config_number (OwsPhoneClient *self,
               const char     *key,
               double          fallback)
{
  OwsConfig *config = ows_service_get_config (self->service);
  JsonNode *node = ows_config_lookup (config, OWS_CONFIG_PLUGIN_SECTION, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return fallback;
  return ows_config_get_double (config, OWS_CONFIG_PLUGIN_SECTION, key, NAN);
}

/* Minutes from mycroft.conf; fractions allowed (the tests' shortened timers).
 * Read at each activation, so a reloaded configuration holds from the next. */
static guint
minutes_ms (OwsPhoneClient *self,
            const char     *key,
            double          fallback)
{
  double minutes = config_number (self, key, fallback);

  if (!(minutes > 0))
    {
      g_warning ("mycroft.conf: %s must be a number of minutes above 0; using %g", key, fallback);
      minutes = fallback;
    }
  return (guint) CLAMP (minutes * 60000, 1, G_MAXUINT);
}

static void
report (OwsPhoneClient *self,
        const char     *request)
{
  if (self->reported || !ows_client_link_get_active (self->link))
    return;
  self->reported = TRUE;
  ows_client_link_say (self->link, request, NULL);
}

static gboolean
kill_cb (gpointer user_data)
{
  OwsPhoneClient *self = user_data;

  self->kill_id = 0;
  g_warning ("%s did not end within %d s: killed", HOTSPOT_PROGRAM, EXIT_GRACE_S);
  if (self->process != NULL)
    g_subprocess_force_exit (self->process);
  return G_SOURCE_REMOVE;
}

/* Closing its standard input tells the program to take the hotspot down and
 * bring the previous connection back; it ends once that is done. */
static void
stop_hotspot (OwsPhoneClient *self)
{
  GOutputStream *input;

  g_clear_handle_id (&self->remind_id, g_source_remove);
  g_clear_handle_id (&self->give_up_id, g_source_remove);
  if (self->process == NULL)
    return;
  input = g_subprocess_get_stdin_pipe (self->process);
  if (input != NULL && !g_output_stream_is_closed (input))
    g_output_stream_close (input, NULL, NULL);
  if (self->kill_id == 0)
    self->kill_id = g_timeout_add_seconds (EXIT_GRACE_S, kill_cb, self);
}

static gboolean
remind_cb (gpointer user_data)
{
  OwsPhoneClient *self = user_data;

  self->remind_id = 0;
  if (!self->visited)
    {
      g_message ("nobody opened the setup page yet: saying how again");
      speak_instructions (self);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
give_up_cb (gpointer user_data)
{
  OwsPhoneClient *self = user_data;

  self->give_up_id = 0;
  /* Never in the middle of a switch-over: it may be about to succeed. */
  if (self->state == OWS_PHONE_STATE_CONNECTING)
    {
      self->give_up_id = g_timeout_add_seconds (60, give_up_cb, self);
      return G_SOURCE_REMOVE;
    }
  g_message ("nobody finished the phone setup in time: the hotspot stops");
  stop_hotspot (self);
  report (self, "client.setup.failure");
  return G_SOURCE_REMOVE;
}

static void
hotspot_up (OwsPhoneClient *self,
            const char     *url)
{
  gboolean first = self->url == NULL;

  set_string (self, &self->url, url, PROP_URL);
  set_state (self, OWS_PHONE_STATE_WAITING, NULL);
  if (!first)
    return;
  /* The window shows all of it; a device without one says it. */
  if (!self->has_window)
    speak_instructions (self);
  self->remind_id = g_timeout_add (minutes_ms (self, "phone_setup_remind", DEFAULT_REMIND_MIN),
                                   remind_cb, self);
  self->give_up_id = g_timeout_add (minutes_ms (self, "phone_setup_timeout", DEFAULT_GIVE_UP_MIN),
                                    give_up_cb, self);
}

static void
handle_event (OwsPhoneClient *self,
              const char     *line)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", 2);
  const char *event = fields[0];
  const char *argument = fields[0] != NULL ? fields[1] : NULL;

  if (g_strcmp0 (event, "preparing") == 0)
    set_state (self, OWS_PHONE_STATE_PREPARING, NULL);
  else if (g_strcmp0 (event, "up") == 0 && argument != NULL)
    hotspot_up (self, argument);
  else if (g_strcmp0 (event, "visitor") == 0)
    {
      self->visited = TRUE;
      g_clear_handle_id (&self->remind_id, g_source_remove);
    }
  else if (g_strcmp0 (event, "connecting") == 0 && argument != NULL)
    set_state (self, OWS_PHONE_STATE_CONNECTING, argument);
  else if (g_strcmp0 (event, "retry") == 0 && argument != NULL)
    {
      set_state (self, OWS_PHONE_STATE_RETRY, argument);
      if (!self->has_window)
        speak (self, argument);
    }
  else if (g_strcmp0 (event, "joined") == 0)
    report (self, "remove.active.client");
  else if (g_strcmp0 (event, "failed") == 0)
    {
      g_message ("the phone setup cannot run: %s", argument != NULL ? argument : "?");
      report (self, "client.setup.failure");
    }
  else
    g_debug ("%s said something unknown", HOTSPOT_PROGRAM);
}

static void read_event (OwsPhoneClient *self);

static void
event_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  OwsPhoneClient *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  /* Cancelled by deactivation or dispose: @self may be gone. */
  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      if (error != NULL)
        g_debug ("%s: %s", HOTSPOT_PROGRAM, error->message);
      return;
    }
  handle_event (self, line);
  /* What it said may have ended the activation (the bus hands our own
   * requests to the manager at once). */
  if (self->events != NULL)
    read_event (self);
}

static void
read_event (OwsPhoneClient *self)
{
  g_data_input_stream_read_line_async (self->events, G_PRIORITY_DEFAULT, self->run_cancellable,
                                       event_cb, self);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OwsPhoneClient *self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;

  /* Cancelled by deactivation or dispose: @self may be gone. */
  if (!g_subprocess_wait_finish (process, result, &error))
    return;
  if (process != self->process)
    return;
  g_clear_handle_id (&self->kill_id, g_source_remove);
  g_debug ("%s ended", HOTSPOT_PROGRAM);
  g_clear_object (&self->process);
  /* Ended by itself, without a word: as good as failed. */
  if (ows_client_link_get_active (self->link) && !self->reported)
    {
      g_message ("%s ended without finishing", HOTSPOT_PROGRAM);
      report (self, "client.setup.failure");
    }
}

/* Beside the programs that use it: in the build tree, the build's. */
static char *
program_path (void)
{
#ifdef OWS_BUILD_HOTSPOT_PROGRAM
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = g_path_get_dirname (OWS_BUILD_DIR);

  if (self != NULL && g_str_has_prefix (self, build_root))
    return g_strdup (OWS_BUILD_HOTSPOT_PROGRAM);
#endif
  return g_build_filename (LIBEXECDIR, HOTSPOT_PROGRAM, NULL);
}

static void
start_hotspot (OwsPhoneClient *self)
{
  OwsConfig *config = ows_service_get_config (self->service);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  double port = config_number (self, "phone_setup_port", 80);
  gboolean open = ows_config_get_boolean (config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_open", FALSE);

  if (!(port >= 1 && port <= G_MAXUINT16 && port == (guint) port))
    {
      g_warning ("mycroft.conf: phone_setup_port must be a port number from 1 to 65535; using 80");
      port = 80;
    }
  self->visited = FALSE;
  self->reported = FALSE;
  g_clear_pointer (&self->url, g_free);
  {
    g_autofree char *ssid = ows_phone_client_hotspot_name ();
    g_autofree char *password = open ? NULL : ows_phone_client_new_password ();

    set_string (self, &self->ssid, ssid, PROP_SSID);
    set_string (self, &self->password, password, PROP_PASSWORD);
    if (password != NULL)
      explicit_bzero (password, strlen (password));
  }
  set_state (self, OWS_PHONE_STATE_PREPARING, NULL);

  g_ptr_array_add (argv, program_path ());
  g_ptr_array_add (argv, g_strdup ("--ssid"));
  g_ptr_array_add (argv, g_strdup (self->ssid));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", (guint) port));
  if (open)
    g_ptr_array_add (argv, g_strdup ("--open"));
  if (self->test_address != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--test-address=%s", self->test_address));
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                     &error);
  if (self->process == NULL)
    {
      g_message ("the phone setup cannot run: %s", error->message);
      report (self, "client.setup.failure");
      return;
    }
  self->run_cancellable = g_cancellable_new ();
  /* The password goes through a pipe: a command line is readable by all. */
  if (self->password != NULL)
    {
      line = g_strconcat (self->password, "\n", NULL);
      g_output_stream_write_all (g_subprocess_get_stdin_pipe (self->process), line, strlen (line),
                                 NULL, NULL, NULL);
      explicit_bzero (line, strlen (line));
    }
  self->events = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  read_event (self);
  g_subprocess_wait_async (self->process, self->run_cancellable, exited_cb, self);
}

static void
active_cb (OwsPhoneClient *self)
{
  if (ows_client_link_get_active (self->link))
    {
      if (self->process == NULL)
        start_hotspot (self);
      return;
    }
  stop_hotspot (self);
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->events);
  /* The process is let go of; it ends by itself (kill_id is its deadline). */
  if (self->process != NULL)
    g_subprocess_wait_async (self->process, self->cancellable, exited_cb, self);
  set_string (self, &self->url, NULL, PROP_URL);
  set_string (self, &self->ssid, NULL, PROP_SSID);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  set_string (self, &self->password, NULL, PROP_PASSWORD);
  set_state (self, OWS_PHONE_STATE_IDLE, NULL);
}

static void
message_cb (OwsPhoneClient *self,
            OwsMessage     *message)
{
  if (g_strcmp0 (ows_message_get_type_name (message), OWS_PHONE_CLIENT_REPEAT) == 0 &&
      (self->state == OWS_PHONE_STATE_WAITING || self->state == OWS_PHONE_STATE_RETRY))
    speak_instructions (self);
}

/* ---- NetworkManager: is there a device that can be an access point? ---- */

static void
sync_usable (OwsPhoneClient *self)
{
  /* A hotspot of ours up hides nothing: while active it stays registered. */
  ows_client_link_set_usable (self->link, self->found_ap || ows_client_link_get_active (self->link));
}

static void
capabilities_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OwsPhoneClient) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (reply != NULL)
    {
      g_variant_get (reply, "(v)", &value);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) &&
          (g_variant_get_uint32 (value) & NM_CAP_AP) != 0)
        self->found_ap = TRUE;
    }
  if (--self->pending_checks == 0)
    sync_usable (self);
}

static void
devices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OwsPhoneClient) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) paths = NULL;
  const char *path;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->found_ap = FALSE;
  if (reply == NULL)
    {
      sync_usable (self);
      return;
    }
  g_variant_get (reply, "(ao)", &paths);
  /* Devices that are not Wi-Fi have no such property: their answer is an error. */
  while (g_variant_iter_next (paths, "&o", &path))
    {
      self->pending_checks++;
      g_dbus_connection_call (self->system_bus, NM_NAME, path, "org.freedesktop.DBus.Properties",
                              "Get", g_variant_new ("(ss)", NM_WIRELESS_IFACE, "WirelessCapabilities"),
                              G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                              capabilities_cb, g_object_ref (self));
    }
  if (self->pending_checks == 0)
    sync_usable (self);
}

static void
check_devices (OwsPhoneClient *self)
{
  g_dbus_connection_call (self->system_bus, NM_NAME, NM_PATH, "org.freedesktop.NetworkManager",
                          "GetDevices", NULL, G_VARIANT_TYPE ("(ao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, devices_cb, g_object_ref (self));
}

static void
devices_changed_cb (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *iface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  check_devices (user_data);
}

static void
nm_appeared_cb (GDBusConnection *connection,
                const char      *name,
                const char      *owner,
                gpointer         user_data)
{
  check_devices (user_data);
}

static void
nm_vanished_cb (GDBusConnection *connection,
                const char      *name,
                gpointer         user_data)
{
  OwsPhoneClient *self = user_data;

  self->found_ap = FALSE;
  if (self->system_bus != NULL)
    sync_usable (self);
}

static void
system_bus_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OwsPhoneClient) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      g_debug ("no system bus, no phone setup: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  self->system_bus = bus;
  self->device_added_id =
    g_dbus_connection_signal_subscribe (bus, NM_NAME, "org.freedesktop.NetworkManager", "DeviceAdded",
                                        NM_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, devices_changed_cb,
                                        self, NULL);
  self->device_removed_id =
    g_dbus_connection_signal_subscribe (bus, NM_NAME, "org.freedesktop.NetworkManager", "DeviceRemoved",
                                        NM_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, devices_changed_cb,
                                        self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (bus, NM_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   nm_appeared_cb, nm_vanished_cb, self, NULL);
}

/* ---- GObject ---- */

static void
ows_phone_client_dispose (GObject *object)
{
  OwsPhoneClient *self = OWS_PHONE_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->run_cancellable);
  if (self->system_bus != NULL)
    {
      g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
      g_dbus_connection_signal_unsubscribe (self->system_bus, self->device_added_id);
      g_dbus_connection_signal_unsubscribe (self->system_bus, self->device_removed_id);
    }
  /* The hotspot goes with us: its program sees its standard input close. */
  stop_hotspot (self);
  g_clear_handle_id (&self->kill_id, g_source_remove);
  g_clear_object (&self->process);
  g_clear_object (&self->events);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->system_bus);
  g_clear_object (&self->link);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (ows_phone_client_parent_class)->dispose (object);
}

static void
ows_phone_client_finalize (GObject *object)
{
  OwsPhoneClient *self = OWS_PHONE_CLIENT (object);

  g_clear_object (&self->cancellable);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self->ssid);
  g_free (self->url);
  g_free (self->sentence);
  g_free (self->test_address);
  G_OBJECT_CLASS (ows_phone_client_parent_class)->finalize (object);
}

static void
ows_phone_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OwsPhoneClient *self = OWS_PHONE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SSID:
      g_value_set_string (value, self->ssid);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_SENTENCE:
      g_value_set_string (value, self->sentence);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_phone_client_class_init (OwsPhoneClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_phone_client_dispose;
  object_class->finalize = ows_phone_client_finalize;
  object_class->get_property = ows_phone_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, OWS_TYPE_PHONE_STATE, OWS_PHONE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SSID] =
    g_param_spec_string ("ssid", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SENTENCE] =
    g_param_spec_string ("sentence", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_phone_client_init (OwsPhoneClient *self)
{
  self->cancellable = g_cancellable_new ();
}

OwsPhoneClient *
ows_phone_client_new (OwsService *service,
                      gboolean    has_window)
{
  OwsPhoneClient *self;

  g_return_val_if_fail (OWS_IS_SERVICE (service), NULL);
  g_return_val_if_fail (ows_service_get_bus (service) != NULL, NULL);

  self = g_object_new (OWS_TYPE_PHONE_CLIENT, NULL);
  self->service = g_object_ref (service);
  self->has_window = has_window;
  self->link = ows_client_link_new (service, OWS_PHONE_CLIENT_NAME, "Remote",
                                    OWS_PHONE_CLIENT_DISPLAY_TEXT, has_window, FALSE);
  if (has_window)
    ows_manager_add_window_client (ows_service_get_manager (service), OWS_PHONE_CLIENT_NAME);
  g_signal_connect_object (self->link, "notify::active", G_CALLBACK (active_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (ows_service_get_bus (service), "message", G_CALLBACK (message_cb),
                           self, G_CONNECT_SWAPPED);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, g_object_ref (self));
  return self;
}

OwsPhoneClient *
ows_phone_client_new_if_enabled (OwsService *service,
                                 gboolean    has_window)
{
  g_return_val_if_fail (OWS_IS_SERVICE (service), NULL);

#if HAVE_LIBNM
  if (ows_config_get_boolean (ows_service_get_config (service), OWS_CONFIG_PLUGIN_SECTION,
                              "phone_setup", TRUE))
    return ows_phone_client_new (service, has_window);
  g_debug ("the phone setup is turned off (phone_setup: false)");
#endif
  return NULL;
}

void
ows_phone_client_set_test_address (OwsPhoneClient *self,
                                   const char     *address)
{
  g_return_if_fail (OWS_IS_PHONE_CLIENT (self));
  g_free (self->test_address);
  self->test_address = g_strdup (address);
}

gboolean
ows_phone_client_get_registered (OwsPhoneClient *self)
{
  g_return_val_if_fail (OWS_IS_PHONE_CLIENT (self), FALSE);
  return ows_client_link_get_registered (self->link);
}

OwsPhoneState
ows_phone_client_get_state (OwsPhoneClient *self)
{
  g_return_val_if_fail (OWS_IS_PHONE_CLIENT (self), OWS_PHONE_STATE_IDLE);
  return self->state;
}

const char *
ows_phone_client_get_ssid (OwsPhoneClient *self)
{
  g_return_val_if_fail (OWS_IS_PHONE_CLIENT (self), NULL);
  return self->ssid;
}

const char *
ows_phone_client_get_password (OwsPhoneClient *self)
{
  g_return_val_if_fail (OWS_IS_PHONE_CLIENT (self), NULL);
  return self->password;
}

const char *
ows_phone_client_get_url (OwsPhoneClient *self)
{
  g_return_val_if_fail (OWS_IS_PHONE_CLIENT (self), NULL);
  return self->url;
}

const char *
ows_phone_client_get_sentence (OwsPhoneClient *self)
{
  g_return_val_if_fail (OWS_IS_PHONE_CLIENT (self), NULL);
  return self->sentence;
}
