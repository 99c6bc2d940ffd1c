/* test-faults.c: the manager keeps working, and loses nothing, when the bus misbehaves.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "ows-bus-private.h"
#include "ows-manager-private.h"
#include "ows-service.h"
#include "ows-test-network-monitor.h"
#include "ows-manager-private.h"
#include "ows-test-peer.h"
#include "ows-websocket-private.h"

#define P OWS_PREFIX

/* Requests in flight at once: a burst, and fewer than the bus's echo memory. */
#define FLOOD_BATCH 250

typedef struct {
  OwsBusServer *server;         /* the bus in this process, or */
  GSubprocess *bus_process;     /* one of its own (ows-test-messagebus) */
  char *url;
  guint port;
  OwsConfig *config;
  GNetworkMonitor *monitor;     /* no network: the watchdog asks no one */
  OwsService *service;
  OwsManager *manager;
  OwsBus *bus;
  OwsTestPeer *peer;
} Fixture;


/* The floods: about what a busy device's bus carries in a few hours.  Under
 * ASan with the project's options (fast_unwind_on_malloc=0: a full unwind per
 * allocation) an unrelated frame costs 25 times as much and a registration 70
 * times, and valgrind is slower still: less there, still ten times the
 * registry's limit. */
/* alive said again after a reconnect, shortened from the manager's 8 s. */
#define REALIVE_MS 500

static guint
flood_frames (void)
{
  return ows_test_under_checker () ? 10000 : 100000;
}

static guint
flood_registrations (void)
{
  return ows_test_under_checker () ? 2500 : 100000;
}

static void
write_user_config (const char *json)
{
  g_autofree char *dir = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft", NULL);
  g_autofree char *path = g_build_filename (dir, "mycroft.conf", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
}

/* The manager on the bus at f->url, with the fixture's peer there to hear it. */
static void
start_service (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) alive = NULL;

  /* A lower payload limit than the bus server's, so a frame can be too big for us only. */
  write_user_config ("{\"websocket\": {\"max_msg_size\": 8}}");
  f->peer = ows_test_peer_new (f->url);

  f->config = ows_config_new ();
  ows_config_load (f->config);
  g_assert_cmpuint (ows_config_get_max_msg_size (f->config), ==, 8 * 1024 * 1024);
  f->monitor = ows_test_network_monitor_new (FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  f->service = ows_service_new (f->config, f->url, f->monitor);
  f->manager = ows_service_get_manager (f->service);
  ows_manager_set_realive_delay (f->manager, REALIVE_MS);
  g_assert_true (ows_service_start (f->service, FALSE, &error));
  f->bus = ows_service_get_bus (f->service);
  alive = ows_test_peer_wait (f->peer, P "alive", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (alive);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = ows_bus_server_new ();
  g_assert_true (ows_bus_server_listen (f->server, NULL, 0, NULL, &error));
  f->port = ows_bus_server_get_port (f->server);
  f->url = ows_bus_server_dup_url (f->server);
  start_service (f);
}

static char *
messagebus_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "ows-test-messagebus", NULL);
}

typedef struct {
  char *line;
  gboolean done;
} LineRead;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, NULL);
  read->done = TRUE;
}

static gboolean
line_read (gpointer data)
{
  return ((LineRead *) data)->done;
}

/* ows-test-messagebus on @port in a process of its own, listening when this returns. */
static GSubprocess *
bus_process_start (guint port)
{
  g_autofree char *path = messagebus_path ();
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  LineRead read = { NULL, FALSE };
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, port_arg, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_read_cb, &read);
  g_assert_true (ows_test_wait_until (line_read, &read, OWS_TEST_TIMEOUT_MS));
  g_assert_true (g_str_has_prefix (read.line, "listening on "));
  g_free (read.line);
  return process;
}

static void
process_exited_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* SIGKILL: no close frame, no goodbye; the kernel drops the connections. */
static void
bus_process_kill (Fixture *f)
{
  g_autoptr(GSubprocess) process = g_steal_pointer (&f->bus_process);
  gboolean exited = FALSE;

  if (process == NULL)
    return;
  g_subprocess_force_exit (process);
  g_subprocess_wait_async (process, NULL, process_exited_cb, &exited);
  g_assert_true (ows_test_wait_until (flag_set, &exited, OWS_TEST_TIMEOUT_MS));
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
}

/* The bus a real device has: another process. Without the program (built by
 * `ninja`, not by `meson test faults` alone) the test says so and skips. */
static void
fixture_setup_process (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = messagebus_path ();

  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *why = g_strdup_printf ("no bus program at %s: build it with ninja", path);

      g_test_skip (why);
      return;
    }
  f->port = ows_test_free_port ();
  f->url = g_strdup_printf ("ws://127.0.0.1:%u/core", f->port);
  f->bus_process = bus_process_start (f->port);
  start_service (f);
}

/* Nothing yet: the test brings its own bus. */
static void
fixture_setup_bare (Fixture       *f,
                    gconstpointer  data)
{
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "mycroft",
                                            "mycroft.conf", NULL);

  g_clear_pointer (&f->peer, ows_test_peer_free);
  g_clear_object (&f->service);
  if (f->server != NULL)
    ows_bus_server_stop (f->server);
  g_clear_object (&f->server);
  bus_process_kill (f);
  g_clear_object (&f->monitor);
  g_clear_object (&f->config);
  g_free (f->url);
  g_unlink (path);
}

static gint64
clients_in_status (OwsTestPeer *peer)
{
  g_autoptr(JsonObject) state = ows_test_peer_status (peer);

  return json_object_get_int_member (state, "clients");
}

