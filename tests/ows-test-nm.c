/* ows-test-nm.c: a mock NetworkManager (python3-dbusmock) on a private system bus, driven from a test.
 * SPDX-License-Identifier: Apache-2.0
 *
 * libnm's NMClient talks to the system bus, which GIO connects to once per
 * process: so one private dbus-daemon serves every test of the process, and
 * only the mock (Debian's python3-dbusmock with its networkmanager template)
 * comes and goes. The template's own methods, and the Mock interface every
 * dbusmock object has, are called synchronously; a failed call ends the test.
 *
 * OWS_TEST_NM_LOG=FILE appends the mocks' call logs to FILE.
 */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ows-test-nm.h"
#include "ows-test-peer.h"

/* Debian's python, which has dbus-python; the first python3 on PATH may not. */
#define PYTHON "/usr/bin/python3"
#define MAIN_PATH "/org/freedesktop"
#define MOCK_IFACE "org.freedesktop.DBus.Mock"
/* Python's start and the template's imports take about a second. */
#define START_TIMEOUT_MS 15000

struct _OwsTestNm
{
  GSubprocess *mock;
  gboolean exited;    /* the mock process is gone */
  char *owner;        /* the unique name owning NetworkManager's, NULL while none */
  guint watch_id;
};

static GSubprocess *daemon_process;
static GDBusConnection *bus;

/* Neither the bus nor the mock outlive a test killed at its timeout. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

gboolean
ows_test_nm_available (void)
{
  static int available = -1;
  g_autofree char *daemon = NULL;
  int status = 0;
  const char *argv[] = { PYTHON, "-c", "import dbus, dbusmock.templates.networkmanager", NULL };

  if (available >= 0)
    return available;
  daemon = g_find_program_in_path ("dbus-daemon");
  available = daemon != NULL &&
              g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
              g_spawn_check_wait_status (status, NULL);
  return available;
}

static char *bus_dir;

static void
stop_bus (void)
{
  g_autofree char *socket = NULL;

  g_clear_object (&bus);
  if (daemon_process != NULL)
    g_subprocess_force_exit (daemon_process);
  g_clear_object (&daemon_process);
  if (bus_dir == NULL)
    return;
  socket = g_build_filename (bus_dir, "system_bus_socket", NULL);
  g_unlink (socket);
  g_rmdir (bus_dir);
  g_clear_pointer (&bus_dir, g_free);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, &error);
  if (*line == NULL)
    *line = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* The private bus, started on first use: its address is the system bus's
 * from then on, for this process and its children. The address is chosen
 * here, and set before the first child (whose watch starts a thread:
 * setenv is not safe once there are threads); the daemon prints it when it
 * listens. */
void
ows_test_nm_ensure_bus (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *socket = NULL;

  if (bus != NULL)
    return;
  bus_dir = g_dir_make_tmp ("ows-test-nm-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (stop_bus);
  socket = g_build_filename (bus_dir, "system_bus_socket", NULL);
  address = g_strconcat ("unix:path=", socket, NULL);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);

  /* It warns that it cannot raise its fd limit, as an unprivileged user. */
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  daemon_process = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session",
                                                "--nofork", "--print-address=1", "--address",
                                                address, NULL);
  if (daemon_process == NULL)
    g_error ("dbus-daemon: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon_process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &printed);
  if (!ows_test_wait_until (is_set, &printed, START_TIMEOUT_MS) || *printed == '\0')
    g_error ("dbus-daemon did not start listening on %s", address);

  bus = g_dbus_connection_new_for_address_sync (printed,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  if (bus == NULL)
    g_error ("connecting to the private bus %s: %s", printed, error->message);
  g_dbus_connection_set_exit_on_close (bus, FALSE);
}

/* The harness's own connection to the private bus. */
GDBusConnection *
ows_test_nm_get_connection (void)
{
  ows_test_nm_ensure_bus ();
  return bus;
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  OwsTestNm *nm = user_data;

  g_free (nm->owner);
  nm->owner = g_strdup (owner);
}

static void
name_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  OwsTestNm *nm = user_data;

  g_clear_pointer (&nm->owner, g_free);
}

