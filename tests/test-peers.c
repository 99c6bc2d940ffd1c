/* test-peers.c: one manager per bus (PROTOCOL.md section 1): a second one of
 * ours, or upstream's plugin already at work, is found before anything is
 * said, and every request is answered exactly once.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "ows-peer-probe.h"
#include "ows-service-private.h"
#include "ows-test-bus.h"

#define P OWS_PREFIX

typedef struct
{
  OwsTestBus bus;        /* the manager already at work, and a peer */
  OwsService *second;    /* the one that starts later */
  OwsPeer found;         /* what "other-manager" said, or -1 */
} Fixture;

static void
other_manager_cb (OwsService *service,
                  OwsPeer     peer,
                  Fixture    *f)
{
  f->found = peer;
}

static gboolean
found_someone (gpointer data)
{
  return ((Fixture *) data)->found != (OwsPeer) -1;
}

static OwsService *
new_service (Fixture *f)
{
  OwsService *service = ows_service_new (f->bus.config, f->bus.url, f->bus.monitor);

  g_signal_connect (service, "other-manager", G_CALLBACK (other_manager_cb), f);
  return service;
}

static gboolean
role_is_settled (gpointer data)
{
  return ows_service_get_role (data) != OWS_SERVICE_ROLE_ASKING;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->found = -1;
  ows_test_bus_setup (&f->bus, TRUE);
}

static void
fixture_setup_empty (Fixture       *f,
                     gconstpointer  data)
{
  f->found = -1;
  ows_test_bus_init (&f->bus, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->second);
  ows_test_bus_teardown (&f->bus);
}

/* A message of @type comes within the deadline. */
static void
see (OwsTestPeer *peer,
     const char  *type)
{
  g_autoptr(OwsMessage) message = ows_test_peer_expect (peer, type);
}

typedef struct
{
  OwsManager *manager;
  OwsPhase phase;
} PhaseWait;

static gboolean
phase_is (gpointer data)
{
  PhaseWait *wait = data;

  return ows_manager_get_phase (wait->manager) == wait->phase;
}