/* Registered (or registered again), with the id the manager gave it. */
static char *
register_client (OwsTestPeer *peer,
                 const char  *name)
{
  g_autofree char *json = g_strdup_printf ("{\"client\": \"%s\", \"type\": \"onDevice\", "
                                           "\"display_text\": \"x\", \"requires_input\": true}",
                                           name);
  g_autoptr(OwsMessage) reply = NULL;
  JsonObject *data;

  ows_test_peer_send (peer, P "register.client", json);
  reply = ows_test_peer_expect (peer, P "client.registered");
  data = ows_message_get_data (reply);
  g_assert_cmpstr (json_object_get_string_member (data, "client"), ==, name);
  return g_strdup (json_object_get_string_member (data, "id"));
}

static void
register_one (OwsTestPeer *peer,
              const char  *name)
{
  g_free (register_client (peer, name));
}

static gboolean
bus_disconnected (gpointer data)
{
  return !ows_bus_get_connected (data);
}

static gboolean
bus_connected (gpointer data)
{
  return ows_bus_get_connected (data);
}
static void
test_bus_restart (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OwsMessage) request = NULL;
  g_autofree char *url = NULL;
  OwsTestPeer *peer;

  register_one (f->peer, "survivor");
  ows_bus_server_stop (f->server);
  g_assert_true (ows_test_wait_until (bus_disconnected, f->bus, OWS_TEST_TIMEOUT_MS));

  /* A request from inside the app (a tap on the window) while the bus is down:
   * it acts now, and what it says waits in the queue. */
  request = ows_message_new (P "user.activated", NULL, NULL);
  ows_bus_send (f->bus, request);
  g_assert_true (ows_manager_get_in_setup (f->manager));
  g_assert_cmpuint (ows_bus_get_queue_length (f->bus), >=, 2);

  /* Down long enough for the backoff to grow, so the peer is back first. */
  ows_test_sleep (1000);
  g_assert_true (ows_bus_server_listen (f->server, NULL, f->port, NULL, &error));
  g_assert_no_error (error);
  url = ows_bus_server_dup_url (f->server);
  peer = ows_test_peer_new (url);
  ows_message_unref (ows_test_peer_expect (peer, P "alive"));

  /* queued frames were flushed before alive, once each */
  g_assert_cmpuint (ows_test_peer_count (peer, P "user.activated"), ==, 1);
  g_assert_cmpuint (ows_test_peer_count (peer, P "setup.launched"), ==, 1);
  g_assert_cmpuint (ows_bus_get_queue_length (f->bus), ==, 0);
  /* the registry survived; the manager did not act twice on its own request */
  g_assert_cmpint (clients_in_status (peer), ==, 1);
  ows_test_sleep (150);
  g_assert_cmpuint (ows_test_peer_count (peer, P "setup.launched"), ==, 1);
  ows_test_peer_free (peer);
}

static void
test_bad_frames (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *huge_text = g_strnfill (2 * 1024 * 1024, 'x');
  g_autofree char *huge_register = g_strdup_printf (
    "{\"type\": \"" P "register.client\", \"data\": {\"client\": \"huge\", "
    "\"type\": \"onDevice\", \"display_text\": \"%s\"}}", huge_text);
  const char *frames[] = {
    "not json at all",
    "{\"type\": \"" P "status\"",
    "[\"" P "status\"]",
    "42",
    "\"" P "status\"",
    "null",
    "{}",
    "{\"type\": 5}",
    "{\"type\": \"\"}",
    "{\"type\": \"" P "register.client\", \"data\": [1, 2]}",
    "{\"type\": \"" P "register.client\", \"data\": \"client\"}",
    "{\"type\": \"" P "set.active.client\", \"data\": 7}",
    "{\"type\": \"" P "deregister.client\", \"data\": {\"client_id\": [\"x\"]}}",
    "{\"type\": \"" P "set.active.client\", \"data\": {\"client\": {\"nested\": true}}}",
    "{\"type\": \"" P "skip.setup\", \"data\": true}",
  };
  g_autoptr(OwsMessage) failure = NULL;

  register_one (f->peer, "steady");
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    ows_test_peer_send_raw (f->peer, frames[i], strlen (frames[i]));
  ows_test_peer_send_raw (f->peer, huge_register, strlen (huge_register));
  failure = ows_test_peer_expect (f->peer, P "client.registration.failure");
  g_assert_nonnull (strstr (json_object_get_string_member (ows_message_get_data (failure), "error"),
                            "too long"));

  /* the next good request is answered, and nothing changed */
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
  g_assert_null (ows_manager_get_active_client (f->manager));
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_NORMAL);
  g_assert_cmpuint (ows_test_peer_count (f->peer, P "fully_offline"), ==, 0);
  g_assert_true (ows_bus_get_connected (f->bus));
}

static void
test_frame_over_limit (Fixture       *f,
                       gconstpointer  data)
{
  gsize size = 10 * 1024 * 1024;
  g_autofree char *frame = g_malloc (size + 1);
  g_autoptr(OwsMessage) alive = NULL;
  int prefix;

  register_one (f->peer, "steady");
  ows_test_peer_clear (f->peer);

  /* 10 MiB against our 8 MiB limit: the connection goes, and comes back */
  prefix = g_snprintf (frame, size, "{\"type\": \"gui.page.upload\", \"data\": {\"blob\": \"");
  memset (frame + prefix, 'A', size - prefix - 3);
  memcpy (frame + size - 3, "\"}}", 4);
  ows_test_peer_send_raw (f->peer, frame, size);

  /* The peer parses the 10 MiB echo first, which takes a while under valgrind. */
  alive = ows_test_peer_wait (f->peer, P "alive", 6 * OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (alive);
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
  g_assert_cmpint (ows_manager_get_setup_mode (f->manager), ==, OWS_SETUP_MODE_NORMAL);
}

/* ---- the bus killed while a client runs the setup ---- */

static void
count_cb (guint *count)
{
  (*count)++;
}

typedef struct {
  guint *count;
  guint at_least;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return *wait->count >= wait->at_least;
}

/* Every member of the manager's status as it was before. */
static void
assert_same_state (JsonObject *before,
                   JsonObject *after)
{
  g_autoptr(GList) members = json_object_get_members (before);

  g_assert_cmpuint (json_object_get_size (after), ==, json_object_get_size (before));
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *was = json_to_string (json_object_get_member (before, l->data), FALSE);
      g_autofree char *is = NULL;

      g_assert_true (json_object_has_member (after, l->data));
      is = json_to_string (json_object_get_member (after, l->data), FALSE);
      g_test_message ("%s: %s", (const char *) l->data, is);
      g_assert_cmpstr (is, ==, was);
    }
}