/* A mock without devices, and NetworkManager's name owned, unless !@start:
 * NetworkManager is not running yet (ows_test_nm_start). */
OwsTestNm *
ows_test_nm_new (gboolean start)
{
  OwsTestNm *nm = g_new0 (OwsTestNm, 1);

  ows_test_nm_ensure_bus ();
  nm->watch_id = g_bus_watch_name_on_connection (bus, OWS_TEST_NM_BUS_NAME,
                                                 G_BUS_NAME_WATCHER_FLAGS_NONE, name_appeared_cb,
                                                 name_vanished_cb, nm, NULL);
  if (start)
    ows_test_nm_start (nm);
  return nm;
}

void
ows_test_nm_free (OwsTestNm *nm)
{
  if (nm == NULL)
    return;
  ows_test_nm_stop (nm);
  g_bus_unwatch_name (nm->watch_id);
  g_free (nm->owner);
  g_free (nm);
}

static void
mock_exited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

static gboolean
started_or_exited (gpointer data)
{
  OwsTestNm *nm = data;

  return nm->owner != NULL || nm->exited;
}

static void
log_to (GSubprocessLauncher *launcher)
{
  const char *path = g_getenv ("OWS_TEST_NM_LOG");
  int fd;

  if (path == NULL || *path == '\0')
    return;
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    g_error ("OWS_TEST_NM_LOG: cannot open %s", path);
  g_subprocess_launcher_take_stdout_fd (launcher, fd);
}

/* NetworkManager appears: a fresh mock, without devices, owns the name when
 * this returns. */
void
ows_test_nm_start (OwsTestNm *nm)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  gboolean logging = g_getenv ("OWS_TEST_NM_LOG") != NULL && *g_getenv ("OWS_TEST_NM_LOG") != '\0';

  g_assert_null (nm->mock);
  ows_test_nm_ensure_bus ();
  launcher = launcher_new (logging ? G_SUBPROCESS_FLAGS_NONE : G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  log_to (launcher);
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS",
                                g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PYTHONPATH");
  g_subprocess_launcher_unsetenv (launcher, "PYTHONHOME");
  nm->exited = FALSE;
  nm->mock = g_subprocess_launcher_spawn (launcher, &error, PYTHON, "-m", "dbusmock",
                                          "--template", "networkmanager", NULL);
  if (nm->mock == NULL)
    g_error ("starting the NetworkManager mock: %s", error->message);
  g_subprocess_wait_async (nm->mock, NULL, mock_exited_cb, &nm->exited);
  ows_test_wait_until (started_or_exited, nm, START_TIMEOUT_MS);
  if (nm->owner == NULL)
    g_error ("the NetworkManager mock did not own %s within %d ms%s", OWS_TEST_NM_BUS_NAME,
             START_TIMEOUT_MS, nm->exited ? " (it exited)" : "");
}

static gboolean
stopped (gpointer data)
{
  OwsTestNm *nm = data;

  return nm->owner == NULL && nm->exited;
}