static void
assert_phase (OwsManager *manager,
              OwsPhase    phase)
{
  PhaseWait wait = { manager, phase };

  if (!ows_test_wait_until (phase_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("the phase is %s, not %s", ows_phase_to_nick (ows_manager_get_phase (manager)),
             ows_phase_to_nick (phase));
}

/* What a peer's request got, from whoever answered. */
static void
assert_answered_once (OwsTestPeer *peer,
                      const char  *request,
                      const char  *data_json,
                      const char  *answer)
{
  ows_test_peer_clear (peer);
  ows_test_peer_send (peer, request, data_json);
  see (peer, answer);
  ows_test_peer_assert_none (peer, answer, 500);
  ows_test_peer_assert_count (peer, answer, 1);
}

/* Headless + headless: the second one finds ours and says nothing, ever. */
static void
test_second_of_ours (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client = ows_test_client_json ("solo", "onDevice", "Solo", FALSE, FALSE);

  f->second = new_service (f);
  ows_test_peer_clear (f->bus.peer);
  g_assert_true (ows_service_start (f->second, FALSE, &error));
  g_assert_true (ows_test_wait_until (found_someone, f, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (f->found, ==, OWS_PEER_OURS);
  g_assert_cmpint (ows_service_get_role (f->second), ==, OWS_SERVICE_ROLE_YIELDED);
  /* It asked; only the first one answered. */
  ows_test_peer_assert_count (f->bus.peer, P "status.response", 1);
  ows_test_peer_assert_count (f->bus.peer, P "registered.clients", 1);

  assert_answered_once (f->bus.peer, P "register.client", client, P "client.registered");
  assert_answered_once (f->bus.peer, P "get.registered.clients", NULL, P "registered.clients");
  assert_answered_once (f->bus.peer, P "status", NULL, P "status.response");
  assert_answered_once (f->bus.peer, "mycroft.internet.is_ready", NULL,
                        "mycroft.internet.is_ready.response");
}

/* Two of ours starting together on an empty bus: exactly one manages. */
static void
test_two_at_once (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OwsService) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client = ows_test_client_json ("pair", "onDevice", "Pair", FALSE, FALSE);

  first = new_service (f);
  f->second = new_service (f);
  g_assert_true (ows_service_start (first, FALSE, &error));
  g_assert_true (ows_service_start (f->second, FALSE, &error));
  g_assert_true (ows_test_wait_until (role_is_settled, first, OWS_TEST_TIMEOUT_MS));
  g_assert_true (ows_test_wait_until (role_is_settled, f->second, OWS_TEST_TIMEOUT_MS));
  g_assert_true ((ows_service_get_role (first) == OWS_SERVICE_ROLE_MANAGING &&
                  ows_service_get_role (f->second) == OWS_SERVICE_ROLE_YIELDED) ||
                 (ows_service_get_role (first) == OWS_SERVICE_ROLE_YIELDED &&
                  ows_service_get_role (f->second) == OWS_SERVICE_ROLE_MANAGING));
  g_assert_cmpint (f->found, ==, OWS_PEER_OURS);
  see (f->bus.peer, P "alive");

  assert_answered_once (f->bus.peer, P "register.client", client, P "client.registered");
  assert_answered_once (f->bus.peer, P "status", NULL, P "status.response");
}

/* What a peer sends while the newcomer asks is answered once it knows it is
 * the manager: nothing is lost for the second it waits. */
static void
test_held_while_asking (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client = ows_test_client_json ("early", "onDevice", "Early", FALSE, FALSE);

  f->second = new_service (f);
  ows_service_set_probe_deadline (f->second, 700);
  g_assert_true (ows_service_start (f->second, FALSE, &error));
  see (f->bus.peer, P "status");
  ows_test_peer_send (f->bus.peer, P "register.client", client);
  ows_test_peer_assert_none (f->bus.peer, P "client.registered", 200);
  see (f->bus.peer, P "client.registered");
  g_assert_cmpint (ows_service_get_role (f->second), ==, OWS_SERVICE_ROLE_MANAGING);
  g_assert_false (found_someone (f));
  ows_test_peer_assert_none (f->bus.peer, P "client.registered", 500);
  ows_test_peer_assert_count (f->bus.peer, P "client.registered", 1);
  /* Its own question is not answered by itself. */
  ows_test_peer_assert_count (f->bus.peer, P "status.response", 0);
  ows_test_peer_assert_count (f->bus.peer, P "registered.clients", 0);
}

/* A bus we serve ourselves was empty: nothing to ask, no second lost. */
static void
test_embedded_bus_does_not_ask (Fixture       *f,
                                gconstpointer  data)
{
  guint port = ows_test_free_port ();
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/core", port);
  g_autoptr(OwsService) service = ows_service_new (f->bus.config, url, f->bus.monitor);
  g_autoptr(OwsTestPeer) peer = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ows_service_start (service, TRUE, &error));
  g_assert_cmpint (ows_service_get_role (service), ==, OWS_SERVICE_ROLE_MANAGING);
  peer = ows_test_peer_new (url);
  status = ows_test_peer_status (peer);
  g_assert_nonnull (status);
  ows_test_peer_assert_count (peer, P "get.registered.clients", 0);
}

/* Upstream's plugin: silent to status, but it says alive and answers
 * get.registered.clients, with the frames of the real stack. */
typedef struct
{
  GPtrArray *frames;
  const char *registered;  /* its registered.clients frame */
} Trace;

static const char *
find_frame (GPtrArray  *frames,
            const char *type)
{
  g_autofree char *needle = g_strdup_printf ("\"type\":\"%s\"", type);

  for (guint i = 0; i < frames->len; i++)
    if (strstr (g_ptr_array_index (frames, i), needle) != NULL)
      return g_ptr_array_index (frames, i);
  g_assert_not_reached ();
}

/* The second one starts and asks; upstream's @answer (its frame from the
 * trace) comes once @asked is on the bus: it yields to upstream. */
static void
yield_to_upstream (Fixture    *f,
                   GPtrArray  *frames,
                   const char *asked,
                   const char *answer)
{
  const char *frame = find_frame (frames, answer);
  g_autoptr(GError) error = NULL;

  f->second = new_service (f);
  g_assert_true (ows_service_start (f->second, FALSE, &error));
  see (f->bus.peer, asked);
  ows_test_peer_send_raw (f->bus.peer, frame, strlen (frame));
  g_assert_true (ows_test_wait_until (found_someone, f, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (f->found, ==, OWS_PEER_UPSTREAM);
  g_assert_cmpint (ows_service_get_role (f->second), ==, OWS_SERVICE_ROLE_YIELDED);
}

static void
test_upstream (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) frames = ows_test_load_trace ("real-clients-register.jsonl");

  yield_to_upstream (f, frames, P "get.registered.clients", P "registered.clients");

  /* The real clients' and the user's requests from then on (upstream's
   * answers left out: it is not here to give them): ours answers none. */
  ows_test_peer_clear (f->bus.peer);
  for (guint i = 0; i < frames->len; i++)
    {
      const char *frame = g_ptr_array_index (frames, i);

      if (strstr (frame, "\"type\":\"" P "register.client\"") != NULL
          || strstr (frame, "\"type\":\"" P "get.registered.clients\"") != NULL
          || strstr (frame, "\"type\":\"" P "user.activated\"") != NULL)
        ows_test_peer_send_raw (f->bus.peer, frame, strlen (frame));
    }
  ows_test_peer_assert_none (f->bus.peer, P "client.registered", 300);
  ows_test_peer_assert_count (f->bus.peer, P "client.registered", 0);
  ows_test_peer_assert_count (f->bus.peer, P "registered.clients", 0);
  ows_test_peer_assert_count (f->bus.peer, P "setup.launched", 0);
  ows_test_peer_assert_count (f->bus.peer, P "status.response", 0);
}

/* Upstream seen by its alive alone (it restarted while we asked). */
static void
test_upstream_alive (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) frames = ows_test_load_trace ("real-clients-register.jsonl");

  yield_to_upstream (f, frames, P "status", P "alive");
}

typedef struct
{
  gboolean done;
  char *err;
} Output;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Output *output = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &output->err, &error);
  g_assert_no_error (error);
  output->done = TRUE;
}

