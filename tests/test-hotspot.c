/* test-hotspot.c: the device's own setup hotspot, through real libnm, against a mock NetworkManager.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each test gets a fresh python3-dbusmock NetworkManager (tests/ows-test-nm.h)
 * with one Wi-Fi device that can be an access point (WirelessCapabilities
 * with AP), a LastScan the test moves, and access points "Home" (PSK), "Open
 * Café" (open), a network named like markup, a faint one and one named like
 * our own hotspot. AddAndActivateConnection is replaced so that what it is
 * sent is activated at once; a test that needs an attempt in progress
 * replaces it again before the join. The checks are both sides: OwsHotspot's
 * state, list, subnet and error, and what NetworkManager was asked (the
 * mock's call log and its profiles). Skipped without python3-dbusmock.
 */
#include <string.h>

#include "config.h"
#include "ows-hotspot-private.h"
#include "ows-setup-page.h"
#include "ows-test-nm.h"
#include "ows-test-peer.h"
#include "ows-wifi-private.h"

#define OWN_SSID "OVOS-1234"
#define HOTSPOT_PASSWORD "hotspot-pass"
#define PASSWORD "correct horse"
#define SCRIPT_SSID "<script>alert(1)</script>"
/* NM_WIFI_DEVICE_CAP_AP (0x40: 0x400 is FREQ_5GHZ), and the template's own
 * capabilities (0xff, which has it) without it. */
#define CAP_AP 0x40
#define CAPS_NO_AP 0xbf
/* The scan waited for in most tests: longer than any test's wait, so only
 * the LastScan the test sets ends it. */
#define LONG_SCAN_MS 60000

typedef struct {
  OwsTestNm *nm;
  char *device;
  OwsWifi *wifi;
  OwsHotspot *hotspot;
  GArray *states;       /* OwsHotspotState, one per notify::state */
  guint supported_notifies;
} Fixture;

/* ---- what is logged ---- */

static guint secret_logged;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") &&
        (g_strstr_len (fields[i].value, fields[i].length, PASSWORD) != NULL ||
         g_strstr_len (fields[i].value, fields[i].length, HOTSPOT_PASSWORD) != NULL))
      secret_logged++;
  return g_log_writer_default (level, fields, n_fields, data);
}

/* ---- waiting ---- */

/* For checking that something did not happen: long enough for anything the
 * mock or libnm had in flight to arrive. */
static void
settle (void)
{
  ows_test_sleep (300);
}

static void
wait_state (Fixture         *f,
            OwsHotspotState  state)
{
  OWS_TEST_WAIT_UNTIL (ows_hotspot_get_state (f->hotspot) == state);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, state);
}

static gboolean
states_end_with (Fixture               *f,
                 const OwsHotspotState *expected,
                 guint                  n)
{
  if (f->states->len < n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_array_index (f->states, OwsHotspotState, f->states->len - n + i) != expected[i])
      return FALSE;
  return TRUE;
}

/* ---- the mock ---- */

static void
set_caps (Fixture *f,
          guint    caps)
{
  ows_test_nm_set_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "WirelessCapabilities",
                            g_variant_new_uint32 (caps));
}

/* The scan is over, as NetworkManager says it. */
static void
finish_scan (Fixture *f)
{
  static gint64 last_scan = 1000;

  last_scan += 1000;
  ows_test_nm_set_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (last_scan));
}

static char **
connections (Fixture *f)
{
  return ows_test_nm_dup_connections (f->nm);
}

static gboolean
connections_contain (Fixture    *f,
                     const char *path)
{
  g_auto(GStrv) all = connections (f);

  return g_strv_contains ((const char * const *) all, path);
}

/* A profile's settings, NULL if it is gone meanwhile. */
static GVariant *
profile_settings (const char *path)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (ows_test_nm_get_connection (), OWS_TEST_NM_BUS_NAME, path,
                                       "org.freedesktop.NetworkManager.Settings.Connection",
                                       "GetSettings", NULL, G_VARIANT_TYPE ("(a{sa{sv}})"),
                                       G_DBUS_CALL_FLAGS_NONE, OWS_TEST_TIMEOUT_MS, NULL, &error);
  return reply != NULL ? g_variant_get_child_value (reply, 0) : NULL;
}