/* NetworkManager goes away: the mock and everything in it. */
void
ows_test_nm_stop (OwsTestNm *nm)
{
  if (nm->mock == NULL)
    return;
  g_subprocess_send_signal (nm->mock, SIGTERM);
  if (!ows_test_wait_until (stopped, nm, OWS_TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (nm->mock);
      if (!ows_test_wait_until (stopped, nm, OWS_TEST_TIMEOUT_MS))
        g_error ("the NetworkManager mock did not go away");
    }
  g_clear_object (&nm->mock);
}

gboolean
ows_test_nm_is_running (OwsTestNm *nm)
{
  return nm->mock != NULL;
}

/* Takes @params (floating); returns the reply, never NULL. */
static GVariant *
call (OwsTestNm          *nm,
      const char         *path,
      const char         *iface,
      const char         *method,
      GVariant           *params,
      const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  g_assert_nonnull (nm->mock);
  reply = g_dbus_connection_call_sync (bus, OWS_TEST_NM_BUS_NAME, path, iface, method, params,
                                       reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       OWS_TEST_TIMEOUT_MS, NULL, &error);
  if (reply == NULL)
    g_error ("mock NetworkManager: %s.%s on %s: %s", iface, method, path, error->message);
  return reply;
}

static void
call_void (OwsTestNm  *nm,
           const char *path,
           const char *iface,
           const char *method,
           GVariant   *params)
{
  g_variant_unref (call (nm, path, iface, method, params, G_VARIANT_TYPE_UNIT));
}

static char *
call_string (OwsTestNm  *nm,
             const char *method,
             GVariant   *params)
{
  g_autoptr(GVariant) reply = call (nm, MAIN_PATH, MOCK_IFACE, method, params,
                                    G_VARIANT_TYPE ("(s)"));
  char *result = NULL;

  g_variant_get (reply, "(s)", &result);
  return result;
}

/* @state: an NMDeviceState. Returns the device's path. */
char *
ows_test_nm_add_wifi_device (OwsTestNm  *nm,
                             const char *name,
                             const char *iface,
                             guint       state)
{
  char *path = call_string (nm, "AddWiFiDevice", g_variant_new ("(ssi)", name, iface, (gint32) state));

  /* NetworkManager's device has it; the template's lacks it. */
  call_void (nm, path, MOCK_IFACE, "AddProperty",
             g_variant_new ("(ssv)", OWS_TEST_NM_WIRELESS_IFACE, "ActiveAccessPoint",
                            g_variant_new_object_path ("/")));
  return path;
}

char *
ows_test_nm_add_ethernet_device (OwsTestNm  *nm,
                                 const char *name,
                                 const char *iface,
                                 guint       state)
{
  return call_string (nm, "AddEthernetDevice", g_variant_new ("(ssi)", name, iface, (gint32) state));
}

/* Infrastructure mode, 2.4 GHz, 54 Mbit/s, a hardware address of its own.
 * @security: the key-management flags, OWS_TEST_NM_SEC_*; @ssid "": hidden. */
char *
ows_test_nm_add_access_point (OwsTestNm  *nm,
                              const char *device,
                              const char *ap_name,
                              const char *ssid,
                              guint       strength,
                              guint       security)
{
  static guint count;
  g_autofree char *hw = NULL;

  count++;
  hw = g_strdup_printf ("02:00:00:00:%02X:%02X", (count >> 8) & 0xff, count & 0xff);
  return ows_test_nm_add_access_point_full (nm, device, ap_name, ssid, hw, 2, 2412, 54000,
                                            strength, security);
}

char *
ows_test_nm_add_access_point_full (OwsTestNm  *nm,
                                   const char *device,
                                   const char *ap_name,
                                   const char *ssid,
                                   const char *hw_address,
                                   guint       mode,
                                   guint       frequency,
                                   guint       rate,
                                   guint       strength,
                                   guint       security)
{
  g_assert_cmpuint (strength, <=, 100);
  return call_string (nm, "AddAccessPoint",
                      g_variant_new ("(ssssuuuyu)", device, ap_name, ssid, hw_address, mode,
                                     frequency, rate, (guchar) strength, security));
}

void
ows_test_nm_remove_access_point (OwsTestNm  *nm,
                                 const char *device,
                                 const char *ap)
{
  call_void (nm, MAIN_PATH, MOCK_IFACE, "RemoveAccessPoint", g_variant_new ("(ss)", device, ap));
}

/* A saved profile for @ssid, which one of @device's access points must
 * have. Its security comes from that access point: the template knows
 * open and PSK only (@key_mgmt is ignored). */
char *
ows_test_nm_add_wifi_connection (OwsTestNm  *nm,
                                 const char *device,
                                 const char *connection_name,
                                 const char *ssid,
                                 const char *key_mgmt)
{
  return call_string (nm, "AddWiFiConnection",
                      g_variant_new ("(ssss)", device, connection_name, ssid, key_mgmt));
}

/* Note: the template sets @device ACTIVATED whatever @state is. */
char *
ows_test_nm_add_active_connection (OwsTestNm  *nm,
                                   const char *device,
                                   const char *connection,
                                   const char *specific_object,
                                   const char *name,
                                   guint       state)
{
  const char *devices[] = { device, NULL };

  return call_string (nm, "AddActiveConnection",
                      g_variant_new ("(^assssu)", devices, connection, specific_object, name,
                                     state));
}

void
ows_test_nm_set_device_active (OwsTestNm  *nm,
                               const char *device,
                               const char *active_connection)
{
  call_void (nm, MAIN_PATH, MOCK_IFACE, "SetDeviceActive",
             g_variant_new ("(ss)", device, active_connection));
}

void
ows_test_nm_set_device_disconnected (OwsTestNm  *nm,
                                     const char *device)
{
  call_void (nm, MAIN_PATH, MOCK_IFACE, "SetDeviceDisconnected", g_variant_new ("(s)", device));
}

/* @connectivity: an NMConnectivityState. */
void
ows_test_nm_set_connectivity (OwsTestNm *nm,
                              guint      connectivity)
{
  call_void (nm, MAIN_PATH, MOCK_IFACE, "SetConnectivity", g_variant_new ("(u)", connectivity));
}

void
ows_test_nm_set_property (OwsTestNm  *nm,
                          const char *path,
                          const char *iface,
                          const char *name,
                          GVariant   *value)
{
  call_void (nm, MAIN_PATH, MOCK_IFACE, "SetProperty",
             g_variant_new ("(sssv)", path, iface, name, value));
}

/* The value as the mock has it now (transfer full). */
GVariant *
ows_test_nm_get_property (OwsTestNm  *nm,
                          const char *path,
                          const char *iface,
                          const char *name)
{
  g_autoptr(GVariant) reply = call (nm, path, "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new ("(ss)", iface, name), G_VARIANT_TYPE ("(v)"));
  GVariant *value = NULL;

  g_variant_get (reply, "(v)", &value);
  return value;
}

/* @properties: a{sv} (floating is sunk). The template cannot wrap object
 * paths or structures here: use ows_test_nm_set_property for those. */
void
ows_test_nm_update_properties (OwsTestNm  *nm,
                               const char *path,
                               const char *iface,
                               GVariant   *properties)
{
  call_void (nm, path, MOCK_IFACE, "UpdateProperties",
             g_variant_new ("(s@a{sv})", iface, properties));
}

/* @args: a tuple matching @signature (floating is sunk). */
void
ows_test_nm_emit_signal (OwsTestNm  *nm,
                         const char *path,
                         const char *iface,
                         const char *name,
                         const char *signature,
                         GVariant   *args)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));
  g_autoptr(GVariant) owned = g_variant_ref_sink (args);
  GVariantIter iter;
  GVariant *child;

  g_assert_true (g_variant_is_of_type (owned, G_VARIANT_TYPE_TUPLE));
  g_variant_iter_init (&iter, owned);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_variant_builder_add (&builder, "v", child);
      g_variant_unref (child);
    }
  call_void (nm, path, MOCK_IFACE, "EmitSignal",
             g_variant_new ("(sssav)", iface, name, signature, &builder));
}

