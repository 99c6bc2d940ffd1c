/* test-phone-client.c: "Set Up With a Phone" end to end: the bus, the hotspot program, the mock NetworkManager, the page.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A headless manager on an embedded bus, python3-dbusmock's NetworkManager
 * with a Wi-Fi device that can be an access point, and the real
 * ovos-wifi-setup-hotspot started by the client; its page is served on
 * 127.0.0.1 (the mock's hotspot has no address here) and driven with a real
 * HTTP client. Skipped without python3-dbusmock.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ows-phone-client-private.h"
#include "ows-phone-client.h"
#include "ows-registry.h"
#include "ows-test-bus.h"
#include "ows-test-nm.h"
#include "ows-test-recorder.h"
#include "src/ows-build-tree.h"

#define P OWS_PREFIX
#define HOME_PASSWORD "correct horse"
#define NM_CAP_AP 0x40  /* NM_WIFI_DEVICE_CAP_AP */

typedef struct {
  OwsTestNm *nm;
  char *device;
  OwsTestBus bus;
  OwsPhoneClient *client;
  SoupSession *session;
} Fixture;

static void
override_minutes (Fixture    *f,
                  const char *key,
                  double      minutes)
{
  g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), minutes);

  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, key, node);
}

/* A Wi-Fi device that can be an access point, two networks in range, and a
 * manager with the client; the test overrides config before start_client. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean ap = GPOINTER_TO_INT (data) == 0;

  f->nm = ows_test_nm_new (TRUE);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  f->device = ows_test_nm_add_wifi_device (f->nm, "wlan0", "wlan0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  ows_test_nm_set_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "WirelessCapabilities",
                            g_variant_new_uint32 (ap ? NM_CAP_AP | 0x1f : 0x1f));
  ows_test_nm_add_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (1000));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 70, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "evil", "<script>x</script>", 30,
                                        OWS_TEST_NM_SEC_NONE));
  ows_test_bus_init (&f->bus, TRUE);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
start_client (Fixture *f)
{
  /* Port 80 is for the device; tests run side by side. */
  g_autoptr(JsonNode) port = json_node_init_int (json_node_alloc (), ows_test_free_port ());

  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_port", port);
  ows_test_bus_start (&f->bus);
  f->client = ows_phone_client_new (f->bus.service, FALSE);
  ows_phone_client_set_test_address (f->client, "127.0.0.1");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  if (f->client != NULL)
    g_assert_finalize_object (f->client);
  ows_test_bus_teardown (&f->bus);
  ows_test_nm_free (f->nm);
  g_free (f->device);
}

/* ---- the bus ---- */

static OwsMessage *
expect_registration (Fixture *f)
{
  for (;;)
    {
      g_autoptr(OwsMessage) message = ows_test_peer_wait (f->bus.peer, P "register.client",
                                                          OWS_TEST_TIMEOUT_MS);

      g_assert_nonnull (message);
      if (g_strcmp0 (json_object_get_string_member_with_default (ows_message_get_data (message),
                                                                 "client", NULL),
                     OWS_PHONE_CLIENT_NAME) == 0)
        return g_steal_pointer (&message);
    }
}

static void
activate (Fixture *f)
{
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_registered (f->client));
  g_assert_true (ows_phone_client_get_registered (f->client));
  ows_test_peer_send (f->bus.peer, P "set.active.client",
                      "{\"client\": \"" OWS_PHONE_CLIENT_NAME "\"}");
  /* The scan comes first; the mock's is over when the test says so. */
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection"), ==, 0);
  ows_test_nm_set_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (2000));
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_WAITING);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_WAITING);
}

static char *
spelled (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    g_string_append_printf (out, "%s%c", out->len > 0 ? ", " : "", *p);
  return g_string_free (out, FALSE);
}

static OwsMessage *
expect_speak (Fixture *f)
{
  OwsMessage *message = ows_test_peer_wait (f->bus.peer, "speak", OWS_TEST_TIMEOUT_MS);

  if (message == NULL)
    g_error ("no speak frame within %d ms", OWS_TEST_TIMEOUT_MS);
  return message;
}

static void
assert_instructions (Fixture    *f,
                     OwsMessage *speak)
{
  const char *utterance = json_object_get_string_member (ows_message_get_data (speak), "utterance");
  g_autofree char *password = spelled (ows_phone_client_get_password (f->client));
  g_autofree char *suffix = spelled (ows_phone_client_get_ssid (f->client) + strlen ("OVOS-"));

  g_assert_nonnull (strstr (utterance, password));
  g_assert_nonnull (strstr (utterance, suffix));
}