static gboolean
setting_is (GVariant   *settings,
            const char *setting,
            const char *key,
            const char *value)
{
  g_autoptr(GVariant) found = ows_test_nm_lookup_setting (settings, setting, key);

  return found != NULL && g_variant_is_of_type (found, G_VARIANT_TYPE_STRING) &&
         g_strcmp0 (g_variant_get_string (found, NULL), value) == 0;
}

/* The profiles whose settings say mode "ap". */
static guint
count_hotspot_profiles (Fixture *f)
{
  g_auto(GStrv) all = connections (f);
  guint count = 0;

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autoptr(GVariant) settings = profile_settings (all[i]);

      if (settings != NULL && setting_is (settings, "802-11-wireless", "mode", "ap"))
        count++;
    }
  return count;
}

/* By UUID: the mock gives a new profile the path of one deleted before. */
static gboolean
has_profile (Fixture    *f,
             const char *uuid)
{
  g_auto(GStrv) all = connections (f);

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autoptr(GVariant) settings = profile_settings (all[i]);

      if (settings != NULL && setting_is (settings, "connection", "uuid", uuid))
        return TRUE;
    }
  return FALSE;
}

/* The @index-th AddAndActivateConnection, (a{sa{sv}}, o, o), after waiting for it. */
static GVariant *
added_call (Fixture *f,
            guint    index)
{
  g_autoptr(GPtrArray) calls = NULL;

  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection",
                                         index + 1, OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection");
  return g_variant_ref (g_ptr_array_index (calls, index));
}

static GVariant *
added_settings (Fixture *f,
                guint    index)
{
  g_autoptr(GVariant) call = added_call (f, index);

  return g_variant_get_child_value (call, 0);
}

static guint
count_added (Fixture *f)
{
  return ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection");
}

/* The UUID of the profile the @index-th AddAndActivateConnection sent. */
static char *
added_uuid (Fixture *f,
            guint    index)
{
  g_autoptr(GVariant) settings = added_settings (f, index);
  g_autoptr(GVariant) uuid = ows_test_nm_lookup_setting (settings, "connection", "uuid");

  g_assert_nonnull (uuid);
  return g_variant_dup_string (uuid, NULL);
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
assert_setting_strv (GVariant   *settings,
                     const char *setting,
                     const char *key,
                     const char *expected)
{
  g_autoptr(GVariant) value = ows_test_nm_lookup_setting (settings, setting, key);
  g_autofree const char **strv = NULL;

  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY));
  strv = g_variant_get_strv (value, NULL);
  g_assert_cmpuint (g_strv_length ((char **) strv), ==, 1);
  g_assert_cmpstr (strv[0], ==, expected);
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

/* ---- the objects ---- */

static void
state_cb (OwsHotspot *hotspot,
          GParamSpec *pspec,
          Fixture    *f)
{
  OwsHotspotState state = ows_hotspot_get_state (hotspot);

  g_array_append_val (f->states, state);
}

static void
supported_cb (OwsHotspot *hotspot,
              GParamSpec *pspec,
              Fixture    *f)
{
  f->supported_notifies++;
}

/* OwsWifi ready with the fixture's networks, and the hotspot on it. */
static void
start_objects (Fixture *f,
               guint    scan_timeout_ms)
{
  f->wifi = ows_wifi_new ();
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_state (f->wifi) == OWS_WIFI_STATE_READY &&
              g_list_model_get_n_items (G_LIST_MODEL (f->wifi)) == 5);
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, OWS_WIFI_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->wifi)), ==, 5);
  f->hotspot = ows_hotspot_new (f->wifi);
  ows_hotspot_set_scan_timeout (f->hotspot, scan_timeout_ms);
  g_signal_connect (f->hotspot, "notify::state", G_CALLBACK (state_cb), f);
  g_signal_connect (f->hotspot, "notify::supported", G_CALLBACK (supported_cb), f);
}