/* Adds or replaces @name on the object at @path; @code is Python, with
 * `args`, `self`, `objects` and `dbus`, and sets `ret` (see dbusmock's
 * Mock.AddMethod). */
void
ows_test_nm_add_method (OwsTestNm  *nm,
                        const char *path,
                        const char *iface,
                        const char *name,
                        const char *in_sig,
                        const char *out_sig,
                        const char *code)
{
  call_void (nm, path, MOCK_IFACE, "AddMethod",
             g_variant_new ("(sssss)", iface, name, in_sig, out_sig, code));
}

/* Takes the object off the bus; says nothing (no InterfacesRemoved). */
void
ows_test_nm_remove_object (OwsTestNm  *nm,
                           const char *path)
{
  call_void (nm, MAIN_PATH, MOCK_IFACE, "RemoveObject", g_variant_new ("(s)", path));
}

/* The calls of @method on the object at @path since its last ClearCalls,
 * oldest first: a tuple of each call's arguments, e.g.
 * (a{sa{sv}}, o, o) for AddAndActivateConnection. */
GPtrArray *
ows_test_nm_get_method_calls (OwsTestNm  *nm,
                              const char *path,
                              const char *method)
{
  g_autoptr(GVariant) reply = call (nm, path, MOCK_IFACE, "GetMethodCalls",
                                    g_variant_new ("(s)", method), G_VARIANT_TYPE ("(a(tav))"));
  g_autoptr(GVariantIter) calls = NULL;
  g_autoptr(GVariantIter) args = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  guint64 timestamp;

  g_variant_get (reply, "(a(tav))", &calls);
  while (g_variant_iter_next (calls, "(tav)", &timestamp, &args))
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      GVariant *arg;

      while (g_variant_iter_next (args, "v", &arg))
        g_ptr_array_add (values, arg);
      g_ptr_array_add (result, g_variant_ref_sink (g_variant_new_tuple ((GVariant **) values->pdata,
                                                                        values->len)));
      g_clear_pointer (&args, g_variant_iter_free);
    }
  return result;
}

