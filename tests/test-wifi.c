/* test-wifi.c: the Wi-Fi model and the built-in client, through real libnm, against a mock NetworkManager.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each test gets a fresh python3-dbusmock NetworkManager (tests/ows-test-nm.h)
 * with one Wi-Fi device, DISCONNECTED; it adds access points and profiles,
 * starts OwsWifi, and checks both sides: what the model shows, and what the
 * app asked NetworkManager for (the mock's call log). Failures are driven one
 * way per attempt: a replaced AddAndActivateConnection, or the device's
 * State/StateReason and StateChanged. The client tests add a manager on an
 * embedded bus (tests/ows-test-bus.h). Skipped without python3-dbusmock.
 */
#include <string.h>

#include "config.h"
#include "ows-registry.h"
#include "ows-test-bus.h"
#include "ows-test-nm.h"
#include "ows-test-recorder.h"
#include "ows-wifi-client.h"
#include "ows-wifi.h"

#define P OWS_PREFIX
#define PASSWORD "correct horse"

typedef struct {
  OwsTestNm *nm;
  char *device;         /* wlan0, NULL in the "absent" fixtures */
  OwsWifi *wifi;
  GArray *changes;      /* Change, one per items-changed */
  GArray *attempts;     /* OwsWifiAttempt, one per notify::attempt */
  /* client tests */
  OwsTestBus bus;
  gboolean has_bus;
  OwsWifiClient *client;
} Fixture;

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

/* ---- what is logged ---- */

/* A password no log line may contain while set, and how often one did. */
static const char *secret;
static guint secret_logged;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         data)
{
  for (gsize i = 0; secret != NULL && i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") &&
        g_strstr_len (fields[i].value, fields[i].length, secret) != NULL)
      secret_logged++;
  return g_log_writer_default (level, fields, n_fields, data);
}

/* ---- waiting ---- */

/* Long enough for anything the mock or libnm had in flight to arrive: for
 * checking that something did not happen. */
static void
settle (void)
{
  ows_test_sleep (300);
}

static void
wait_state (Fixture      *f,
            OwsWifiState  state)
{
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_state (f->wifi) == state);
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, state);
}

static void
wait_attempt (Fixture        *f,
              OwsWifiAttempt  attempt)
{
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == attempt);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, attempt);
}

static guint
n_items (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (f->wifi));
}

static void
wait_items (Fixture *f,
            guint    count)
{
  OWS_TEST_WAIT_UNTIL (n_items (f) == count);
  g_assert_cmpuint (n_items (f), ==, count);
}

static gboolean
attempts_include (Fixture        *f,
                  OwsWifiAttempt  attempt)
{
  for (guint i = 0; i < f->attempts->len; i++)
    if (g_array_index (f->attempts, OwsWifiAttempt, i) == attempt)
      return TRUE;
  return FALSE;
}

/* ---- the model ---- */

/* The network of @ssid (transfer full), its position in @position; NULL if
 * not listed. */
static OwsWifiNetwork *
find_network (Fixture    *f,
              const char *ssid,
              guint      *position)
{
  for (guint i = 0; i < n_items (f); i++)
    {
      g_autoptr(OwsWifiNetwork) network = g_list_model_get_item (G_LIST_MODEL (f->wifi), i);

      if (g_strcmp0 (ows_wifi_network_get_ssid (network), ssid) == 0)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&network);
        }
    }
  return NULL;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change change = { position, removed, added };

  g_assert_cmpuint (g_list_model_get_n_items (model), >=, added);
  g_array_append_val (f->changes, change);
}

static void
attempt_cb (OwsWifi    *wifi,
            GParamSpec *pspec,
            Fixture    *f)
{
  OwsWifiAttempt attempt = ows_wifi_get_attempt (wifi);

  g_array_append_val (f->attempts, attempt);
}

/* OwsWifi on the mock as the test has set it up: READY when this returns,
 * unless the test expects otherwise. */
static void
start_wifi (Fixture *f)
{
  f->wifi = ows_wifi_new ();
  g_signal_connect (f->wifi, "items-changed", G_CALLBACK (items_changed_cb), f);
  g_signal_connect (f->wifi, "notify::attempt", G_CALLBACK (attempt_cb), f);
}

static void
start_wifi_ready (Fixture *f,
                  guint    networks)
{
  start_wifi (f);
  wait_state (f, OWS_WIFI_STATE_READY);
  wait_items (f, networks);
}

/* ---- fixtures ---- */

static void
fixture_init (Fixture *f)
{
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  f->attempts = g_array_new (FALSE, FALSE, sizeof (OwsWifiAttempt));
}

/* NetworkManager with one Wi-Fi device, no access point yet. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_init (f);
  f->nm = ows_test_nm_new (TRUE);
  f->device = ows_test_nm_add_wifi_device (f->nm, "wlan0", "wlan0",
                                           OWS_TEST_NM_DEVICE_DISCONNECTED);
}

/* No NetworkManager running yet, no device. */
static void
absent_setup (Fixture       *f,
              gconstpointer  data)
{
  fixture_init (f);
  f->nm = ows_test_nm_new (FALSE);
}

/* The bus, the manager and the peer; the client is the test's to start. */
static void
bus_init (Fixture *f)
{
  ows_test_bus_setup (&f->bus, TRUE);
  f->has_bus = TRUE;
}

static void
bus_setup (Fixture       *f,
           gconstpointer  data)
{
  fixture_setup (f, data);
  bus_init (f);
}