/* start(), the scan answered: UP. */
static void
start_up (Fixture    *f,
          const char *password)
{
  ows_hotspot_start (f->hotspot, OWN_SSID, password);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  finish_scan (f);
  wait_state (f, OWS_HOTSPOT_STATE_UP);
}

/* ---- fixtures ---- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->states = g_array_new (FALSE, FALSE, sizeof (OwsHotspotState));
  f->nm = ows_test_nm_new (TRUE);
  f->device = ows_test_nm_add_wifi_device (f->nm, "wlan0", "wlan0",
                                           OWS_TEST_NM_DEVICE_DISCONNECTED);
  ows_test_nm_add_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (1000));
  set_caps (f, data != NULL ? GPOINTER_TO_UINT (data) : CAPS_NO_AP | CAP_AP);
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home2", "Home", 30, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "cafe", "Open Café", 85,
                                        OWS_TEST_NM_SEC_NONE));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "script", SCRIPT_SSID, 20,
                                        OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "faint", "Faint", 5, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "own", OWN_SSID, 95, OWS_TEST_NM_SEC_NONE));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  secret_logged = 0;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->hotspot != NULL)
    {
      g_assert_finalize_object (f->hotspot);
      /* Never an access point left behind, whatever the test left it as. */
      OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 0);
      g_assert_cmpuint (count_hotspot_profiles (f), ==, 0);
    }
  if (f->wifi != NULL)
    g_assert_finalize_object (f->wifi);
  g_assert_cmpuint (secret_logged, ==, 0);
  ows_test_nm_free (f->nm);
  g_free (f->device);
  g_array_unref (f->states);
}

/* ---- the tests ---- */

/* Only a device that can be an access point offers a hotspot; it is followed. */
static void
test_supported (Fixture       *f,
                gconstpointer  data)
{
  start_objects (f, LONG_SCAN_MS);
  g_assert_false (ows_hotspot_get_supported (f->hotspot));

  /* start() on it fails at once, saying why, and asks NetworkManager nothing */
  ows_hotspot_start (f->hotspot, OWN_SSID, NULL);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_FAILED);
  g_assert_nonnull (ows_hotspot_get_error (f->hotspot));
  g_assert_cmpstr (ows_hotspot_get_error (f->hotspot), !=, "");
  ows_hotspot_stop (f->hotspot);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  g_assert_null (ows_hotspot_get_error (f->hotspot));

  set_caps (f, CAPS_NO_AP | CAP_AP);
  OWS_TEST_WAIT_UNTIL (ows_hotspot_get_supported (f->hotspot));
  g_assert_true (ows_hotspot_get_supported (f->hotspot));
  g_assert_cmpuint (f->supported_notifies, ==, 1);

  set_caps (f, CAPS_NO_AP);
  OWS_TEST_WAIT_UNTIL (!ows_hotspot_get_supported (f->hotspot));
  g_assert_false (ows_hotspot_get_supported (f->hotspot));
  g_assert_cmpuint (f->supported_notifies, ==, 2);

  settle ();
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, f->device, "RequestScan"), ==, 0);
  g_assert_cmpuint (count_added (f), ==, 0);
}

static void
assert_network (OwsSetupPageNetwork *network,
                const char          *ssid,
                guint                level,
                gboolean             secured)
{
  g_assert_cmpstr (network->ssid, ==, ssid);
  g_assert_cmpuint (network->level, ==, level);
  g_assert_cmpint (network->secured, ==, secured);
}

/* The scan comes before the hotspot (an access point does not scan), and
 * its answer is waited for: a network it brings is listed. */