guint
ows_test_nm_count_calls (OwsTestNm  *nm,
                         const char *path,
                         const char *method)
{
  g_autoptr(GPtrArray) calls = ows_test_nm_get_method_calls (nm, path, method);

  return calls->len;
}

typedef struct {
  OwsTestNm *nm;
  const char *path;
  const char *method;
  guint count;
} CallWait;

static gboolean
has_calls (gpointer data)
{
  CallWait *wait = data;

  return ows_test_nm_count_calls (wait->nm, wait->path, wait->method) >= wait->count;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @method was called @count times on @path (or
 * more), for at most @timeout_ms. */
gboolean
ows_test_nm_wait_calls (OwsTestNm  *nm,
                        const char *path,
                        const char *method,
                        guint       count,
                        guint       timeout_ms)
{
  CallWait wait = { nm, path, method, count };
  /* The mock says nothing to this process when called: ask it now and then. */
  guint tick = g_timeout_add (20, tick_cb, NULL);
  gboolean done = ows_test_wait_until (has_calls, &wait, timeout_ms);

  g_source_remove (tick);
  return done;
}

void
ows_test_nm_clear_calls (OwsTestNm  *nm,
                         const char *path)
{
  call_void (nm, path, MOCK_IFACE, "ClearCalls", NULL);
}

/* A profile of any kind: Settings.AddConnection (@settings a{sa{sv}},
 * floating is sunk; it needs a "connection" setting). */
char *
ows_test_nm_add_connection (OwsTestNm *nm,
                            GVariant  *settings)
{
  g_autoptr(GVariant) reply = call (nm, OWS_TEST_NM_SETTINGS_PATH, OWS_TEST_NM_SETTINGS_IFACE,
                                    "AddConnection", g_variant_new_tuple (&settings, 1),
                                    G_VARIANT_TYPE ("(o)"));
  char *path = NULL;

  g_variant_get (reply, "(o)", &path);
  return path;
}

/* @device is connected to @ap with @connection, as NetworkManager shows it:
 * an active connection ACTIVATED, the device ACTIVATED on it, and its
 * ActiveAccessPoint. Returns the active connection. */
char *
ows_test_nm_activate_wifi (OwsTestNm  *nm,
                           const char *device,
                           const char *connection,
                           const char *ap)
{
  static guint count;
  g_autofree char *name = g_strdup_printf ("test%u", ++count);
  char *active = ows_test_nm_add_active_connection (nm, device, connection, ap, name, 2);

  ows_test_nm_set_property (nm, device, OWS_TEST_NM_WIRELESS_IFACE, "ActiveAccessPoint",
                            g_variant_new_object_path (ap));
  return active;
}

/* NetworkManager's DeactivateConnection, as the template has it: every
 * device goes DISCONNECTED. */
void
ows_test_nm_deactivate (OwsTestNm  *nm,
                        const char *active_connection)
{
  call_void (nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "DeactivateConnection",
             g_variant_new ("(o)", active_connection));
}

/* As NetworkManager says it: the State property, then StateReason (libnm
 * tells of a state change when that one changes), then StateChanged. */
void
ows_test_nm_set_device_state (OwsTestNm  *nm,
                              const char *device,
                              guint       state,
                              guint       reason)
{
  g_autoptr(GVariant) old = ows_test_nm_get_property (nm, device, OWS_TEST_NM_DEVICE_IFACE, "State");

  ows_test_nm_set_property (nm, device, OWS_TEST_NM_DEVICE_IFACE, "State",
                            g_variant_new_uint32 (state));
  ows_test_nm_set_property (nm, device, OWS_TEST_NM_DEVICE_IFACE, "StateReason",
                            g_variant_new ("(uu)", state, reason));
  ows_test_nm_emit_signal (nm, device, OWS_TEST_NM_DEVICE_IFACE, "StateChanged", "uuu",
                           g_variant_new ("(uuu)", state, g_variant_get_uint32 (old), reason));
}

/* The template has no RemoveDevice: the device leaves the manager's
 * Devices, DeviceRemoved is said, and its object goes as the object
 * manager says it. */
void
ows_test_nm_remove_device (OwsTestNm  *nm,
                           const char *device)
{
  g_autoptr(GVariant) devices = ows_test_nm_get_property (nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE,
                                                          "Devices");
  g_autoptr(GVariant) type = ows_test_nm_get_property (nm, device, OWS_TEST_NM_DEVICE_IFACE,
                                                       "DeviceType");
  g_auto(GVariantBuilder) rest = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("ao"));
  g_auto(GVariantBuilder) props = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sv}"));
  const char *ifaces[] = { OWS_TEST_NM_DEVICE_IFACE,
                           g_variant_get_uint32 (type) == 2 ? OWS_TEST_NM_WIRELESS_IFACE
                                                            : "org.freedesktop.NetworkManager.Device.Wired",
                           NULL };
  GVariantIter iter;
  const char *path;

  g_variant_iter_init (&iter, devices);
  while (g_variant_iter_next (&iter, "&o", &path))
    if (!g_str_equal (path, device))
      g_variant_builder_add (&rest, "o", path);
  g_variant_builder_add (&props, "{sv}", "Devices", g_variant_builder_end (&rest));
  ows_test_nm_update_properties (nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE,
                                 g_variant_builder_end (&props));
  ows_test_nm_emit_signal (nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "DeviceRemoved", "o",
                           g_variant_new ("(o)", device));
  ows_test_nm_emit_signal (nm, MAIN_PATH, "org.freedesktop.DBus.ObjectManager",
                           "InterfacesRemoved", "oas", g_variant_new ("(o^as)", device, ifaces));
  ows_test_nm_remove_object (nm, device);
}