typedef struct {
  OwsTestPeer *peer;
  guint count;
} Alives;

static gboolean
heard_alives (gpointer data)
{
  Alives *alives = data;

  return ows_test_peer_count (alives->peer, P "alive") >= alives->count;
}

static void
test_bus_killed_while_active (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(OwsMessage) deactivated = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id_again = NULL;
  g_autofree char *activate = NULL;
  g_autofree char *deactivate = NULL;
  guint refused = 0;
  CountWait wait = { &refused, 4 };
  OwsTestPeer *late;
  Alives alives;

  if (f->service == NULL)
    return;     /* skipped in the setup, which said why */

  id = register_client (f->peer, "survivor");
  activate = g_strconcat (P "activate.", id, NULL);
  deactivate = g_strconcat (P "deactivate.", id, NULL);
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"survivor\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  before = ows_test_peer_status (f->peer);
  g_assert_cmpstr (json_object_get_string_member (before, "active_client"), ==, "survivor");
  g_assert_true (json_object_get_boolean_member (before, "client_in_setup"));

  g_signal_connect_swapped (f->bus, "connect-failed", G_CALLBACK (count_cb), &refused);
  bus_process_kill (f);
  g_assert_true (ows_test_wait_until (bus_disconnected, f->bus, OWS_TEST_TIMEOUT_MS));
  g_clear_pointer (&f->peer, ows_test_peer_free);

  /* Back on the same port after a few refused attempts: the next one is
   * then over a second away, and the new peer is on the bus before the
   * manager, to hear its alive. */
  g_assert_true (ows_test_wait_until (count_reached, &wait, 2 * OWS_TEST_TIMEOUT_MS));
  f->bus_process = bus_process_start (f->port);
  f->peer = ows_test_peer_new (f->url);
  ows_message_unref (ows_test_peer_expect (f->peer, P "alive"));
  g_assert_true (ows_bus_get_connected (f->bus));
  g_signal_handlers_disconnect_by_data (f->bus, &refused);
  g_test_message ("back after %u refused attempts", refused);

  /* Nothing of the state went down with the bus: same active client, same registry. */
  after = ows_test_peer_status (f->peer);
  assert_same_state (before, after);

  /* A client back later than the manager (the real Python ones take about
   * 5 s) hears alive once more. */
  alives.peer = f->peer;
  alives.count = ows_test_peer_count (f->peer, P "alive") + 1;
  late = ows_test_peer_new (f->url);
  ows_message_unref (ows_test_peer_expect (late, P "alive"));
  ows_test_peer_free (late);
  g_assert_true (ows_test_wait_until (heard_alives, &alives, OWS_TEST_TIMEOUT_MS));
  ows_test_peer_assert_count (f->peer, P "alive", alives.count);

  /* The client hears alive and registers again, as real ones do: same id, still active. */
  id_again = register_client (f->peer, "survivor");
  g_assert_cmpstr (id_again, ==, id);
  g_assert_cmpstr (ows_client_get_name (ows_manager_get_active_client (f->manager)), ==, "survivor");
  g_assert_cmpuint (ows_test_peer_count (f->peer, deactivate), ==, 0);

  /* Its remove.active.client, on the new bus, ends its turn; with no
   * network the watchdog launches setup again (PROTOCOL.md 2 and 4). */
  ows_test_peer_send (f->peer, P "remove.active.client", "{\"client\": \"survivor\"}");
  deactivated = ows_test_peer_expect (f->peer, deactivate);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (deactivated),
                                                  "destination"), ==, "survivor");
  ows_message_unref (ows_test_peer_expect (f->peer, "enclosure.notify.no_internet"));
  ows_message_unref (ows_test_peer_expect (f->peer, P "setup.launched"));
  ows_test_peer_assert_count (f->peer, deactivate, 1);
  done = ows_test_peer_status (f->peer);
  g_assert_false (json_object_get_boolean_member (done, "client_in_setup"));
  g_assert_true (json_object_get_null_member (done, "active_client"));
  g_assert_true (json_object_get_boolean_member (done, "in_setup"));
  g_assert_cmpint (json_object_get_int_member (done, "clients"), ==, 1);
}

/* ---- a bus that takes the upgrade and hangs up at once, again and again ---- */

typedef struct {
  SoupServer *server;
  guint port;
  guint accepted;
} Slammer;