static void
test_scan_first (Fixture       *f,
                 gconstpointer  data)
{
  GPtrArray *networks;
  const OwsHotspotState expected[] = { OWS_HOTSPOT_STATE_SCANNING, OWS_HOTSPOT_STATE_STARTING,
                                       OWS_HOTSPOT_STATE_UP };

  start_objects (f, LONG_SCAN_MS);
  g_assert_true (ows_hotspot_get_supported (f->hotspot));
  g_assert_cmpuint (ows_hotspot_get_networks (f->hotspot)->len, ==, 0);

  ows_hotspot_start (f->hotspot, OWN_SSID, HOTSPOT_PASSWORD);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_SCANNING);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  settle ();
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_SCANNING);
  g_assert_cmpuint (count_added (f), ==, 0);

  /* what the scan found, then its end */
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "late", "Late", 70, OWS_TEST_NM_SEC_SAE));
  finish_scan (f);
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  g_assert_true (states_end_with (f, expected, G_N_ELEMENTS (expected)));
  g_assert_cmpuint (count_added (f), ==, 1);
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, f->device, "RequestScan"), ==, 1);

  /* strongest first, one per SSID, our own left out, the name as it is */
  networks = ows_hotspot_get_networks (f->hotspot);
  g_assert_cmpuint (networks->len, ==, 5);
  assert_network (g_ptr_array_index (networks, 0), "Open Café", 4, FALSE);
  assert_network (g_ptr_array_index (networks, 1), "Late", 3, TRUE);
  assert_network (g_ptr_array_index (networks, 2), "Home", 3, TRUE);
  assert_network (g_ptr_array_index (networks, 3), SCRIPT_SSID, 1, TRUE);
  assert_network (g_ptr_array_index (networks, 4), "Faint", 0, TRUE);
}

/* A scan that never answers holds nothing up for long. */
static void
test_scan_deadline (Fixture       *f,
                    gconstpointer  data)
{
  start_objects (f, 200);
  ows_hotspot_start (f->hotspot, OWN_SSID, NULL);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  g_assert_cmpuint (ows_hotspot_get_networks (f->hotspot)->len, ==, 4);
}

/* What NetworkManager is asked for: an access point of our SSID, WPA2 with
 * a password, sharing its connection, never started on its own. */
static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GVariant) call = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) open = NULL;
  g_autoptr(GVariant) autoconnect = NULL;
  const char *device = NULL;

  start_objects (f, LONG_SCAN_MS);
  start_up (f, HOTSPOT_PASSWORD);
  call = added_call (f, 0);
  g_variant_get_child (call, 1, "&o", &device);
  g_assert_cmpstr (device, ==, f->device);
  settings = g_variant_get_child_value (call, 0);
  assert_setting_string (settings, "connection", "type", "802-11-wireless");
  assert_setting_string (settings, "connection", "id", "OVOS setup hotspot");
  autoconnect = ows_test_nm_lookup_setting (settings, "connection", "autoconnect");
  g_assert_nonnull (autoconnect);
  g_assert_false (g_variant_get_boolean (autoconnect));
  assert_setting_string (settings, "802-11-wireless", "mode", "ap");
  assert_setting_string (settings, "802-11-wireless", "band", "bg");
  assert_ssid (settings, OWN_SSID);
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "wpa-psk");
  assert_setting_string (settings, "802-11-wireless-security", "psk", HOTSPOT_PASSWORD);
  assert_setting_strv (settings, "802-11-wireless-security", "proto", "rsn");
  assert_setting_strv (settings, "802-11-wireless-security", "pairwise", "ccmp");
  assert_setting_strv (settings, "802-11-wireless-security", "group", "ccmp");
  assert_setting_string (settings, "ipv4", "method", "shared");
  assert_setting_string (settings, "ipv6", "method", "ignore");
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 1);

  /* an open hotspot */
  ows_hotspot_stop (f->hotspot);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 0);
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 0);
  ows_hotspot_start (f->hotspot, OWN_SSID, NULL);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 2, OWS_TEST_TIMEOUT_MS));
  finish_scan (f);
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  open = added_settings (f, 1);
  assert_setting_string (open, "802-11-wireless", "mode", "ap");
  assert_ssid (open, OWN_SSID);
  g_assert_null (ows_test_nm_lookup_setting (open, "802-11-wireless-security", "key-mgmt"));
  g_assert_null (ows_test_nm_lookup_setting (open, "802-11-wireless-security", "psk"));
  assert_setting_string (open, "ipv4", "method", "shared");
}