/* What the template does, called again. */
#define ACTIVATE_TEMPLATE \
  "ret = self.add_and_activate_connection(self, args[0], args[1], args[2])"

/* A profile made from the settings sent (copied: the call log keeps them as
 * sent), an active connection in state AC_STATE on the device, which goes to
 * DEV_STATE. Statements only at the top: in exec'd code a nested scope sees
 * no local names. */
#define ACTIVATE_FROM_SETTINGS \
  "import uuid\n" \
  "dev_path = str(args[1])\n" \
  "ap_path = str(args[2])\n" \
  "conf = dbus.Dictionary({}, signature='sa{sv}')\n" \
  "for key in args[0]:\n" \
  "    conf[key] = dbus.Dictionary(dict(args[0][key]), signature='sv')\n" \
  "wifi = conf.get('802-11-wireless', {})\n" \
  "ssid = bytes(bytearray([int(b) for b in wifi.get('ssid', [])])).decode('utf-8', 'replace')\n" \
  "con = conf.setdefault('connection', dbus.Dictionary({}, signature='sv'))\n" \
  "con.pop('autoconnect', None)\n" \
  "con.setdefault('type', '802-11-wireless')\n" \
  "con.setdefault('id', ssid)\n" \
  "con.setdefault('uuid', str(uuid.uuid4()))\n" \
  "main = objects['/org/freedesktop']\n" \
  "conn_path = main.SettingsAddConnection(conf)\n" \
  "self.ows_count = getattr(self, 'ows_count', 0) + 1\n" \
  "ac_path = '/org/freedesktop/NetworkManager/ActiveConnection/ows' + str(self.ows_count)\n" \
  "main.AddObject(ac_path, 'org.freedesktop.NetworkManager.Connection.Active', {\n" \
  "    'Devices': dbus.Array([dbus.ObjectPath(dev_path)], signature='o'),\n" \
  "    'Default': False, 'Default6': False, 'Vpn': False, 'Type': str(con['type']),\n" \
  "    'Connection': dbus.ObjectPath(conn_path), 'Master': dbus.ObjectPath('/'),\n" \
  "    'SpecificObject': dbus.ObjectPath(ap_path), 'Uuid': str(con['uuid']),\n" \
  "    'Id': str(con['id']), 'State': dbus.UInt32(%u)}, [])\n" \
  "main.object_manager_emit_added(ac_path)\n" \
  "nm = objects['/org/freedesktop/NetworkManager']\n" \
  "acs = nm.Get('org.freedesktop.NetworkManager', 'ActiveConnections')\n" \
  "acs.append(dbus.ObjectPath(ac_path))\n" \
  "nm.Set('org.freedesktop.NetworkManager', 'ActiveConnections', acs)\n" \
  "dev = objects[dev_path]\n" \
  "old = dev.Get('org.freedesktop.NetworkManager.Device', 'State')\n" \
  "dev.Set('org.freedesktop.NetworkManager.Device', 'ActiveConnection', dbus.ObjectPath(ac_path))\n" \
  "dev.Set('org.freedesktop.NetworkManager.Device', 'State', dbus.UInt32(%u))\n" \
  "dev.Set('org.freedesktop.NetworkManager.Device', 'StateReason',\n" \
  "        dbus.Struct((dbus.UInt32(%u), dbus.UInt32(0)), signature='uu'))\n" \
  "dev.EmitSignal('org.freedesktop.NetworkManager.Device', 'StateChanged', 'uuu',\n" \
  "               [dbus.UInt32(%u), old, dbus.UInt32(0)])\n" \
  "ret = (dbus.ObjectPath(conn_path), dbus.ObjectPath(ac_path))\n"