static void
slammer_on_websocket (SoupServer              *server,
                      SoupServerMessage       *msg,
                      const char              *path,
                      SoupWebsocketConnection *conn,
                      gpointer                 user_data)
{
  Slammer *slammer = user_data;

  slammer->accepted++;
  ows_websocket_close_and_release (g_object_ref (conn), SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

static Slammer *
slammer_new (void)
{
  g_autoptr(GError) error = NULL;
  Slammer *slammer = g_new0 (Slammer, 1);
  GSList *uris;

  slammer->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (slammer->server, "/core", NULL, NULL,
                                     slammer_on_websocket, slammer, NULL);
  g_assert_true (soup_server_listen_local (slammer->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (slammer->server);
  g_assert_nonnull (uris);
  slammer->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return slammer;
}

static void
slammer_free (Slammer *slammer)
{
  soup_server_disconnect (slammer->server);
  g_object_unref (slammer->server);
  /* The closes it started finish their handshakes. */
  ows_test_sleep (50);
  g_free (slammer);
}

static gint64
cpu_usec (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
test_upgrade_then_close (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Slammer *slammer = slammer_new ();
  CountWait wait = { &slammer->accepted, 0 };
  gint64 wall, cpu;
  guint accepted;

  f->port = slammer->port;
  f->url = g_strdup_printf ("ws://127.0.0.1:%u/core", f->port);
  f->config = ows_config_new ();
  ows_config_load (f->config);
  f->monitor = ows_test_network_monitor_new (FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  f->service = ows_service_new (f->config, f->url, f->monitor);
  f->manager = ows_service_get_manager (f->service);

  wall = g_get_monotonic_time ();
  cpu = cpu_usec ();
  g_assert_true (ows_service_start (f->service, FALSE, &error));
  f->bus = ows_service_get_bus (f->service);
  ows_test_sleep (4000);
  cpu = cpu_usec () - cpu;
  wall = g_get_monotonic_time () - wall;
  accepted = slammer->accepted;
  g_test_message ("%u connections, %" G_GINT64_FORMAT " ms of CPU in %" G_GINT64_FORMAT
                  " ms", accepted, cpu / 1000, wall / 1000);

  /* 100 ms doubling to 2 s: connections at 0, 0.1, 0.3, 0.7, 1.5 and 3.1 s.
   * A backoff that starts over on every upgrade gives one each 100 ms. */
  g_assert_cmpuint (accepted, >=, 3);
  g_assert_cmpuint (accepted, <=, 10);
  /* Waiting costs nothing; a busy loop would use a whole core. */
  g_assert_cmpint (cpu, <, wall / 4);

  /* A healthy bus takes over right after a hang-up, so the retry (2 s
   * away now) finds it, with the peer already there to hear alive. */
  wait.at_least = accepted + 1;
  g_assert_true (ows_test_wait_until (count_reached, &wait, OWS_TEST_TIMEOUT_MS));
  slammer_free (slammer);
  f->server = ows_bus_server_new ();
  g_assert_true (ows_bus_server_listen (f->server, NULL, f->port, NULL, &error));
  g_assert_no_error (error);
  f->peer = ows_test_peer_new (f->url);
  ows_message_unref (ows_test_peer_expect (f->peer, P "alive"));
  g_assert_true (ows_test_wait_until (bus_connected, f->bus, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (clients_in_status (f->peer), ==, 0);
  register_one (f->peer, "after-the-storm");
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
}

/* ---- floods ---- */

/* A bare peer for floods: counts what it hears by type and keeps only the
 * last frame of one type, unparsed, so that the test's own memory and time
 * stay flat too (OwsTestPeer parses and keeps every frame). */
typedef struct {
  SoupSession *session;
  SoupWebsocketConnection *conn;
  GHashTable *counts;           /* type → guint* */
  guint total;
  const char *keep_type;
  GBytes *kept;
  GError *error;
  gboolean connecting;
} Counter;

static void
counter_on_message (SoupWebsocketConnection *conn,
                    SoupWebsocketDataType    kind,
                    GBytes                  *bytes,
                    Counter                 *counter)
{
  char peeked[OWS_MESSAGE_PEEK_MAX + 1];
  g_autoptr(OwsMessage) parsed = NULL;
  const char *type = peeked;
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  guint *count;

  if (kind != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  counter->total++;
  if (!ows_message_peek_type (text, length, peeked))
    {
      parsed = ows_message_parse (text, length, NULL);
      if (parsed == NULL)
        return;
      type = ows_message_get_type_name (parsed);
    }

  count = g_hash_table_lookup (counter->counts, type);
  if (count == NULL)
    {
      count = g_new0 (guint, 1);
      g_hash_table_insert (counter->counts, g_strdup (type), count);
    }
  (*count)++;
  if (g_strcmp0 (type, counter->keep_type) == 0)
    {
      g_clear_pointer (&counter->kept, g_bytes_unref);
      counter->kept = g_bytes_ref (bytes);
    }
}

/* The data of the last frame of the kept type. */
static JsonObject *
counter_dup_kept_data (Counter *counter)
{
  g_autoptr(OwsMessage) message = NULL;
  gsize length;
  const char *text;

  g_assert_nonnull (counter->kept);
  text = g_bytes_get_data (counter->kept, &length);
  message = ows_message_parse (text, length, NULL);
  g_assert_nonnull (message);
  return json_object_ref (ows_message_get_data (message));
}

static void
counter_connected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Counter *counter = user_data;

  counter->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                         &counter->error);
  counter->connecting = FALSE;
}

static gboolean
counter_ready (gpointer data)
{
  return !((Counter *) data)->connecting;
}

/* Batches of small frames: with Nagle on, each batch would wait for the
 * bus's delayed ACK (40 ms), which doubles a flood's time. */
static void
counter_set_no_delay (Counter *counter)
{
  GIOStream *stream = soup_websocket_connection_get_io_stream (counter->conn);
  g_autoptr(GIOStream) base = NULL;

  /* libsoup hands out its own stream, around the socket's. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream") != NULL)
    {
      g_object_get (stream, "base-iostream", &base, NULL);
      stream = base;
    }
  g_assert_true (G_IS_SOCKET_CONNECTION (stream));
  g_assert_true (g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)),
                                      IPPROTO_TCP, TCP_NODELAY, 1, NULL));
}

static Counter *
counter_new (const char *url,
             const char *keep_type)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  Counter *counter = g_new0 (Counter, 1);

  counter->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  counter->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  counter->keep_type = keep_type;
  counter->connecting = TRUE;
  soup_session_websocket_connect_async (counter->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, counter_connected_cb, counter);
  g_assert_true (ows_test_wait_until (counter_ready, counter, OWS_TEST_TIMEOUT_MS));
  g_assert_no_error (counter->error);
  counter_set_no_delay (counter);
  g_signal_connect (counter->conn, "message", G_CALLBACK (counter_on_message), counter);
  return counter;
}

static void
counter_free (Counter *counter)
{
  g_signal_handlers_disconnect_by_data (counter->conn, counter);
  ows_websocket_close_and_release (counter->conn, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_object_unref (counter->session);
  g_hash_table_unref (counter->counts);
  g_clear_pointer (&counter->kept, g_bytes_unref);
  g_free (counter);
}

static guint
counter_count (Counter    *counter,
               const char *type)
{
  guint *count = g_hash_table_lookup (counter->counts, type);

  return count != NULL ? *count : 0;
}

static void
counter_send (Counter    *counter,
              const char *type,
              const char *data_json)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\": \"%s\", \"data\": %s, \"context\": "
                                            "{\"source\": \"flood\", \"destination\": \"wifi\"}}",
                                            type, data_json);

  soup_websocket_connection_send_text (counter->conn, frame);
}

static guint
registration_answers (Counter *counter)
{
  return counter_count (counter, P "client.registered") +
         counter_count (counter, P "client.registration.failure");
}

typedef struct {
  Counter *counter;
  guint (*count) (Counter *counter);
  guint at_least;
} CounterWait;

static gboolean
counter_reached (gpointer data)
{
  CounterWait *wait = data;

  return wait->count (wait->counter) >= wait->at_least;
}

static guint
frames_heard (Counter *counter)
{
  return counter->total;
}

/* Resident memory of this process (bus, manager and test alike), in bytes. */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  fields = g_strsplit (statm, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);
  return g_ascii_strtoull (fields[1], NULL, 10) * sysconf (_SC_PAGESIZE);
}

static void
drop_log (const char     *domain,
          GLogLevelFlags  level,
          const char     *message,
          gpointer        data)
{
}

/* Three debug lines per request: tens of megabytes of test log. */
static guint
quiet_manager (void)
{
  return g_log_set_handler ("ows-manager", G_LOG_LEVEL_DEBUG, drop_log, NULL);
}

static void
test_registry_flood (Fixture       *f,
                     gconstpointer  data)
{
  OwsRegistry *registry = ows_manager_get_registry (f->manager);
  guint limit = ows_registry_get_limit (registry);
  guint n = flood_registrations ();
  g_autoptr(JsonObject) failure = NULL;
  g_autofree char *last = NULL;
  gint64 start = g_get_monotonic_time ();
  guint quiet = quiet_manager ();
  gsize rss_early = 0, rss_late;
  CounterWait wait;
  Counter *counter;

  g_clear_pointer (&f->peer, ows_test_peer_free);
  counter = counter_new (f->url, P "client.registration.failure");
  wait = (CounterWait) { counter, registration_answers, 0 };

  for (guint sent = 0; sent < n;)
    {
      for (guint end = MIN (sent + FLOOD_BATCH, n); sent < end; sent++)
        {
          g_autofree char *json = g_strdup_printf ("{\"client\": \"flood-%06u\", "
                                                   "\"type\": \"onDevice\", "
                                                   "\"display_text\": \"x\"}", sent);

          counter_send (counter, P "register.client", json);
        }
      wait.at_least = sent;
      g_assert_true (ows_test_wait_until (counter_reached, &wait, 6 * OWS_TEST_TIMEOUT_MS));
      if (sent == n / 10)
        rss_early = resident_bytes ();
    }
  rss_late = resident_bytes ();
  g_log_remove_handler ("ows-manager", quiet);
  g_test_message ("%u registrations answered in %" G_GINT64_FORMAT " ms; resident %zu KiB "
                  "after %u, %zu KiB after %u", n,
                  (g_get_monotonic_time () - start) / 1000, rss_early / 1024,
                  n / 10, rss_late / 1024, n);

  /* The registry stopped at its limit, and every other request was answered with a refusal. */
  g_assert_cmpuint (counter_count (counter, P "register.client"), ==, n);
  g_assert_cmpuint (counter_count (counter, P "client.registered"), ==, limit);
  g_assert_cmpuint (counter_count (counter, P "client.registration.failure"), ==,
                    n - limit);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, limit);
  failure = counter_dup_kept_data (counter);
  last = g_strdup_printf ("flood-%06u", n - 1);
  g_assert_cmpstr (json_object_get_string_member (failure, "client"), ==, last);
  g_assert_nonnull (strstr (json_object_get_string_member (failure, "error"), "full"));

  /* Nothing grows with refused requests: a leak of 100 bytes each would show.
   * ASan's quarantine holds freed memory back on purpose, and valgrind's RSS
   * is its own: there RSS says nothing, and they check leaks themselves. */
  if (ows_test_under_checker ())
    g_test_message ("resident memory not checked under ASan or valgrind");
  else
    {
      g_assert_cmpuint (rss_early, >, 0);
      g_assert_cmpuint (rss_late, <, rss_early + 8 * 1024 * 1024);
    }

  /* Full, not stuck: a slot that frees up is taken by the next client. */
  counter_free (counter);
  f->peer = ows_test_peer_new (f->url);
  ows_test_peer_send (f->peer, P "deregister.client", "{\"client\": \"flood-000000\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, P "client.deregistered"));
  register_one (f->peer, "latecomer");
  g_assert_cmpint (clients_in_status (f->peer), ==, limit);
}

/* Most of a real bus is other people's traffic: it must not get in the way
 * of a request, however much of it there is. */
static void
test_unrelated_traffic (Fixture       *f,
                        gconstpointer  data)
{
  /* A busy device: speech, GUI and audio frames, none of them for us. */
  const char *busy[] = {
    "{\"type\": \"recognizer_loop:utterance\", \"data\": {\"utterances\": [\"what is the "
    "weather like tomorrow\"], \"lang\": \"en-us\"}, \"context\": {\"source\": \"audio\", "
    "\"destination\": \"skills\"}}",
    "{\"type\": \"speak\", \"data\": {\"utterance\": \"Tomorrow will be sunny, with a high "
    "of 21 degrees.\", \"expect_response\": false, \"meta\": {\"skill\": \"weather\"}}, "
    "\"context\": {\"source\": \"skills\", \"destination\": \"audio\"}}",
    "{\"type\": \"enclosure.mouth.viseme_list\", \"data\": {\"start\": 1700000000.5, "
    "\"visemes\": [[\"4\", 0.1], [\"0\", 0.25], [\"2\", 0.4], [\"5\", 0.55]]}, \"context\": {}}",
    "{\"type\": \"gui.value.set\", \"data\": {\"__from\": \"skill-weather.openvoiceos\", "
    "\"currentTemperature\": 21, \"weatherCondition\": \"icons/sun.svg\"}}",
  };
  g_autoptr(GPtrArray) trace = ows_test_load_trace ("real-balena-activation.jsonl");
  g_autoptr(GPtrArray) unrelated = g_ptr_array_new ();
  g_autoptr(JsonObject) registered = NULL;
  guint n = flood_frames ();
  gint64 start = g_get_monotonic_time ();
  guint registered_at = 0;
  CounterWait wait;
  Counter *counter;

  /* ... and what the real stack said around a real activation, minus our part. */
  for (guint i = 0; i < G_N_ELEMENTS (busy); i++)
    g_ptr_array_add (unrelated, (char *) busy[i]);
  for (guint i = 0; i < trace->len; i++)
    {
      g_autoptr(OwsMessage) frame = ows_message_parse (g_ptr_array_index (trace, i), -1, NULL);
      const char *type = ows_message_get_type_name (frame);

      if (!g_str_has_prefix (type, P) && !ows_manager_wants_type (type, NULL))
        g_ptr_array_add (unrelated, g_ptr_array_index (trace, i));
    }
  g_assert_cmpuint (unrelated->len, >, G_N_ELEMENTS (busy) + 5);

  g_clear_pointer (&f->peer, ows_test_peer_free);
  counter = counter_new (f->url, P "client.registered");
  wait = (CounterWait) { counter, frames_heard, 0 };

  for (guint sent = 0; sent < n;)
    {
      for (guint end = MIN (sent + 4 * FLOOD_BATCH, n); sent < end; sent++)
        {
          soup_websocket_connection_send_text (counter->conn,
                                               g_ptr_array_index (unrelated, sent % unrelated->len));
          if (sent == n / 2)
            counter_send (counter, P "register.client",
                          "{\"client\": \"in-the-crowd\", \"type\": \"Remote\", "
                          "\"display_text\": \"x\"}");
        }
      /* The bus echoes each frame to its sender: paced by what came back. */
      wait.at_least = sent;
      g_assert_true (ows_test_wait_until (counter_reached, &wait, 6 * OWS_TEST_TIMEOUT_MS));
      if (registered_at == 0 && counter->kept != NULL)
        registered_at = sent;
    }
  /* Every frame back once, plus the greeting, the request and its reply. */
  wait.at_least = n + 3;
  g_assert_true (ows_test_wait_until (counter_reached, &wait, 6 * OWS_TEST_TIMEOUT_MS));
  g_test_message ("%u unrelated frames in %" G_GINT64_FORMAT " ms; the reply to the "
                  "registration sent after %u came after %u", n,
                  (g_get_monotonic_time () - start) / 1000, n / 2, registered_at);

  /* Answered once, while the flood still ran: the crowd did not bury it. */
  g_assert_cmpuint (registered_at, >, 0);
  g_assert_cmpuint (registered_at, <, n);
  registered = counter_dup_kept_data (counter);
  g_assert_cmpstr (json_object_get_string_member (registered, "client"), ==, "in-the-crowd");
  g_assert_cmpuint (counter_count (counter, P "client.registered"), ==, 1);
  g_assert_cmpuint (counter_count (counter, "recognizer_loop:utterance"), ==,
                    (n + unrelated->len - 1) / unrelated->len);

  counter_free (counter);
  f->peer = ows_test_peer_new (f->url);
  g_assert_cmpint (clients_in_status (f->peer), ==, 1);
  g_assert_null (ows_manager_get_active_client (f->manager));
  g_assert_true (ows_bus_get_connected (f->bus));
}

/* ---- a client that goes silent (issue 15): headless, it does not hold the setup for ever ---- */

/* The manager's 40 minutes, shortened; long enough to look at the state in between. */
#define SETUP_TIMEOUT_MS 800

static guint
setup_timeout (void)
{
  return ows_test_scaled_ms (SETUP_TIMEOUT_MS);
}

/* Registered as a client that needs no input (or does), with its id. */
static char *
register_headless (OwsTestPeer *peer,
                   const char  *name,
                   gboolean     requires_input)
{
  g_autofree char *json = ows_test_client_json (name, "onDevice", "x", FALSE, requires_input);
  g_autoptr(OwsMessage) reply = NULL;
  JsonObject *data;

  ows_test_peer_send (peer, P "register.client", json);
  reply = ows_test_peer_expect (peer, P "client.registered");
  data = ows_message_get_data (reply);
  g_assert_cmpstr (json_object_get_string_member (data, "client"), ==, name);
  return g_strdup (json_object_get_string_member (data, "id"));
}

static char *
event_type (const char *event,
            const char *id)
{
  return g_strconcat (P, event, ".", id, NULL);
}

/* The status says @name is active (or, NULL, that none is). */
static void
assert_active (OwsTestPeer *peer,
               const char  *name)
{
  g_autoptr(JsonObject) state = ows_test_peer_status (peer);

  g_assert_cmpint (json_object_get_boolean_member (state, "client_in_setup"), ==, name != NULL);
  if (name != NULL)
    g_assert_cmpstr (json_object_get_string_member (state, "active_client"), ==, name);
  else
    g_assert_true (json_object_get_null_member (state, "active_client"));
}

static void
test_silent_client_next (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id_a = register_headless (f->peer, "silent-a", FALSE);
  g_autofree char *id_b = register_headless (f->peer, "silent-b", FALSE);
  g_autofree char *activate_a = event_type ("activate", id_a);
  g_autofree char *deactivate_a = event_type ("deactivate", id_a);
  g_autofree char *activate_b = event_type ("activate", id_b);
  g_autoptr(OwsMessage) deactivated = NULL;
  gboolean has_screen = TRUE;

  g_object_get (f->manager, "has-screen", &has_screen, NULL);
  g_assert_false (has_screen);
  ows_manager_set_setup_timeout (f->manager, setup_timeout ());
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate_a));
  assert_active (f->peer, "silent-a");

  /* A says nothing: after the timeout it is deactivated, and B, the other
   * client that needs no input, gets its turn at once. */
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_MESSAGE, "silent-a *within * minutes*");
  deactivated = ows_test_peer_expect (f->peer, deactivate_a);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_context (deactivated),
                                                  "destination"), ==, "silent-a");
  ows_message_unref (ows_test_peer_expect (f->peer, activate_b));
  g_test_assert_expected_messages ();
  assert_active (f->peer, "silent-b");
  g_assert_cmpuint (ows_test_peer_count (f->peer, activate_a), ==, 1);
  g_assert_cmpuint (ows_test_peer_count (f->peer, deactivate_a), ==, 1);
}

/* One client: the timeout ends its turn as client.setup.failure does, and,
 * as then, nothing activates it again at once (the next launch may). */
static void
test_silent_client_alone (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = register_headless (f->peer, "alone", FALSE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *deactivate = event_type ("deactivate", id);
  g_autoptr(JsonObject) after_failure = NULL;
  g_autoptr(JsonObject) after_timeout = NULL;

  ows_manager_set_setup_timeout (f->manager, setup_timeout ());

  /* What a failure does today. */
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_peer_send (f->peer, P "client.setup.failure", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  ows_test_peer_assert_none (f->peer, activate, 2 * setup_timeout ());
  after_failure = ows_test_peer_status (f->peer);

  /* The next launch takes it again (the only one there is); silent, it
   * ends the same way, and no loop starts. */
  ows_test_peer_send (f->peer, P "user.activated", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_MESSAGE, "alone *within * minutes*");
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  g_test_assert_expected_messages ();
  ows_test_peer_assert_none (f->peer, activate, 2 * setup_timeout ());
  ows_test_peer_assert_count (f->peer, activate, 2);
  ows_test_peer_assert_count (f->peer, deactivate, 2);
  after_timeout = ows_test_peer_status (f->peer);
  g_assert_false (json_object_get_boolean_member (after_timeout, "client_in_setup"));
  g_assert_cmpint (json_object_get_boolean_member (after_timeout, "in_setup"), ==,
                   json_object_get_boolean_member (after_failure, "in_setup"));
  g_assert_false (json_object_get_boolean_member (after_failure, "client_in_setup"));
  g_assert_null (ows_manager_get_active_client (f->manager));
}

/* A client that finishes or fails in time is the timer's no more; another
 * client's activation starts the count again. */
static void
test_silent_client_in_time (Fixture       *f,
                            gconstpointer  data)
{
  /* Clients that need input: nothing activates them on its own, so each
   * activation below is the test's own (a voice skill's choice, say). */
  g_autofree char *id_a = register_headless (f->peer, "quick-a", TRUE);
  g_autofree char *id_b = register_headless (f->peer, "quick-b", TRUE);
  g_autofree char *activate_a = event_type ("activate", id_a);
  g_autofree char *deactivate_a = event_type ("deactivate", id_a);
  g_autofree char *activate_b = event_type ("activate", id_b);
  g_autofree char *deactivate_b = event_type ("deactivate", id_b);

  ows_manager_set_setup_timeout (f->manager, setup_timeout ());

  /* Done before the timeout. */
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"quick-a\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate_a));
  ows_test_peer_send (f->peer, P "remove.active.client", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate_a));
  ows_test_peer_assert_none (f->peer, deactivate_a, 2 * setup_timeout ());
  ows_test_peer_assert_count (f->peer, deactivate_a, 1);

  /* Failed before the timeout. */
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"quick-a\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate_a));
  ows_test_peer_send (f->peer, P "client.setup.failure", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate_a));
  ows_test_peer_assert_none (f->peer, deactivate_a, 2 * setup_timeout ());
  ows_test_peer_assert_count (f->peer, deactivate_a, 2);

  /* B takes over from A halfway: B gets a whole timeout of its own. */
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"quick-a\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate_a));
  ows_test_sleep (setup_timeout () / 2);
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"quick-b\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate_a));
  ows_message_unref (ows_test_peer_expect (f->peer, activate_b));
  ows_test_peer_assert_none (f->peer, deactivate_b, setup_timeout () * 3 / 4);
  assert_active (f->peer, "quick-b");
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_MESSAGE, "quick-b *within * minutes*");
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate_b));
  g_test_assert_expected_messages ();
  ows_test_peer_assert_count (f->peer, deactivate_a, 3);
  assert_active (f->peer, NULL);
}