/* Up: the subnet the page serves; then the switch-over to the home network,
 * which ends it: the hotspot's profile goes, nothing from before comes back. */
static void
test_join (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GVariant) settings = NULL;
  g_autofree char *subnet = NULL;
  g_autofree char *address = NULL;
  g_autofree char *hotspot = NULL;
  const OwsHotspotState expected[] = { OWS_HOTSPOT_STATE_UP, OWS_HOTSPOT_STATE_JOINING,
                                       OWS_HOTSPOT_STATE_JOINED };

  start_objects (f, LONG_SCAN_MS);
  g_assert_null (ows_hotspot_get_subnet (f->hotspot));
  start_up (f, HOTSPOT_PASSWORD);
  /* the mock has no IP configuration: NetworkManager's shared-mode default */
  g_assert_nonnull (ows_hotspot_get_subnet (f->hotspot));
  subnet = g_inet_address_mask_to_string (ows_hotspot_get_subnet (f->hotspot));
  g_assert_cmpstr (subnet, ==, "10.42.0.0/24");
  address = g_inet_address_to_string (ows_hotspot_get_address (f->hotspot));
  g_assert_cmpstr (address, ==, "10.42.0.1");
  hotspot = added_uuid (f, 0);
  g_assert_true (has_profile (f, hotspot));

  ows_hotspot_join (f->hotspot, "Home", FALSE, PASSWORD);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_JOINING);
  g_assert_null (ows_hotspot_get_subnet (f->hotspot));
  settings = added_settings (f, 1);
  assert_ssid (settings, "Home");
  assert_setting_string (settings, "802-11-wireless", "mode", "infrastructure");
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "wpa-psk");
  assert_setting_string (settings, "802-11-wireless-security", "psk", PASSWORD);
  wait_state (f, OWS_HOTSPOT_STATE_JOINED);
  g_assert_true (states_end_with (f, expected, G_N_ELEMENTS (expected)));
  g_assert_null (ows_hotspot_get_error (f->hotspot));

  OWS_TEST_WAIT_UNTIL (!has_profile (f, hotspot));
  g_assert_false (has_profile (f, hotspot));
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 0);

  /* done: stop() changes nothing on the radio */
  ows_hotspot_stop (f->hotspot);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  settle ();
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection"), ==, 0);
  g_assert_cmpuint (count_added (f), ==, 2);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_CONNECTED);
}

/* The join is under way: the switch-over was sent, the device activating. */
static void
join_pending (Fixture    *f,
              const char *password)
{
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  ows_hotspot_join (f->hotspot, "Home", FALSE, password);
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection", 2,
                                         OWS_TEST_TIMEOUT_MS));
  /* as NetworkManager would, the device fails only after answering: libnm
   * has the new profile (OwsWifi deletes it on a wrong password) */
  OWS_TEST_WAIT_UNTIL (nm_client_get_connections (ows_wifi_get_client (f->wifi))->len == 2);
  g_assert_cmpuint (nm_client_get_connections (ows_wifi_get_client (f->wifi))->len, ==, 2);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_CONNECTING);
  /* what comes next activates at once: the hotspot again */
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
}

/* The same hotspot comes back after a wrong password, so the phone rejoins
 * it, and the page can say which network refused. */