static void
absent_bus_setup (Fixture       *f,
                  gconstpointer  data)
{
  absent_setup (f, data);
  bus_init (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->client != NULL)
    g_assert_finalize_object (f->client);
  if (f->wifi != NULL)
    g_assert_finalize_object (f->wifi);
  if (f->has_bus)
    ows_test_bus_teardown (&f->bus);
  ows_test_nm_free (f->nm);
  g_free (f->device);
  g_array_unref (f->changes);
  g_array_unref (f->attempts);
}

/* ---- what the app asked NetworkManager ---- */

/* The @index-th AddAndActivateConnection, (a{sa{sv}}, o device, o access
 * point), after waiting for it (transfer full). */
static GVariant *
added_call (Fixture *f,
            guint    index)
{
  g_autoptr(GPtrArray) calls = NULL;
  GVariant *call;

  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection",
                                         index + 1, OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection");
  call = g_ptr_array_index (calls, index);
  g_assert_true (g_variant_is_of_type (call, G_VARIANT_TYPE ("(a{sa{sv}}oo)")));
  return g_variant_ref (call);
}

/* Its settings only. */
static GVariant *
added_settings (Fixture *f,
                guint    index)
{
  g_autoptr(GVariant) call = added_call (f, index);

  return g_variant_get_child_value (call, 0);
}

static const char *
call_path (GVariant *call,
           guint     index)
{
  const char *path = NULL;

  g_variant_get_child (call, index, "&o", &path);
  return path;
}

static void
assert_setting_string (GVariant   *settings,
                       const char *setting,
                       const char *key,
                       const char *expected)
{
  g_autoptr(GVariant) value = ows_test_nm_lookup_setting (settings, setting, key);

  if (expected == NULL)
    {
      g_assert_null (value);
      return;
    }
  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, expected);
}

static void
assert_ssid (GVariant   *settings,
             const char *ssid)
{
  g_autoptr(GVariant) value = ows_test_nm_lookup_setting (settings, "802-11-wireless", "ssid");
  gsize length = 0;
  const guchar *bytes;

  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING));
  bytes = g_variant_get_fixed_array (value, &length, 1);
  g_assert_cmpmem (bytes, length, ssid, strlen (ssid));
}

/* The @count-th AddAndActivateConnection, replaced by a PENDING one, has
 * left the device activating; the model has had the time to hear the reply
 * (nothing it shows tells), and the attempt is in progress. */
static void
wait_activating (Fixture *f,
                 guint    count)
{
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection", count,
                                         OWS_TEST_TIMEOUT_MS));
  settle ();
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_CONNECTING);
}

static guint
count_activations (Fixture *f)
{
  return ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection") +
         ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection");
}

static gboolean
connections_contain (Fixture    *f,
                     const char *path)
{
  g_auto(GStrv) connections = ows_test_nm_dup_connections (f->nm);

  return g_strv_contains ((const char * const *) connections, path);
}

static guint
count_connections (Fixture *f)
{
  g_auto(GStrv) connections = ows_test_nm_dup_connections (f->nm);

  return g_strv_length (connections);
}

static char *
device_active_connection (Fixture *f)
{
  g_autoptr(GVariant) value = ows_test_nm_get_property (f->nm, f->device, OWS_TEST_NM_DEVICE_IFACE,
                                                        "ActiveConnection");

  return g_variant_dup_string (value, NULL);
}

/* ---- the list ---- */

/* One row per SSID, the strongest access point speaking for it; connected,
 * then saved, then by signal; security from the flags; no hidden ones. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  const struct {
    const char *ssid;
    guint strength;
    OwsWifiSecurity security;
    gboolean connected;
    gboolean saved;
  } expected[] = {
    { "Connected", 10, OWS_WIFI_SECURITY_PERSONAL, TRUE, TRUE },
    { "Saved", 20, OWS_WIFI_SECURITY_PERSONAL, FALSE, TRUE },
    { "Home", 80, OWS_WIFI_SECURITY_PERSONAL, FALSE, FALSE },
    { "Office", 60, OWS_WIFI_SECURITY_ENTERPRISE, FALSE, FALSE },
    { "Modern", 50, OWS_WIFI_SECURITY_SAE, FALSE, FALSE },
    { "Cafe", 40, OWS_WIFI_SECURITY_NONE, FALSE, FALSE },
  };
  g_autofree char *connected_ap = NULL;
  g_autofree char *connected_profile = NULL;
  g_autofree char *active = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home1", "Home", 30, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "cafe", "Cafe", 40, OWS_TEST_NM_SEC_NONE));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home2", "Home", 80, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "office", "Office", 60,
                                        OWS_TEST_NM_SEC_8021X));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "modern", "Modern", 50,
                                        OWS_TEST_NM_SEC_SAE));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "hidden", "", 90, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "saved", "Saved", 20, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_wifi_connection (f->nm, f->device, "saved_profile", "Saved", "wpa-psk"));
  connected_ap = ows_test_nm_add_access_point (f->nm, f->device, "connected", "Connected", 10,
                                               OWS_TEST_NM_SEC_PSK);
  connected_profile = ows_test_nm_add_wifi_connection (f->nm, f->device, "connected_profile",
                                                       "Connected", "wpa-psk");
  active = ows_test_nm_activate_wifi (f->nm, f->device, connected_profile, connected_ap);

  start_wifi_ready (f, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(OwsWifiNetwork) network = g_list_model_get_item (G_LIST_MODEL (f->wifi), i);

      g_test_message ("row %u: %s", i, ows_wifi_network_get_ssid (network));
      g_assert_true (OWS_IS_WIFI_NETWORK (network));
      g_assert_cmpstr (ows_wifi_network_get_ssid (network), ==, expected[i].ssid);
      g_assert_cmpuint (ows_wifi_network_get_strength (network), ==, expected[i].strength);
      g_assert_cmpint (ows_wifi_network_get_security (network), ==, expected[i].security);
      g_assert_cmpint (ows_wifi_network_get_connected (network), ==, expected[i].connected);
      g_assert_cmpint (ows_wifi_network_get_saved (network), ==, expected[i].saved);
      g_assert_cmpuint (ows_wifi_network_get_signal_level (network), >=, 1);
      g_assert_cmpuint (ows_wifi_network_get_signal_level (network), <=, 4);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->wifi), G_N_ELEMENTS (expected)));
  g_assert_cmpint (g_list_model_get_item_type (G_LIST_MODEL (f->wifi)), ==, OWS_TYPE_WIFI_NETWORK);

  /* what the screen offers for each */
  {
    g_autoptr(OwsWifiNetwork) home = find_network (f, "Home", NULL);
    g_autoptr(OwsWifiNetwork) saved = find_network (f, "Saved", NULL);
    g_autoptr(OwsWifiNetwork) office = find_network (f, "Office", NULL);
    g_autoptr(OwsWifiNetwork) cafe = find_network (f, "Cafe", NULL);
    g_autoptr(OwsWifiNetwork) modern = find_network (f, "Modern", NULL);

    g_assert_true (ows_wifi_network_needs_password (home));
    g_assert_true (ows_wifi_network_needs_password (modern));
    g_assert_false (ows_wifi_network_needs_password (saved));
    g_assert_false (ows_wifi_network_needs_password (cafe));
    g_assert_false (ows_wifi_network_is_supported (office));
    g_assert_false (ows_wifi_network_needs_password (office));
    g_assert_true (ows_wifi_network_is_supported (modern));
    g_assert_true (ows_wifi_network_is_supported (cafe));
  }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Networks come and go as NetworkManager sees them; a change of signal
 * updates the row in place. */