/* A window of ours shows the choices: a person is there, and a client
 * takes the time it takes. The screen gone, the count starts. */
static void
test_silent_client_screen (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = register_headless (f->peer, "watched", FALSE);
  g_autofree char *activate = event_type ("activate", id);
  g_autofree char *deactivate = event_type ("deactivate", id);

  ows_manager_set_setup_timeout (f->manager, setup_timeout ());
  ows_manager_set_has_screen (f->manager, TRUE);
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"watched\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_peer_assert_none (f->peer, deactivate, 3 * setup_timeout ());
  assert_active (f->peer, "watched");

  ows_manager_set_has_screen (f->manager, FALSE);
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_MESSAGE, "watched *within * minutes*");
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  g_test_assert_expected_messages ();
  assert_active (f->peer, NULL);
}

static void
set_setup_timeout_key (OwsConfig  *config,
                       const char *value)
{
  g_autofree char *json = g_strdup_printf ("{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": "
                                           "{\"setup_timeout\": %s}}}", value);

  write_user_config (json);
  ows_config_load (config);
}

/* PHAL."ovos-PHAL-plugin-wifi-setup".setup_timeout, in minutes, read anew
 * for each activation (so after a reload); 0 = never; a value that is no
 * number of minutes is the default's, with a warning. */