static guint
n_profiles (Fixture *f)
{
  g_auto(GStrv) profiles = ows_test_nm_dup_connections (f->nm);

  return g_strv_length (profiles);
}

/* ---- the page ---- */

static char *
request (Fixture    *f,
         const char *method,
         const char *body,
         guint      *status)
{
  const char *url = ows_phone_client_get_url (f->client);
  g_autofree char *uri = g_strconcat (url, strcmp (method, "POST") == 0 ? "connect" : "", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static char *
token_of (const char *page)
{
  const char *at = strstr (page, "name=\"csrf\" value=\"");

  g_assert_nonnull (at);
  at += strlen ("name=\"csrf\" value=\"");
  return g_strndup (at, 32);
}

/* ---- the tests ---- */

static void
test_register (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(OwsMessage) registration = NULL;
  JsonObject *fields;

  start_client (f);
  registration = expect_registration (f);
  fields = ows_message_get_data (registration);
  g_assert_cmpstr (json_object_get_string_member (fields, "type"), ==, "Remote");
  g_assert_cmpstr (json_object_get_string_member (fields, "display_text"), ==, "Set Up With a Phone");
  g_assert_false (json_object_get_boolean_member (fields, "requires_input"));
  g_assert_false (json_object_get_boolean_member (fields, "has_gui"));
}

static void
test_no_access_point (Fixture       *f,
                      gconstpointer  data)
{
  start_client (f);
  ows_test_sleep (1000);
  g_assert_false (ows_phone_client_get_registered (f->client));
  ows_test_peer_assert_count (f->bus.peer, P "register.client", 0);
}

static void
test_turned_off (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) off = json_node_init_boolean (json_node_alloc (), FALSE);

  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup", off);
  ows_test_bus_start (&f->bus);
  g_assert_null (ows_phone_client_new_if_enabled (f->bus.service, FALSE));
}

static void
test_password (void)
{
  g_autofree char *a = ows_phone_client_new_password ();
  g_autofree char *b = ows_phone_client_new_password ();
  g_autofree char *name = ows_phone_client_hotspot_name ();

  g_assert_cmpuint (strlen (a), >=, 10);
  g_assert_cmpuint (strspn (a, "abcdefghjkmnpqrstuvwxyz23456789"), ==, strlen (a));
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_str_has_prefix (name, "OVOS-"));
  g_assert_cmpuint (strlen (name), ==, 9);
}

/* Headless: the hotspot comes up, it is said (name and password spelled),
 * the phone's choice is joined, and the setup ends like any other client's. */
static void
test_activate_and_join (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OwsMessage) speak = NULL;
  g_autoptr(OwsMessage) again = NULL;
  g_autoptr(OwsMessage) removed = NULL;
  g_autoptr(OwsTestRecorder) recorder = NULL;
  g_autofree char *page = NULL;
  g_autofree char *token = NULL;
  g_autofree char *form = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *password = NULL;
  guint status = 0;

  recorder = ows_test_recorder_new (f->bus.url);
  start_client (f);
  activate (f);
  g_assert_true (g_str_has_prefix (ows_phone_client_get_url (f->client), "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (ows_phone_client_get_ssid (f->client), "OVOS-"));
  password = g_strdup (ows_phone_client_get_password (f->client));
  g_assert_nonnull (password);

  speak = expect_speak (f);
  assert_instructions (f, speak);

  /* Asked again, said again. */
  ows_test_peer_send (f->bus.peer, OWS_PHONE_CLIENT_REPEAT, NULL);
  again = expect_speak (f);
  assert_instructions (f, again);

  page = request (f, "GET", NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (page, "Home"));
  g_assert_null (strstr (page, "<script>x"));
  g_assert_nonnull (strstr (page, "&lt;script&gt;x"));
  token = token_of (page);

  form = g_strdup_printf ("csrf=%s&network=Home&password=correct+horse", token);
  answer = request (f, "POST", form, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_null (strstr (answer, HOME_PASSWORD));
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_CONNECTING);
  g_assert_cmpstr (ows_phone_client_get_sentence (f->client), ==, "Home");

  removed = ows_test_peer_wait (f->bus.peer, P "remove.active.client", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (removed);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (removed), "client"), ==,
                   OWS_PHONE_CLIENT_NAME);
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_IDLE);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_IDLE);
  /* Neither password went over the bus, except the hotspot's, spelled. */
  g_assert_cmpuint (ows_test_recorder_count (recorder, HOME_PASSWORD), ==, 0);
  g_assert_cmpuint (ows_test_recorder_count (recorder, password), ==, 0);
}