static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GVariant) again = NULL;
  g_autofree char *first = NULL;
  const OwsHotspotState expected[] = { OWS_HOTSPOT_STATE_JOINING, OWS_HOTSPOT_STATE_STARTING,
                                       OWS_HOTSPOT_STATE_UP };

  start_objects (f, LONG_SCAN_MS);
  start_up (f, HOTSPOT_PASSWORD);
  first = added_uuid (f, 0);
  join_pending (f, "wrong password");

  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_NO_SECRETS);
  again = added_settings (f, 2);
  assert_setting_string (again, "802-11-wireless", "mode", "ap");
  assert_ssid (again, OWN_SSID);
  assert_setting_string (again, "802-11-wireless-security", "psk", HOTSPOT_PASSWORD);
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  g_assert_true (states_end_with (f, expected, G_N_ELEMENTS (expected)));
  g_assert_nonnull (ows_hotspot_get_error (f->hotspot));
  g_assert_nonnull (strstr (ows_hotspot_get_error (f->hotspot), "“Home”"));
  g_assert_nonnull (strstr (ows_hotspot_get_error (f->hotspot), "password"));
  g_assert_nonnull (ows_hotspot_get_subnet (f->hotspot));
  /* the first hotspot's profile went; one hotspot profile, the new one */
  OWS_TEST_WAIT_UNTIL (!has_profile (f, first));
  g_assert_false (has_profile (f, first));
  OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 1);
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 1);

  /* the list stays the scan's; the next join can go through */
  g_assert_cmpuint (ows_hotspot_get_networks (f->hotspot)->len, ==, 4);
  ows_hotspot_join (f->hotspot, "Home", FALSE, PASSWORD);
  wait_state (f, OWS_HOTSPOT_STATE_JOINED);
  g_assert_null (ows_hotspot_get_error (f->hotspot));
}

/* No address from the network: OwsWifi's sentence, the hotspot back. */
static void
test_join_failed (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *sentence = NULL;

  start_objects (f, LONG_SCAN_MS);
  start_up (f, NULL);
  join_pending (f, PASSWORD);
  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_IP_CONFIG_UNAVAILABLE);
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == OWS_WIFI_ATTEMPT_FAILED);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_FAILED);
  sentence = g_strdup (ows_wifi_get_attempt_error (f->wifi));
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  g_assert_cmpuint (count_added (f), ==, 3);
  g_assert_nonnull (sentence);
  g_assert_cmpstr (ows_hotspot_get_error (f->hotspot), ==, sentence);
  g_assert_nonnull (strstr (sentence, "“Home”"));
}

/* stop() gives the device back what it had: the home profile, activated again. */
static void
test_stop_restores (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *home = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_auto(GStrv) during = NULL;
  const char *profile = NULL;
  const char *device = NULL;

  home = ows_test_nm_add_wifi_connection (f->nm, f->device, "Home", "Home", "wpa-psk");
  g_free (ows_test_nm_activate_wifi (f->nm, f->device, home,
                                     OWS_TEST_NM_PATH "/AccessPoint/home"));
  start_objects (f, LONG_SCAN_MS);
  start_up (f, HOTSPOT_PASSWORD);
  during = connections (f);
  g_assert_cmpuint (g_strv_length (during), ==, 2);
  /* the home profile was not touched by the hotspot */
  g_assert_true (connections_contain (f, home));

  ows_hotspot_stop (f->hotspot);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  g_assert_null (ows_hotspot_get_subnet (f->hotspot));
  g_assert_cmpuint (ows_hotspot_get_networks (f->hotspot)->len, ==, 0);
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection", 1,
                                         OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection");
  g_variant_get_child (g_ptr_array_index (calls, 0), 0, "&o", &profile);
  g_variant_get_child (g_ptr_array_index (calls, 0), 1, "&o", &device);
  g_assert_cmpstr (profile, ==, home);
  g_assert_cmpstr (device, ==, f->device);
  OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 0);
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 0);
  g_assert_true (connections_contain (f, home));

  /* idempotent */
  ows_hotspot_stop (f->hotspot);
  settle ();
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection"), ==, 1);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
}

/* A join is only for a hotspot that is up; a stop() while scanning has
 * nothing to give back (the radio was never taken). */