static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *beta = NULL;
  g_autofree char *gamma = NULL;
  g_autofree char *alpha_strong = NULL;
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(OwsWifiNetwork) again = NULL;
  g_autoptr(OwsWifiNetwork) alpha = NULL;
  guint position = G_MAXUINT;
  guint strength_notifies = 0;
  guint level_notifies = 0;
  guint level;

  alpha_strong = ows_test_nm_add_access_point (f->nm, f->device, "alpha", "Alpha", 50,
                                               OWS_TEST_NM_SEC_PSK);
  start_wifi_ready (f, 1);

  /* one comes */
  g_array_set_size (f->changes, 0);
  beta = ows_test_nm_add_access_point (f->nm, f->device, "beta", "Beta", 70, OWS_TEST_NM_SEC_NONE);
  wait_items (f, 2);
  g_assert_cmpuint (f->changes->len, >=, 1);
  network = find_network (f, "Beta", &position);
  g_assert_nonnull (network);
  g_assert_cmpuint (ows_wifi_network_get_strength (network), ==, 70);
  g_assert_cmpuint (position, ==, 0);   /* stronger than Alpha */
  g_clear_object (&network);

  /* it goes */
  g_array_set_size (f->changes, 0);
  ows_test_nm_remove_access_point (f->nm, f->device, beta);
  wait_items (f, 1);
  g_assert_cmpuint (f->changes->len, >=, 1);
  g_assert_null (find_network (f, "Beta", NULL));

  /* a weaker one, below Alpha; then its signal rises above Alpha's */
  gamma = ows_test_nm_add_access_point (f->nm, f->device, "gamma", "Gamma", 30, OWS_TEST_NM_SEC_PSK);
  wait_items (f, 2);
  network = find_network (f, "Gamma", &position);
  g_assert_cmpuint (position, ==, 1);
  level = ows_wifi_network_get_signal_level (network);
  g_signal_connect (network, "notify::strength", G_CALLBACK (count_notify_cb), &strength_notifies);
  g_signal_connect (network, "notify::signal-level", G_CALLBACK (count_notify_cb), &level_notifies);
  g_array_set_size (f->changes, 0);
  ows_test_nm_set_property (f->nm, gamma, OWS_TEST_NM_AP_IFACE, "Strength", g_variant_new_byte (95));
  OWS_TEST_WAIT_UNTIL (ows_wifi_network_get_strength (network) == 95);
  g_assert_cmpuint (ows_wifi_network_get_strength (network), ==, 95);
  settle ();
  g_assert_cmpuint (strength_notifies, >=, 1);
  g_assert_cmpuint (ows_wifi_network_get_signal_level (network), >, level);
  g_assert_cmpuint (level_notifies, >=, 1);
  /* the same object, in the same place: the row does not jump */
  again = find_network (f, "Gamma", &position);
  g_assert_true (again == network);
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_signal_handlers_disconnect_by_data (network, &strength_notifies);
  g_signal_handlers_disconnect_by_data (network, &level_notifies);

  /* two access points named Alpha: the stronger one goes, the row stays with the other */
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "alpha2", "Alpha", 20, OWS_TEST_NM_SEC_PSK));
  settle ();
  g_assert_cmpuint (n_items (f), ==, 2);
  alpha = find_network (f, "Alpha", NULL);
  g_assert_cmpuint (ows_wifi_network_get_strength (alpha), ==, 50);
  ows_test_nm_remove_access_point (f->nm, f->device, alpha_strong);
  OWS_TEST_WAIT_UNTIL (ows_wifi_network_get_strength (alpha) == 20);
  g_assert_cmpuint (ows_wifi_network_get_strength (alpha), ==, 20);
  g_assert_cmpuint (n_items (f), ==, 2);
}