/* Nobody on the page: said again, then the hotspot stops and the manager
 * hears that the client failed. */
static void
test_remind_and_give_up (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OwsMessage) first = NULL;
  g_autoptr(OwsMessage) reminder = NULL;
  g_autoptr(OwsMessage) failure = NULL;

  override_minutes (f, "phone_setup_remind", 0.02);   /* 1.2 s */
  override_minutes (f, "phone_setup_timeout", 0.05);  /* 3 s */
  start_client (f);
  activate (f);
  first = expect_speak (f);
  reminder = expect_speak (f);
  assert_instructions (f, reminder);
  failure = ows_test_peer_wait (f->bus.peer, P "client.setup.failure", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (failure);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (failure), "client"), ==,
                   OWS_PHONE_CLIENT_NAME);
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_IDLE);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_IDLE);
}

/* Someone opened the page: no reminder. */
static void
test_visitor_stops_reminder (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OwsMessage) first = NULL;
  g_autofree char *page = NULL;
  guint status = 0;

  override_minutes (f, "phone_setup_remind", 0.02);
  start_client (f);
  activate (f);
  first = expect_speak (f);
  page = request (f, "GET", NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  ows_test_peer_assert_none (f->bus.peer, "speak", 2500);
}

/* Sent away (Connect Later, another client, Back): the hotspot program ends, and the
 * device is back on the network it had before. */
static void
test_deactivate (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *home = ows_test_nm_add_wifi_connection (f->nm, f->device, "Home", "Home", "wpa-psk");
  g_autoptr(GPtrArray) calls = NULL;
  g_auto(GStrv) profiles = NULL;
  const char *profile = NULL;

  g_free (ows_test_nm_activate_wifi (f->nm, f->device, home, OWS_TEST_NM_PATH "/AccessPoint/home"));
  start_client (f);
  activate (f);
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection"), ==, 0);
  /* "Connect Later": nothing else is activated after it (user.activated
   * would activate the only client that needs no input again, headless). */
  ows_test_peer_send (f->bus.peer, P "skip.setup", NULL);
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_IDLE);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_IDLE);
  g_assert_null (ows_phone_client_get_password (f->client));
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection", 1,
                                         OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection");
  g_variant_get_child (g_ptr_array_index (calls, 0), 0, "&o", &profile);
  g_assert_cmpstr (profile, ==, home);
  /* and no hotspot profile is left behind */
  OWS_TEST_WAIT_UNTIL (n_profiles (f) == 1);
  profiles = ows_test_nm_dup_connections (f->nm);
  g_assert_cmpuint (g_strv_length (profiles), ==, 1);
  g_assert_cmpstr (profiles[0], ==, home);
}

/* A wrong password for the home network: the same hotspot comes back (the
 * phone rejoins it by itself), the page and the voice say what went wrong,
 * and the next try goes through. */
static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OwsMessage) instructions = NULL;
  g_autoptr(OwsMessage) said = NULL;
  g_autoptr(OwsMessage) removed = NULL;
  g_autofree char *page = NULL;
  g_autofree char *retry_page = NULL;
  g_autofree char *form = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) profiles = NULL;
  guint status = 0;

  start_client (f);
  activate (f);
  instructions = expect_speak (f);
  page = request (f, "GET", NULL, &status);
  token = token_of (page);
  form = g_strdup_printf ("csrf=%s&network=Home&password=wrong+horse", token);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  answer = request (f, "POST", form, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection", 2,
                                         OWS_TEST_TIMEOUT_MS));
  /* As NetworkManager would, the device fails after the profile is known. */
  OWS_TEST_WAIT_UNTIL ((profiles = ows_test_nm_dup_connections (f->nm)) != NULL &&
              g_strv_length (profiles) >= 2);
  ows_test_sleep (500);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_NO_SECRETS);

  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_RETRY);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_RETRY);
  g_assert_nonnull (strstr (ows_phone_client_get_sentence (f->client), "Home"));
  said = expect_speak (f);
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (said), "utterance"), ==,
                   ows_phone_client_get_sentence (f->client));
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection"), ==, 3);
  retry_page = request (f, "GET", NULL, &status);
  g_assert_nonnull (strstr (retry_page, "Home"));
  g_assert_null (strstr (retry_page, "wrong horse"));

  /* The right one now. */
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&form, g_free);
  g_clear_pointer (&answer, g_free);
  token = token_of (retry_page);
  form = g_strdup_printf ("csrf=%s&network=Home&password=correct+horse", token);
  answer = request (f, "POST", form, &status);
  removed = ows_test_peer_wait (f->bus.peer, P "remove.active.client", OWS_TEST_TIMEOUT_MS);
  g_assert_nonnull (removed);
}