#define ACTIVATE_NO_SECRETS \
  "raise dbus.exceptions.DBusException('Secrets were required, but not provided', " \
  "name='org.freedesktop.NetworkManager.AgentManager.NoSecrets')"

/* NetworkManager's AddAndActivateConnection answers as @how says from now
 * on (the calls are logged as before). */
void
ows_test_nm_replace_add_and_activate (OwsTestNm         *nm,
                                      OwsTestNmActivate  how)
{
  g_autofree char *code = NULL;

  switch (how)
    {
    case OWS_TEST_NM_ACTIVATE_TEMPLATE:
      code = g_strdup (ACTIVATE_TEMPLATE);
      break;
    case OWS_TEST_NM_ACTIVATE_ACTIVATED:
      code = g_strdup_printf (ACTIVATE_FROM_SETTINGS, 2, OWS_TEST_NM_DEVICE_ACTIVATED,
                              OWS_TEST_NM_DEVICE_ACTIVATED, OWS_TEST_NM_DEVICE_ACTIVATED);
      break;
    case OWS_TEST_NM_ACTIVATE_PENDING:
      code = g_strdup_printf (ACTIVATE_FROM_SETTINGS, 1, OWS_TEST_NM_DEVICE_CONFIG,
                              OWS_TEST_NM_DEVICE_CONFIG, OWS_TEST_NM_DEVICE_CONFIG);
      break;
    case OWS_TEST_NM_ACTIVATE_NO_SECRETS:
      code = g_strdup (ACTIVATE_NO_SECRETS);
      break;
    default:
      g_assert_not_reached ();
    }
  ows_test_nm_add_method (nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "AddAndActivateConnection",
                          "a{sa{sv}}oo", "oo", code);
}