/* ---- joining ---- */

static void
test_connect_open (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GVariant) call = NULL;
  g_autoptr(GVariant) settings = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "cafe", "Cafe", 60, OWS_TEST_NM_SEC_NONE));
  start_wifi_ready (f, 1);
  network = find_network (f, "Cafe", NULL);
  g_assert_false (ows_wifi_network_needs_password (network));
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_NONE);

  g_assert_true (ows_wifi_connect (f->wifi, network, NULL));
  g_assert_cmpstr (ows_wifi_get_attempt_ssid (f->wifi), ==, "Cafe");
  g_assert_cmpint (ows_wifi_get_attempt_security (f->wifi), ==, OWS_WIFI_SECURITY_NONE);
  call = added_call (f, 0);
  settings = g_variant_get_child_value (call, 0);
  assert_ssid (settings, "Cafe");
  g_assert_null (ows_test_nm_lookup_setting (settings, "802-11-wireless-security", "key-mgmt"));
  g_assert_null (ows_test_nm_lookup_setting (settings, "802-11-wireless-security", "psk"));
  g_assert_cmpstr (call_path (call, 1), ==, f->device);

  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
  g_assert_cmpint (g_array_index (f->attempts, OwsWifiAttempt, 0), ==, OWS_WIFI_ATTEMPT_CONNECTING);
  g_assert_null (ows_wifi_get_attempt_error (f->wifi));
  g_assert_cmpuint (count_activations (f), ==, 1);
}

/* WPA2 Personal: the password goes to NetworkManager, in the profile. */
static void
test_connect_wpa (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GVariant) call = NULL;
  g_autoptr(GVariant) settings = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);
  g_assert_true (ows_wifi_network_needs_password (network));

  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  g_assert_cmpint (ows_wifi_get_attempt_security (f->wifi), ==, OWS_WIFI_SECURITY_PERSONAL);
  call = added_call (f, 0);
  settings = g_variant_get_child_value (call, 0);
  assert_ssid (settings, "Home");
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "wpa-psk");
  assert_setting_string (settings, "802-11-wireless-security", "psk", PASSWORD);
  g_assert_cmpstr (call_path (call, 1), ==, f->device);

  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
  g_assert_true (attempts_include (f, OWS_WIFI_ATTEMPT_CONNECTING));
  g_assert_cmpstr (ows_wifi_get_attempt_ssid (f->wifi), ==, "Home");
}

/* WPA3 Personal (the template cannot activate SAE: the replaced method can). */
static void
test_connect_sae (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GVariant) settings = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "modern", "Modern", 60,
                                        OWS_TEST_NM_SEC_SAE));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  start_wifi_ready (f, 1);
  network = find_network (f, "Modern", NULL);
  g_assert_cmpint (ows_wifi_network_get_security (network), ==, OWS_WIFI_SECURITY_SAE);

  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  settings = added_settings (f, 0);
  assert_ssid (settings, "Modern");
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "sae");
  assert_setting_string (settings, "802-11-wireless-security", "psk", PASSWORD);
  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
}

/* A network that does not say its name: the profile says it is hidden. */
static void
test_connect_hidden (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GVariant) call = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) hidden = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "hidden", "", 70, OWS_TEST_NM_SEC_PSK));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  start_wifi_ready (f, 0);

  /* a password that cannot be: nothing is sent */
  g_assert_false (ows_wifi_connect_hidden (f->wifi, "Secret Lab", OWS_WIFI_SECURITY_PERSONAL,
                                           "short"));
  settle ();
  g_assert_cmpuint (count_activations (f), ==, 0);

  g_assert_true (ows_wifi_connect_hidden (f->wifi, "Secret Lab", OWS_WIFI_SECURITY_PERSONAL,
                                          PASSWORD));
  g_assert_cmpstr (ows_wifi_get_attempt_ssid (f->wifi), ==, "Secret Lab");
  call = added_call (f, 0);
  settings = g_variant_get_child_value (call, 0);
  assert_ssid (settings, "Secret Lab");
  hidden = ows_test_nm_lookup_setting (settings, "802-11-wireless", "hidden");
  g_assert_nonnull (hidden);
  g_assert_true (g_variant_get_boolean (hidden));
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "wpa-psk");
  assert_setting_string (settings, "802-11-wireless-security", "psk", PASSWORD);
  g_assert_cmpstr (call_path (call, 1), ==, f->device);
  g_assert_cmpstr (call_path (call, 2), ==, "/");
  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
}