static void
test_join_not_up (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *home = NULL;

  home = ows_test_nm_add_wifi_connection (f->nm, f->device, "Home", "Home", "wpa-psk");
  g_free (ows_test_nm_activate_wifi (f->nm, f->device, home,
                                     OWS_TEST_NM_PATH "/AccessPoint/home"));
  start_objects (f, LONG_SCAN_MS);
  ows_hotspot_join (f->hotspot, "Home", FALSE, PASSWORD);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);

  ows_hotspot_start (f->hotspot, OWN_SSID, NULL);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  ows_hotspot_join (f->hotspot, "Home", FALSE, PASSWORD);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_SCANNING);
  settle ();
  g_assert_cmpuint (count_added (f), ==, 0);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_NONE);

  ows_hotspot_stop (f->hotspot);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  /* a scan answer after stop() starts nothing */
  finish_scan (f);
  settle ();
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  g_assert_cmpuint (count_added (f), ==, 0);
  g_assert_cmpuint (ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "ActivateConnection"), ==, 0);
}

/* The subnet NetworkManager gave the hotspot, when it says one. */
static void
test_subnet (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *subnet = NULL;
  g_autofree char *address = NULL;

  g_free (ows_test_nm_add_ip4_config (f->nm, f->device, "192.168.12.1", 24));
  start_objects (f, LONG_SCAN_MS);
  start_up (f, NULL);
  subnet = g_inet_address_mask_to_string (ows_hotspot_get_subnet (f->hotspot));
  g_assert_cmpstr (subnet, ==, "192.168.12.0/24");
  address = g_inet_address_to_string (ows_hotspot_get_address (f->hotspot));
  g_assert_cmpstr (address, ==, "192.168.12.1");
}

/* NetworkManager refuses the access point: FAILED, saying so; stop() then
 * leaves nothing behind. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_NO_SECRETS);
  start_objects (f, LONG_SCAN_MS);
  ows_hotspot_start (f->hotspot, OWN_SSID, HOTSPOT_PASSWORD);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  finish_scan (f);
  wait_state (f, OWS_HOTSPOT_STATE_FAILED);
  g_assert_nonnull (ows_hotspot_get_error (f->hotspot));
  g_assert_null (ows_hotspot_get_subnet (f->hotspot));
  ows_hotspot_join (f->hotspot, "Home", FALSE, PASSWORD);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_FAILED);
  ows_hotspot_stop (f->hotspot);
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_OFF);
  g_assert_null (ows_hotspot_get_error (f->hotspot));
}

/* The hotspot that NetworkManager gives up: while starting, or once up.
 * Either way FAILED with a sentence, its profile gone. */
static void
test_hotspot_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *active = OWS_TEST_NM_PATH "/ActiveConnection/ows1";

  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  start_objects (f, LONG_SCAN_MS);
  ows_hotspot_start (f->hotspot, OWN_SSID, HOTSPOT_PASSWORD);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  finish_scan (f);
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection", 1,
                                         OWS_TEST_TIMEOUT_MS));
  OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 1);
  settle ();
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_STARTING);
  ows_test_nm_set_property (f->nm, active, OWS_TEST_NM_ACTIVE_IFACE, "State",
                            g_variant_new_uint32 (4));
  wait_state (f, OWS_HOTSPOT_STATE_FAILED);
  g_assert_nonnull (ows_hotspot_get_error (f->hotspot));
  OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 0);
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 0);

  /* start() again after a failure; this time it comes up, then goes down */
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  ows_hotspot_start (f->hotspot, OWN_SSID, HOTSPOT_PASSWORD);
  g_assert_null (ows_hotspot_get_error (f->hotspot));
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 2, OWS_TEST_TIMEOUT_MS));
  finish_scan (f);
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  ows_test_nm_set_property (f->nm, OWS_TEST_NM_PATH "/ActiveConnection/ows2",
                            OWS_TEST_NM_ACTIVE_IFACE, "State", g_variant_new_uint32 (4));
  wait_state (f, OWS_HOTSPOT_STATE_FAILED);
  g_assert_nonnull (ows_hotspot_get_error (f->hotspot));
  g_assert_null (ows_hotspot_get_subnet (f->hotspot));
  OWS_TEST_WAIT_UNTIL (count_hotspot_profiles (f) == 0);
  g_assert_cmpuint (count_hotspot_profiles (f), ==, 0);
}