static gboolean
output_done (gpointer data)
{
  return ((Output *) data)->done;
}

/* The headless program: exit 1, one sentence naming the bus, nothing said. */
static void
test_headless_exits (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *program = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                               "ovos-wifi-setup", NULL);
  g_autofree char *bus = g_strdup_printf ("--bus=%s", f->bus.url);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Output output = { 0 };
  g_autofree char *expected = g_strdup_printf ("ovos-wifi-setup: Another ovos-wifi-setup already "
                                               "manages the network setup on the bus at %s.\n",
                                               f->bus.url);

  ows_test_peer_clear (f->bus.peer);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                              &error, program, "--headless", bus, NULL);
  g_assert_no_error (error);
  /* The manager at work answers from this main loop: never block it. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &output);
  g_assert_true (ows_test_wait_until (output_done, &output, OWS_TEST_TIMEOUT_MS));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  /* The sentence first (the watchdog may have logged meanwhile). */
  g_assert_true (g_str_has_prefix (output.err, expected));
  g_free (output.err);
  ows_test_peer_assert_count (f->bus.peer, P "stop.setup.event", 0);
  ows_test_peer_assert_count (f->bus.peer, P "status.response", 1);
}

/* No bus at all: after a while ours works alone (a window stays usable: a
 * client registered in-process is activated by a tap), says nothing, and
 * asks when a bus comes. */
static gboolean
is_alone (gpointer data)
{
  return ows_service_get_role (data) == OWS_SERVICE_ROLE_ALONE;
}

static gboolean
is_managing (gpointer data)
{
  return ows_service_get_role (data) == OWS_SERVICE_ROLE_MANAGING;
}

static void
test_alone_then_bus (Fixture       *f,
                     gconstpointer  data)
{
  guint port = ows_test_free_port ();
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/core", port);
  g_autoptr(OwsService) service = ows_service_new (f->bus.config, url, f->bus.monitor);
  g_autoptr(OwsBusServer) server = ows_bus_server_new ();
  g_autoptr(OwsTestPeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  OwsManager *manager = ows_service_get_manager (service);
  g_autofree char *client = ows_test_client_json ("local", "onDevice", "Local", TRUE, TRUE);
  OwsClient *registered;

  ows_service_set_alone_delay (service, 200);
  ows_service_set_probe_deadline (service, 200);
  g_assert_true (ows_service_start (service, FALSE, &error));
  g_assert_cmpint (ows_service_get_role (service), ==, OWS_SERVICE_ROLE_ASKING);
  g_assert_true (ows_test_wait_until (is_alone, service, OWS_TEST_TIMEOUT_MS));

  ows_manager_add_window_client (manager, "local");
  {
    g_autoptr(JsonNode) node = json_from_string (client, NULL);

    ows_service_request (service, P "register.client", json_object_ref (json_node_get_object (node)));
  }
  ows_service_request (service, P "user.activated", NULL);
  assert_phase (manager, OWS_PHASE_SELECTION);
  registered = ows_registry_lookup_name (ows_manager_get_registry (manager), "local");
  g_assert_nonnull (registered);
  {
    JsonObject *select = json_object_new ();

    json_object_set_string_member (select, "client", "local");
    ows_service_request (service, P "client.select", select);
  }
  assert_phase (manager, OWS_PHASE_RUNNING);

  /* The bus comes: it hears the question, then alive, and nothing said alone. */
  g_assert_true (ows_bus_server_listen (server, "127.0.0.1", port, "/core", &error));
  g_assert_no_error (error);
  peer = ows_test_peer_new (url);
  g_assert_true (ows_test_wait_until (is_managing, service, 10000));
  see (peer, P "alive");
  ows_test_peer_assert_count (peer, P "setup.launched", 0);
  {
    g_autofree char *activate = g_strconcat (P "activate.", ows_client_get_id (registered), NULL);

    ows_test_peer_assert_none (peer, activate, 300);
  }
  g_assert_cmpint (ows_manager_get_phase (manager), ==, OWS_PHASE_RUNNING);
  g_clear_object (&service);
  g_clear_pointer (&peer, ows_test_peer_free);
  ows_bus_server_stop (server);
}

/* ---- the window's case: a view of the manager at work ---- */

static gboolean
registries_agree (gpointer data)
{
  Fixture *f = data;
  GListModel *theirs = G_LIST_MODEL (ows_manager_get_registry (f->bus.manager));
  GListModel *ours = G_LIST_MODEL (ows_manager_get_registry (ows_service_get_manager (f->second)));
  guint n = g_list_model_get_n_items (theirs);

  if (g_list_model_get_n_items (ours) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OwsClient) a = g_list_model_get_item (theirs, i);
      g_autoptr(OwsClient) b = g_list_model_get_item (ours, i);

      if (g_strcmp0 (ows_client_get_id (a), ows_client_get_id (b)) != 0 ||
          g_strcmp0 (ows_client_get_display_text (a), ows_client_get_display_text (b)) != 0)
        return FALSE;
    }
  return TRUE;
}