static void
test_password_valid (void)
{
  const struct {
    OwsWifiSecurity security;
    char fill;
    guint length;
    gboolean valid;
  } cases[] = {
    { OWS_WIFI_SECURITY_PERSONAL, 'x', 0, FALSE },
    { OWS_WIFI_SECURITY_PERSONAL, 'x', 7, FALSE },
    { OWS_WIFI_SECURITY_PERSONAL, 'x', 8, TRUE },
    { OWS_WIFI_SECURITY_PERSONAL, ' ', 8, TRUE },
    { OWS_WIFI_SECURITY_PERSONAL, 'x', 63, TRUE },
    { OWS_WIFI_SECURITY_PERSONAL, 'x', 64, FALSE },   /* 64, not hexadecimal */
    { OWS_WIFI_SECURITY_PERSONAL, 'f', 64, TRUE },    /* 64 hexadecimal digits: the key itself */
    { OWS_WIFI_SECURITY_PERSONAL, 'F', 64, TRUE },
    { OWS_WIFI_SECURITY_PERSONAL, '0', 65, FALSE },
    { OWS_WIFI_SECURITY_PERSONAL, 'x', 65, FALSE },
    { OWS_WIFI_SECURITY_SAE, 'x', 7, FALSE },
    { OWS_WIFI_SECURITY_SAE, 'x', 8, TRUE },
    { OWS_WIFI_SECURITY_SAE, 'x', 63, TRUE },
    { OWS_WIFI_SECURITY_SAE, 'x', 65, FALSE },
    { OWS_WIFI_SECURITY_NONE, 'x', 0, TRUE },
    { OWS_WIFI_SECURITY_NONE, 'x', 3, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *password = g_strnfill (cases[i].length, cases[i].fill);

      g_test_message ("case %u: security %d, %u × '%c'", i, cases[i].security, cases[i].length,
                      cases[i].fill);
      g_assert_cmpint (ows_wifi_password_is_valid (cases[i].security, password), ==, cases[i].valid);
    }
  g_assert_true (ows_wifi_password_is_valid (OWS_WIFI_SECURITY_PERSONAL,
                                             "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef"));
  g_assert_false (ows_wifi_password_is_valid (OWS_WIFI_SECURITY_PERSONAL,
                                              "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"));
  /* eight characters (sixteen bytes) is valid however it is counted */
  g_assert_true (ows_wifi_password_is_valid (OWS_WIFI_SECURITY_PERSONAL,
                                             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
}

/* A password that cannot be right is refused here: NetworkManager hears nothing. */
static void
test_password_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autofree char *too_long = g_strnfill (65, 'a');
  g_autofree char *not_hex = g_strnfill (64, 'x');

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);
  ows_test_nm_clear_calls (f->nm, OWS_TEST_NM_PATH);

  g_assert_false (ows_wifi_connect (f->wifi, network, "1234567"));
  g_assert_false (ows_wifi_connect (f->wifi, network, too_long));
  g_assert_false (ows_wifi_connect (f->wifi, network, not_hex));
  g_assert_false (ows_wifi_connect (f->wifi, network, NULL));
  settle ();
  g_assert_cmpuint (count_activations (f), ==, 0);
  g_assert_cmpuint (count_connections (f), ==, 0);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_NONE);
  g_assert_cmpuint (f->attempts->len, ==, 0);
}

/* A saved profile is used as it is: no new one, no password. */
static void
test_connect_saved (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *profile = NULL;
  const char *connection = NULL;
  const char *device = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  profile = ows_test_nm_add_wifi_connection (f->nm, f->device, "home_profile", "Home", "wpa-psk");
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);
  OWS_TEST_WAIT_UNTIL (ows_wifi_network_get_saved (network));
  g_assert_true (ows_wifi_network_get_saved (network));
  g_assert_false (ows_wifi_network_needs_password (network));

  g_assert_true (ows_wifi_connect (f->wifi, network, NULL));
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection", 1,
                                         OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection");
  g_assert_cmpuint (calls->len, ==, 1);
  g_variant_get_child (g_ptr_array_index (calls, 0), 0, "&o", &connection);
  g_variant_get_child (g_ptr_array_index (calls, 0), 1, "&o", &device);
  g_assert_cmpstr (connection, ==, profile);
  g_assert_cmpstr (device, ==, f->device);
  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection"), ==, 0);
  g_assert_true (connections_contain (f, profile));
}

/* NetworkManager refuses at once (no secrets): wrong password; then the
 * right one works. */
static void
test_wrong_password_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_NO_SECRETS);
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);

  g_assert_true (ows_wifi_connect (f->wifi, network, "wrong password"));
  first = added_settings (f, 0);
  assert_setting_string (first, "802-11-wireless-security", "psk", "wrong password");
  wait_attempt (f, OWS_WIFI_ATTEMPT_WRONG_PASSWORD);
  g_assert_cmpstr (ows_wifi_get_attempt_ssid (f->wifi), ==, "Home");
  g_assert_cmpuint (count_connections (f), ==, 0);

  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_TEMPLATE);
  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  second = added_settings (f, 1);
  assert_setting_string (second, "802-11-wireless-security", "psk", PASSWORD);
  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
}

/* The device fails for want of secrets while activating: wrong password,
 * and the profile that failed is deleted; the right one then works. */
static void
test_wrong_password_device (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GVariant) second = NULL;
  g_auto(GStrv) connections = NULL;
  g_autofree char *failed = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);

  g_assert_true (ows_wifi_connect (f->wifi, network, "wrong password"));
  wait_activating (f, 1);
  connections = ows_test_nm_dup_connections (f->nm);
  g_assert_cmpuint (g_strv_length (connections), ==, 1);
  failed = g_strdup (connections[0]);

  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_NO_SECRETS);
  wait_attempt (f, OWS_WIFI_ATTEMPT_WRONG_PASSWORD);
  OWS_TEST_WAIT_UNTIL (!connections_contain (f, failed));
  g_assert_false (connections_contain (f, failed));
  /* deleting it disconnected the device: the verdict stands */
  settle ();
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_WRONG_PASSWORD);
  g_assert_null (ows_wifi_get_attempt_error (f->wifi));

  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_TEMPLATE);
  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  second = added_settings (f, 1);
  assert_setting_string (second, "802-11-wireless-security", "psk", PASSWORD);
  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
}