/* A hidden network (its name said, a password: WPA2 Personal), an open one
 * (a password of "" is none), and a password the network cannot take
 * (refused before anything is sent; the hotspot stays up). */
static void
test_join_kinds (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GVariant) hidden = NULL;
  g_autoptr(GVariant) hidden_flag = NULL;
  g_autoptr(GVariant) open = NULL;
  const OwsHotspotState refused[] = { OWS_HOTSPOT_STATE_UP, OWS_HOTSPOT_STATE_JOINING,
                                      OWS_HOTSPOT_STATE_UP };

  start_objects (f, LONG_SCAN_MS);
  start_up (f, HOTSPOT_PASSWORD);
  ows_hotspot_join (f->hotspot, "Home", FALSE, "short");
  g_assert_true (states_end_with (f, refused, G_N_ELEMENTS (refused)));
  g_assert_cmpint (ows_hotspot_get_state (f->hotspot), ==, OWS_HOTSPOT_STATE_UP);
  g_assert_nonnull (ows_hotspot_get_subnet (f->hotspot));
  g_assert_cmpuint (count_added (f), ==, 1);
  g_assert_nonnull (ows_hotspot_get_error (f->hotspot));
  g_assert_nonnull (strstr (ows_hotspot_get_error (f->hotspot), "“Home”"));

  ows_hotspot_join (f->hotspot, "Attic", TRUE, PASSWORD);
  g_assert_null (ows_hotspot_get_error (f->hotspot));
  hidden = added_settings (f, 1);
  assert_ssid (hidden, "Attic");
  hidden_flag = ows_test_nm_lookup_setting (hidden, "802-11-wireless", "hidden");
  g_assert_nonnull (hidden_flag);
  g_assert_true (g_variant_get_boolean (hidden_flag));
  assert_setting_string (hidden, "802-11-wireless-security", "key-mgmt", "wpa-psk");
  assert_setting_string (hidden, "802-11-wireless-security", "psk", PASSWORD);
  wait_state (f, OWS_HOTSPOT_STATE_JOINED);

  ows_hotspot_stop (f->hotspot);
  ows_hotspot_start (f->hotspot, OWN_SSID, HOTSPOT_PASSWORD);
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 2, OWS_TEST_TIMEOUT_MS));
  finish_scan (f);
  wait_state (f, OWS_HOTSPOT_STATE_UP);
  ows_hotspot_join (f->hotspot, "Open Café", FALSE, "");
  open = added_settings (f, 3);
  assert_ssid (open, "Open Café");
  g_assert_null (ows_test_nm_lookup_setting (open, "802-11-wireless-security", "key-mgmt"));
  wait_state (f, OWS_HOTSPOT_STATE_JOINED);
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

#define ADD(path, caps, func) \
  G_STMT_START { \
    if (available) \
      g_test_add ("/ows/hotspot/" path, Fixture, caps, fixture_setup, func, fixture_teardown); \
    else \
      g_test_add_data_func ("/ows/hotspot/" path, NULL, skip_unavailable); \
  } G_STMT_END

  ADD ("supported", GUINT_TO_POINTER (CAPS_NO_AP), test_supported);
  ADD ("scan-first", NULL, test_scan_first);
  ADD ("scan-deadline", NULL, test_scan_deadline);
  ADD ("settings", NULL, test_settings);
  ADD ("join", NULL, test_join);
  ADD ("wrong-password", NULL, test_wrong_password);
  ADD ("join-failed", NULL, test_join_failed);
  ADD ("stop-restores", NULL, test_stop_restores);
  ADD ("join-not-up", NULL, test_join_not_up);
  ADD ("subnet", NULL, test_subnet);
  ADD ("refused", NULL, test_refused);
  ADD ("hotspot-down", NULL, test_hotspot_down);
  ADD ("join-kinds", NULL, test_join_kinds);

  return g_test_run ();
}