static void
test_silent_client_config (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *value;
    guint ms;
    gboolean warns;
  } cases[] = {
    { "2", 2 * 60000, FALSE },
    { "0.5", 30000, FALSE },
    { "0", 0, FALSE },
    { "null", 40 * 60000, FALSE },
    { "-3", 40 * 60000, TRUE },
    { "\"ten\"", 40 * 60000, TRUE },
    { "true", 40 * 60000, TRUE },
  };
  g_autofree char *id = NULL;
  g_autofree char *activate = NULL;
  g_autofree char *deactivate = NULL;

  /* The fixture's file has no such key: the default. */
  g_assert_cmpuint (ows_manager_get_setup_timeout (f->manager), ==, 40 * 60000);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("setup_timeout: %s", cases[i].value);
      set_setup_timeout_key (f->config, cases[i].value);
      if (cases[i].warns)
        g_test_expect_message ("ows-manager", G_LOG_LEVEL_WARNING, "*setup_timeout*");
      g_assert_cmpuint (ows_manager_get_setup_timeout (f->manager), ==, cases[i].ms);
      g_test_assert_expected_messages ();
    }

  /* The key drives the real timer: 0 never fires, a fraction of a minute does. */
  id = register_headless (f->peer, "configured", TRUE);
  activate = event_type ("activate", id);
  deactivate = event_type ("deactivate", id);
  set_setup_timeout_key (f->config, "0");
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"configured\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  ows_test_peer_assert_none (f->peer, deactivate, 2 * setup_timeout ());
  ows_test_peer_send (f->peer, P "client.setup.failure", NULL);
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));

  set_setup_timeout_key (f->config, "0.01");    /* 600 ms */
  ows_test_peer_send (f->peer, P "set.active.client", "{\"client\": \"configured\"}");
  ows_message_unref (ows_test_peer_expect (f->peer, activate));
  g_test_expect_message ("ows-manager", G_LOG_LEVEL_MESSAGE, "configured *within 0.01 minutes*");
  ows_message_unref (ows_test_peer_expect (f->peer, deactivate));
  g_test_assert_expected_messages ();
  assert_active (f->peer, NULL);
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);

  g_test_add ("/ows/faults/bus-restart", Fixture, NULL, fixture_setup, test_bus_restart,
              fixture_teardown);
  g_test_add ("/ows/faults/bus-killed-while-active", Fixture, NULL, fixture_setup_process,
              test_bus_killed_while_active, fixture_teardown);
  g_test_add ("/ows/faults/upgrade-then-close", Fixture, NULL, fixture_setup_bare,
              test_upgrade_then_close, fixture_teardown);
  g_test_add ("/ows/faults/bad-frames", Fixture, NULL, fixture_setup, test_bad_frames,
              fixture_teardown);
  g_test_add ("/ows/faults/frame-over-limit", Fixture, NULL, fixture_setup, test_frame_over_limit,
              fixture_teardown);
  g_test_add ("/ows/faults/unrelated-traffic", Fixture, NULL, fixture_setup, test_unrelated_traffic,
              fixture_teardown);
  g_test_add ("/ows/faults/registry-flood", Fixture, NULL, fixture_setup, test_registry_flood,
              fixture_teardown);
  g_test_add ("/ows/faults/silent-client-next", Fixture, NULL, fixture_setup,
              test_silent_client_next, fixture_teardown);
  g_test_add ("/ows/faults/silent-client-alone", Fixture, NULL, fixture_setup,
              test_silent_client_alone, fixture_teardown);
  g_test_add ("/ows/faults/silent-client-in-time", Fixture, NULL, fixture_setup,
              test_silent_client_in_time, fixture_teardown);
  g_test_add ("/ows/faults/silent-client-screen", Fixture, NULL, fixture_setup,
              test_silent_client_screen, fixture_teardown);
  g_test_add ("/ows/faults/silent-client-config", Fixture, NULL, fixture_setup,
              test_silent_client_config, fixture_teardown);

  return g_test_run ();
}