/* Other failures say what went wrong, in a sentence of their own. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autofree char *not_found = NULL;
  const char *dhcp;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);

  /* the network vanished */
  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  wait_activating (f, 1);
  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_SSID_NOT_FOUND);
  wait_attempt (f, OWS_WIFI_ATTEMPT_FAILED);
  g_assert_nonnull (ows_wifi_get_attempt_error (f->wifi));
  g_assert_cmpstr (ows_wifi_get_attempt_error (f->wifi), !=, "");
  not_found = g_strdup (ows_wifi_get_attempt_error (f->wifi));

  ows_wifi_reset_attempt (f->wifi);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_NONE);
  g_assert_null (ows_wifi_get_attempt_error (f->wifi));

  /* no address from DHCP */
  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_DISCONNECTED,
                                OWS_TEST_NM_REASON_NONE);
  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  wait_activating (f, 2);
  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_IP_CONFIG_UNAVAILABLE);
  wait_attempt (f, OWS_WIFI_ATTEMPT_FAILED);
  dhcp = ows_wifi_get_attempt_error (f->wifi);
  g_assert_nonnull (dhcp);
  g_assert_cmpstr (dhcp, !=, "");
  /* "says what": not one sentence for every failure */
  g_assert_cmpstr (dhcp, !=, not_found);
}

/* Stopping an attempt in progress deactivates it. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *active = NULL;
  const char *deactivated = NULL;

  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  start_wifi_ready (f, 1);
  network = find_network (f, "Home", NULL);

  g_assert_true (ows_wifi_connect (f->wifi, network, PASSWORD));
  wait_activating (f, 1);
  active = device_active_connection (f);
  g_assert_cmpstr (active, !=, "/");

  ows_wifi_cancel (f->wifi);
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "DeactivateConnection", 1,
                                         OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "DeactivateConnection");
  g_variant_get_child (g_ptr_array_index (calls, 0), 0, "&o", &deactivated);
  g_assert_cmpstr (deactivated, ==, active);
  wait_attempt (f, OWS_WIFI_ATTEMPT_NONE);
  /* the device's going down is not a failure */
  settle ();
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_NONE);
  g_assert_null (ows_wifi_get_attempt_error (f->wifi));
  g_assert_false (attempts_include (f, OWS_WIFI_ATTEMPT_FAILED));
  g_assert_false (attempts_include (f, OWS_WIFI_ATTEMPT_CONNECTED));
}

/* ---- the radio, the wire, NetworkManager itself ---- */

static gboolean
mock_wireless_enabled (Fixture *f)
{
  g_autoptr(GVariant) value = ows_test_nm_get_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE,
                                                        "WirelessEnabled");

  return g_variant_get_boolean (value);
}

static void
test_radio (Fixture       *f,
            gconstpointer  data)
{
  start_wifi_ready (f, 0);

  ows_test_nm_set_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "WirelessEnabled",
                            g_variant_new_boolean (FALSE));
  wait_state (f, OWS_WIFI_STATE_OFF);

  ows_wifi_enable (f->wifi);
  OWS_TEST_WAIT_UNTIL (mock_wireless_enabled (f));
  g_assert_true (mock_wireless_enabled (f));
  wait_state (f, OWS_WIFI_STATE_READY);

  ows_test_nm_set_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "WirelessHardwareEnabled",
                            g_variant_new_boolean (FALSE));
  wait_state (f, OWS_WIFI_STATE_HARDWARE_OFF);
  ows_test_nm_set_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "WirelessHardwareEnabled",
                            g_variant_new_boolean (TRUE));
  wait_state (f, OWS_WIFI_STATE_READY);
}

/* An Ethernet profile, active on @device: a wired connection as NM shows it. */
static char *
activate_wired (Fixture    *f,
                const char *device)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *profile = NULL;
  GVariant *settings = g_variant_new_parsed ("{'connection': {'id': <'Wired'>, "
                                             "'type': <'802-3-ethernet'>, 'uuid': <%s>}}",
                                             uuid);

  profile = ows_test_nm_add_connection (f->nm, settings);
  return ows_test_nm_add_active_connection (f->nm, device, profile, "/", "wired", 2);
}

static void
test_wired (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *ethernet = NULL;
  g_autofree char *active = NULL;

  ethernet = ows_test_nm_add_ethernet_device (f->nm, "eth0", "eth0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  start_wifi_ready (f, 0);
  settle ();
  g_assert_false (ows_wifi_get_wired (f->wifi));

  active = activate_wired (f, ethernet);
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_wired (f->wifi));
  g_assert_true (ows_wifi_get_wired (f->wifi));
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, OWS_WIFI_STATE_READY);

  ows_test_nm_deactivate (f->nm, active);
  OWS_TEST_WAIT_UNTIL (!ows_wifi_get_wired (f->wifi));
  g_assert_false (ows_wifi_get_wired (f->wifi));
}