/* The saved profiles' paths (Settings' Connections). */
char **
ows_test_nm_dup_connections (OwsTestNm *nm)
{
  g_autoptr(GVariant) value = ows_test_nm_get_property (nm, OWS_TEST_NM_SETTINGS_PATH,
                                                        OWS_TEST_NM_SETTINGS_IFACE, "Connections");

  return g_variant_dup_objv (value, NULL);
}

/* @settings: a{sa{sv}}; the value of @setting's @key, or NULL. */
GVariant *
ows_test_nm_lookup_setting (GVariant   *settings,
                            const char *setting,
                            const char *key)
{
  g_autoptr(GVariant) group = g_variant_lookup_value (settings, setting, G_VARIANT_TYPE ("a{sv}"));

  if (group == NULL)
    return NULL;
  return g_variant_lookup_value (group, key, NULL);
}

void
ows_test_nm_add_property (OwsTestNm  *nm,
                          const char *path,
                          const char *iface,
                          const char *name,
                          GVariant   *value)
{
  call_void (nm, path, MOCK_IFACE, "AddProperty", g_variant_new ("(ssv)", iface, name, value));
}

/* The template has no IP configurations: an object of NetworkManager's
 * IP4Config interface, announced on the object manager as the template's
 * own objects are (from Python: there is no D-Bus method for that). */
#define TEST_IFACE "org.ovos.Test"
#define ADD_IP4_CONFIG \
  "dev = objects[args[0]]\n" \
  "self.ows_ip4 = getattr(self, 'ows_ip4', 0) + 1\n" \
  "path = '/org/freedesktop/NetworkManager/IP4Config/ows' + str(self.ows_ip4)\n" \
  "self.AddObject(path, 'org.freedesktop.NetworkManager.IP4Config', {\n" \
  "    'AddressData': dbus.Array([dbus.Dictionary({'address': dbus.String(args[1]),\n" \
  "        'prefix': dbus.UInt32(args[2])}, signature='sv')], signature='a{sv}'),\n" \
  "    'Addresses': dbus.Array([], signature='au'),\n" \
  "    'Gateway': dbus.String('')}, [])\n" \
  "self.object_manager_emit_added(path)\n" \
  "if 'Ip4Config' not in dev.props['org.freedesktop.NetworkManager.Device']:\n" \
  "    dev.AddProperty('org.freedesktop.NetworkManager.Device', 'Ip4Config', dbus.ObjectPath('/'))\n" \
  "dev.Set('org.freedesktop.NetworkManager.Device', 'Ip4Config', dbus.ObjectPath(path))\n" \
  "ret = path\n"

char *
ows_test_nm_add_ip4_config (OwsTestNm  *nm,
                            const char *device,
                            const char *address,
                            guint       prefix)
{
  g_autoptr(GVariant) reply = NULL;
  char *path = NULL;

  ows_test_nm_add_method (nm, MAIN_PATH, TEST_IFACE, "AddIp4Config", "ssu", "s", ADD_IP4_CONFIG);
  reply = call (nm, MAIN_PATH, TEST_IFACE, "AddIp4Config",
                g_variant_new ("(ssu)", device, address, prefix), G_VARIANT_TYPE ("(s)"));
  g_variant_get (reply, "(s)", &path);
  return path;
}