/* mycroft.conf's phone_setup_remind, phone_setup_timeout and
 * phone_setup_port that are no numbers, or out of range: a warning each, and
 * the default; the setup runs all the same. */
static void
test_bad_config (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) ten = json_node_init_string (json_node_alloc (), "ten");
  g_autoptr(JsonNode) negative = json_node_init_int (json_node_alloc (), -3);
  g_autoptr(JsonNode) port = json_node_init_int (json_node_alloc (), 70000);
  const char *url;

  start_client (f);
  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_remind", ten);
  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_timeout", negative);
  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_port", port);
  g_test_expect_message ("ows-phone", G_LOG_LEVEL_WARNING,
                         "mycroft.conf: phone_setup_port must be a port number from 1 to 65535; using 80");
  g_test_expect_message ("ows-phone", G_LOG_LEVEL_WARNING,
                         "mycroft.conf: phone_setup_remind must be a number of minutes above 0; using 10");
  g_test_expect_message ("ows-phone", G_LOG_LEVEL_WARNING,
                         "mycroft.conf: phone_setup_timeout must be a number of minutes above 0; using 30");
  activate (f);
  g_test_assert_expected_messages ();
  /* Port 80, or 8080 where this test may not bind it. */
  url = ows_phone_client_get_url (f->client);
  g_assert_true (g_str_equal (url, "http://127.0.0.1/") || g_str_equal (url, "http://127.0.0.1:8080/"));
}

/* The hotspot program's command line, as a packager or a person may get it
 * wrong: exit 2 and one sentence, and nothing asked of NetworkManager. */
static void
test_program_usage (void)
{
  static const struct {
    const char *args[4];
    const char *input;
    const char *says;
  } cases[] = {
    { { NULL }, "abcdefghjk\n", "--ssid" },
    { { "--ssid", "OVOS-0123456789012345678901234567", NULL }, "abcdefghjk\n", "--ssid" },
    { { "--ssid", "OVOS-TEST", "--port=0", NULL }, "abcdefghjk\n", "--port" },
    { { "--ssid", "OVOS-TEST", "--port=http", NULL }, "abcdefghjk\n", "--port" },
    { { "--ssid", "OVOS-TEST", NULL }, "short\n", "password" },
    { { "--ssid", "OVOS-TEST", NULL }, "", "password" },
    { { "--ssid", "OVOS-TEST", "--bogus", NULL }, "abcdefghjk\n", "--bogus" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer) OWS_BUILD_HOTSPOT_PROGRAM);
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) cases[i].args[j]);
      g_ptr_array_add (argv, NULL);
      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, cases[i].input, NULL, &out, &err,
                                                    &error));
      g_assert_no_error (error);
      g_test_message ("case %u: %s", i, err);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].says));
      g_assert_cmpstr (out, ==, "");
    }
}

static void
skip_unavailable (gconstpointer data)
{
  g_test_skip ("python3-dbusmock (/usr/bin/python3) or dbus-daemon is missing");
}

int
main (int   argc,
      char *argv[])
{
  gboolean available;

  ows_test_init (&argc, &argv);
  available = ows_test_nm_available ();
  if (available)
    ows_test_nm_ensure_bus ();

#define ADD(path, ap, func) \
  G_STMT_START { \
    if (available) \
      g_test_add ("/ows/phone-client/" path, Fixture, GINT_TO_POINTER (ap ? 0 : 1), \
                  fixture_setup, func, fixture_teardown); \
    else \
      g_test_add_data_func ("/ows/phone-client/" path, NULL, skip_unavailable); \
  } G_STMT_END

  g_test_add_func ("/ows/phone-client/password", test_password);
  g_test_add_func ("/ows/phone-client/program-usage", test_program_usage);
  ADD ("register", TRUE, test_register);
  ADD ("no-access-point", FALSE, test_no_access_point);
  ADD ("turned-off", TRUE, test_turned_off);
  ADD ("activate-and-join", TRUE, test_activate_and_join);
  ADD ("remind-and-give-up", TRUE, test_remind_and_give_up);
  ADD ("visitor-stops-reminder", TRUE, test_visitor_stops_reminder);
  ADD ("wrong-password", TRUE, test_wrong_password);
  ADD ("deactivate", TRUE, test_deactivate);
  ADD ("bad-config", TRUE, test_bad_config);

  return g_test_run ();
}