/* Ethernet only: no Wi-Fi, though NetworkManager answers. */
static void
test_no_wifi_device (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *ethernet = NULL;
  g_autofree char *active = NULL;
  g_autofree char *wifi_device = NULL;

  ows_test_nm_start (f->nm);
  ethernet = ows_test_nm_add_ethernet_device (f->nm, "eth0", "eth0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  active = activate_wired (f, ethernet);
  start_wifi (f);
  /* it has heard NetworkManager */
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_wired (f->wifi));
  g_assert_true (ows_wifi_get_wired (f->wifi));
  settle ();
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, OWS_WIFI_STATE_ABSENT);
  g_assert_cmpuint (n_items (f), ==, 0);

  /* a Wi-Fi adapter is plugged in */
  wifi_device = ows_test_nm_add_wifi_device (f->nm, "wlan1", "wlan1", OWS_TEST_NM_DEVICE_DISCONNECTED);
  g_free (ows_test_nm_add_access_point (f->nm, wifi_device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  wait_state (f, OWS_WIFI_STATE_READY);
  wait_items (f, 1);
}

/* While scanning, a scan is asked at once; stopped, none. */
static void
test_scanning (Fixture       *f,
               gconstpointer  data)
{
  start_wifi_ready (f, 0);
  settle ();
  g_assert_false (ows_wifi_get_scanning (f->wifi));
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, f->device, "RequestScan"), ==, 0);

  ows_wifi_set_scanning (f->wifi, TRUE);
  g_assert_true (ows_wifi_get_scanning (f->wifi));
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, 1000));

  ows_wifi_set_scanning (f->wifi, FALSE);
  g_assert_false (ows_wifi_get_scanning (f->wifi));
  settle ();
  ows_test_nm_clear_calls (f->nm, f->device);
  settle ();
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, f->device, "RequestScan"), ==, 0);

  /* on again: at once again */
  ows_wifi_set_scanning (f->wifi, TRUE);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, 1000));
  ows_wifi_set_scanning (f->wifi, FALSE);
  settle ();
}

/* ---- the built-in client, on a bus ---- */

/* The next register.client or deregister.client of ours (transfer full), or NULL. */
static OwsMessage *
wait_own (Fixture    *f,
          const char *type,
          guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      g_autoptr(OwsMessage) message = NULL;

      if (left <= 0)
        return NULL;
      message = ows_test_peer_wait (f->bus.peer, type, left);
      if (message == NULL)
        return NULL;
      if (g_strcmp0 (json_object_get_string_member_with_default (ows_message_get_data (message),
                                                                 "client", NULL),
                     OWS_WIFI_CLIENT_NAME) == 0)
        return g_steal_pointer (&message);
    }
}

static OwsMessage *
expect_own (Fixture    *f,
            const char *type)
{
  OwsMessage *message = wait_own (f, type, OWS_TEST_TIMEOUT_MS);

  if (message == NULL)
    g_error ("no %s of %s on the bus within %d ms", type, OWS_WIFI_CLIENT_NAME, OWS_TEST_TIMEOUT_MS);
  return message;
}

static void
assert_registration (OwsMessage *message)
{
  JsonObject *data = ows_message_get_data (message);

  g_assert_cmpstr (json_object_get_string_member (data, "client"), ==, OWS_WIFI_CLIENT_NAME);
  g_assert_cmpstr (json_object_get_string_member (data, "type"), ==, "onDevice");
  g_assert_true (json_object_get_boolean_member (data, "has_gui"));
  g_assert_true (json_object_get_boolean_member (data, "requires_input"));
  g_assert_cmpstr (json_object_get_string_member (data, "display_text"), ==, "Choose a Wi-Fi Network");
}

static void
start_client (Fixture *f)
{
  f->client = ows_wifi_client_new (f->bus.service, f->wifi);
  g_assert_true (ows_wifi_client_get_wifi (f->client) == f->wifi);
}

static void
test_client_register (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OwsMessage) first = NULL;
  g_autoptr(OwsMessage) again = NULL;
  OwsRegistry *registry = ows_manager_get_registry (f->bus.manager);
  OwsClient *client;

  start_wifi_ready (f, 0);
  start_client (f);
  first = expect_own (f, P "register.client");
  assert_registration (first);
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_registered (f->client));
  g_assert_true (ows_wifi_client_get_registered (f->client));
  g_assert_false (ows_wifi_client_get_active (f->client));

  client = ows_registry_lookup_name (registry, OWS_WIFI_CLIENT_NAME);
  g_assert_nonnull (client);
  g_assert_cmpstr (ows_client_get_client_type (client), ==, "onDevice");
  /* the window draws it: no OVOS screen needed (none answered here) */
  g_assert_false (ows_manager_get_ovos_gui (f->bus.manager));
  g_assert_true (ows_manager_offers (f->bus.manager, client));

  /* the bus restarted, as a plugin would hear it */
  ows_test_peer_send (f->bus.peer, P "alive", NULL);
  again = expect_own (f, P "register.client");
  assert_registration (again);
}

/* Activated, it ends the setup when the device is connected; the password
 * never reaches the bus. */
static void
test_client_activate (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OwsMessage) registered = NULL;
  g_autoptr(OwsMessage) removed = NULL;
  g_autoptr(OwsWifiNetwork) network = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(OwsTestRecorder) recorder = NULL;

  secret = "bus never hears this";
  secret_logged = 0;
  recorder = ows_test_recorder_new (f->bus.url);
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  start_wifi_ready (f, 1);
  start_client (f);
  registered = expect_own (f, P "register.client");
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_registered (f->client));

  ows_test_peer_send (f->bus.peer, P "set.active.client",
                      "{\"client\": \"" OWS_WIFI_CLIENT_NAME "\"}");
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_active (f->client));
  g_assert_true (ows_wifi_client_get_active (f->client));
  ows_test_peer_assert_count (f->bus.peer, P "remove.active.client", 0);

  network = find_network (f, "Home", NULL);
  g_assert_true (ows_wifi_connect (f->wifi, network, secret));
  settings = added_settings (f, 0);
  assert_setting_string (settings, "802-11-wireless-security", "psk", secret);
  wait_attempt (f, OWS_WIFI_ATTEMPT_CONNECTED);
  removed = ows_test_peer_expect (f->bus.peer, P "remove.active.client");
  g_assert_nonnull (removed);
  settle ();
  ows_test_peer_assert_count (f->bus.peer, P "remove.active.client", 1);

  g_assert_cmpuint (ows_test_recorder_n_frames (recorder), >, 0);
  g_assert_cmpuint (ows_test_recorder_count (recorder, P "register.client"), >=, 1);
  g_assert_cmpuint (ows_test_recorder_count (recorder, secret), ==, 0);
  /* nor any log line (debug ones included: GLib's test mode writes them all) */
  g_assert_cmpuint (secret_logged, ==, 0);
  secret = NULL;
}