static char *
register_client (OwsTestPeer *peer,
                 const char  *name,
                 gboolean     requires_input)
{
  g_autofree char *json = ows_test_client_json (name, "onDevice", name, FALSE, requires_input);
  g_autoptr(OwsMessage) registered = NULL;

  ows_test_peer_send (peer, P "register.client", json);
  registered = ows_test_peer_wait (peer, P "client.registered", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (registered);
  return g_strdup (json_object_get_string_member (ows_message_get_data (registered), "id"));
}

static void
start_view (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->second = new_service (f);
  g_signal_connect_swapped (f->second, "other-manager", G_CALLBACK (ows_service_view), f->second);
  g_assert_true (ows_service_start (f->second, FALSE, &error));
  g_assert_true (ows_test_wait_until (found_someone, f, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpint (ows_service_get_role (f->second), ==, OWS_SERVICE_ROLE_VIEWING);
  g_assert_true (ows_manager_get_following (ows_service_get_manager (f->second)));
}

/* Headless + window: tiles from the list, live registrations, activations
 * and the end of setup; every request still answered once. */
static void
test_view_mirrors (Fixture       *f,
                   gconstpointer  data)
{
  OwsManager *view;
  g_autofree char *early = NULL;
  g_autofree char *late = NULL;
  g_autofree char *client = ows_test_client_json ("third", "Remote", "Third", FALSE, TRUE);
  g_autoptr(JsonObject) status = NULL;

  early = register_client (f->bus.peer, "early", TRUE);
  start_view (f);
  view = ows_service_get_manager (f->second);
  g_assert_true (ows_test_wait_until (registries_agree, f, OWS_TEST_TIMEOUT_MS));

  late = register_client (f->bus.peer, "late", TRUE);
  g_assert_true (ows_test_wait_until (registries_agree, f, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpstr (ows_client_get_id (ows_registry_lookup_name (ows_manager_get_registry (view),
                                                                "late")), ==, late);

  /* The user asks for setup in the window: the manager at work launches. */
  ows_test_peer_clear (f->bus.peer);
  ows_service_request (f->second, P "user.activated", NULL);
  see (f->bus.peer, P "setup.launched");
  assert_phase (view, OWS_PHASE_SELECTION);

  /* A tap: one activation, by the manager at work. */
  {
    JsonObject *select = json_object_new ();

    json_object_set_string_member (select, "client", "late");
    json_object_set_string_member (select, "id", late);
    ows_service_request (f->second, P "client.select", select);
  }
  {
    g_autofree char *activate = g_strconcat (P "activate.", late, NULL);

    see (f->bus.peer, activate);
  }
  assert_phase (view, OWS_PHASE_RUNNING);
  g_assert_cmpstr (ows_client_get_id (ows_manager_get_active_client (view)), ==, late);

  /* Back in the window while it runs: our choices, nothing asked of it. */
  ows_test_peer_clear (f->bus.peer);
  ows_service_request (f->second, P "user.activated", NULL);
  assert_phase (view, OWS_PHASE_SELECTION);
  ows_test_peer_assert_none (f->bus.peer, P "user.activated", 300);
  g_assert_nonnull (ows_manager_get_active_client (f->bus.manager));

  /* Another tap while one runs: it switches. */
  {
    JsonObject *select = json_object_new ();
    g_autofree char *activate = g_strconcat (P "activate.", early, NULL);

    json_object_set_string_member (select, "client", "early");
    json_object_set_string_member (select, "id", early);
    ows_service_request (f->second, P "client.select", select);
    see (f->bus.peer, activate);
  }
  assert_phase (view, OWS_PHASE_RUNNING);
  g_assert_cmpstr (ows_client_get_id (ows_manager_get_active_client (view)), ==, early);

  /* It finishes; the manager at work probes and completes (it is online). */
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  see (f->bus.peer, "ovos.wifi.setup.completed");
  assert_phase (view, OWS_PHASE_CONNECTED);

  /* A client leaves: its tile goes. */
  {
    g_autofree char *deregister = g_strdup_printf ("{\"client_id\": \"%s\"}", late);

    ows_test_peer_send (f->bus.peer, P "deregister.client", deregister);
    see (f->bus.peer, P "client.deregistered");
  }
  g_assert_true (ows_test_wait_until (registries_agree, f, OWS_TEST_TIMEOUT_MS));
  g_assert_null (ows_registry_lookup_id (ows_manager_get_registry (view), late));

  /* With the view on the bus, every request is still answered once. */
  assert_answered_once (f->bus.peer, P "register.client", client, P "client.registered");
  assert_answered_once (f->bus.peer, P "get.registered.clients", NULL, P "registered.clients");
  assert_answered_once (f->bus.peer, P "status", NULL, P "status.response");
  status = ows_test_peer_status (f->bus.peer);
  g_assert_cmpint (json_object_get_int_member (status, "clients"), ==, 2);
}

/* Closing the window leaves the manager at work running, and its client. */
static void
test_view_closes (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = register_client (f->bus.peer, "stays", FALSE);
  g_autofree char *activate = g_strconcat (P "activate.", id, NULL);

  start_view (f);
  ows_test_peer_clear (f->bus.peer);
  ows_service_request (f->second, P "user.activated", NULL);
  see (f->bus.peer, activate);
  assert_phase (ows_service_get_manager (f->second), OWS_PHASE_RUNNING);

  ows_manager_shutdown (ows_service_get_manager (f->second));
  g_clear_object (&f->second);
  ows_test_peer_assert_none (f->bus.peer, P "stop.setup.event", 500);
  {
    g_autofree char *deactivate = g_strconcat (P "deactivate.", id, NULL);

    ows_test_peer_assert_count (f->bus.peer, deactivate, 0);
  }
  g_assert_cmpstr (ows_client_get_id (ows_manager_get_active_client (f->bus.manager)), ==, id);
}

int
main (int    argc,
      char **argv)
{
  ows_test_init (&argc, &argv);

  g_test_add ("/ows/peers/second-of-ours", Fixture, NULL,
              fixture_setup, test_second_of_ours, fixture_teardown);
  g_test_add ("/ows/peers/two-at-once", Fixture, NULL,
              fixture_setup_empty, test_two_at_once, fixture_teardown);
  g_test_add ("/ows/peers/held-while-asking", Fixture, NULL,
              fixture_setup_empty, test_held_while_asking, fixture_teardown);
  g_test_add ("/ows/peers/embedded-bus-does-not-ask", Fixture, NULL,
              fixture_setup_empty, test_embedded_bus_does_not_ask, fixture_teardown);
  g_test_add ("/ows/peers/upstream", Fixture, NULL,
              fixture_setup_empty, test_upstream, fixture_teardown);
  g_test_add ("/ows/peers/upstream-alive", Fixture, NULL,
              fixture_setup_empty, test_upstream_alive, fixture_teardown);
  g_test_add ("/ows/peers/headless-exits", Fixture, NULL,
              fixture_setup, test_headless_exits, fixture_teardown);

  g_test_add ("/ows/peers/alone-then-bus", Fixture, NULL,
              fixture_setup_empty, test_alone_then_bus, fixture_teardown);
  g_test_add ("/ows/peers/view-mirrors", Fixture, NULL,
              fixture_setup, test_view_mirrors, fixture_teardown);
  g_test_add ("/ows/peers/view-closes", Fixture, NULL,
              fixture_setup, test_view_closes, fixture_teardown);

  return g_test_run ();
}