/* No NetworkManager: nothing registered; it comes, with a Wi-Fi device: registered. */
static void
test_client_absent (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OwsMessage) registered = NULL;
  g_autofree char *device = NULL;

  start_wifi (f);
  start_client (f);
  settle ();
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, OWS_WIFI_STATE_ABSENT);
  g_assert_null (wait_own (f, P "register.client", 300));
  g_assert_false (ows_wifi_client_get_registered (f->client));
  g_assert_null (ows_registry_lookup_name (ows_manager_get_registry (f->bus.manager),
                                           OWS_WIFI_CLIENT_NAME));

  /* NetworkManager starts: no Wi-Fi device yet */
  ows_test_nm_start (f->nm);
  settle ();
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, OWS_WIFI_STATE_ABSENT);
  g_assert_null (wait_own (f, P "register.client", 100));

  device = ows_test_nm_add_wifi_device (f->nm, "wlan0", "wlan0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  wait_state (f, OWS_WIFI_STATE_READY);
  registered = expect_own (f, P "register.client");
  assert_registration (registered);
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_registered (f->client));
  g_assert_true (ows_wifi_client_get_registered (f->client));
}

/* The last Wi-Fi device goes, then NetworkManager: deregistered each time. */
static void
test_client_device_removed (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OwsMessage) registered = NULL;
  g_autoptr(OwsMessage) gone = NULL;
  g_autoptr(OwsMessage) back = NULL;
  g_autoptr(OwsMessage) gone_again = NULL;
  g_autofree char *device = NULL;

  start_wifi_ready (f, 0);
  start_client (f);
  registered = expect_own (f, P "register.client");
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_registered (f->client));

  ows_test_nm_remove_device (f->nm, f->device);
  wait_state (f, OWS_WIFI_STATE_ABSENT);
  gone = expect_own (f, P "deregister.client");
  OWS_TEST_WAIT_UNTIL (!ows_wifi_client_get_registered (f->client));
  g_assert_false (ows_wifi_client_get_registered (f->client));
  OWS_TEST_WAIT_UNTIL (ows_registry_lookup_name (ows_manager_get_registry (f->bus.manager),
                                        OWS_WIFI_CLIENT_NAME) == NULL);
  g_assert_null (ows_registry_lookup_name (ows_manager_get_registry (f->bus.manager),
                                           OWS_WIFI_CLIENT_NAME));

  device = ows_test_nm_add_wifi_device (f->nm, "wlan1", "wlan1", OWS_TEST_NM_DEVICE_DISCONNECTED);
  wait_state (f, OWS_WIFI_STATE_READY);
  back = expect_own (f, P "register.client");
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_registered (f->client));

  ows_test_nm_stop (f->nm);
  wait_state (f, OWS_WIFI_STATE_ABSENT);
  gone_again = expect_own (f, P "deregister.client");
  g_assert_cmpuint (n_items (f), ==, 0);
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

  g_log_set_writer_func (log_writer, NULL, NULL);
  ows_test_init (&argc, &argv);
  available = ows_test_nm_available ();
  /* Before anything touches the system bus: libnm's, from now on. */
  if (available)
    ows_test_nm_ensure_bus ();

#define ADD(path, setup, func) \
  G_STMT_START { \
    if (available) \
      g_test_add ("/ows/wifi/" path, Fixture, NULL, setup, func, fixture_teardown); \
    else \
      g_test_add_data_func ("/ows/wifi/" path, NULL, skip_unavailable); \
  } G_STMT_END

  g_test_add_func ("/ows/wifi/password/valid", test_password_valid);
  ADD ("list", fixture_setup, test_list);
  ADD ("live", fixture_setup, test_live);
  ADD ("connect/open", fixture_setup, test_connect_open);
  ADD ("connect/wpa", fixture_setup, test_connect_wpa);
  ADD ("connect/sae", fixture_setup, test_connect_sae);
  ADD ("connect/hidden", fixture_setup, test_connect_hidden);
  ADD ("connect/saved", fixture_setup, test_connect_saved);
  ADD ("password/refused", fixture_setup, test_password_refused);
  ADD ("wrong-password/refused", fixture_setup, test_wrong_password_refused);
  ADD ("wrong-password/device", fixture_setup, test_wrong_password_device);
  ADD ("failed", fixture_setup, test_failed);
  ADD ("cancel", fixture_setup, test_cancel);
  ADD ("radio", fixture_setup, test_radio);
  ADD ("wired", fixture_setup, test_wired);
  ADD ("no-wifi-device", absent_setup, test_no_wifi_device);
  ADD ("scanning", fixture_setup, test_scanning);
  ADD ("client/register", bus_setup, test_client_register);
  ADD ("client/activate", bus_setup, test_client_activate);
  ADD ("client/absent", absent_bus_setup, test_client_absent);
  ADD ("client/device-removed", bus_setup, test_client_device_removed);

  return g_test_run ();
}
