/* test-network-page.c: the built-in Wi-Fi client's page in a real window, against a mock NetworkManager.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Everything real but NetworkManager: a window under Xvfb, the manager on an
 * embedded bus with a scripted peer and a recorder that keeps every frame,
 * OwsWifi through libnm against python3-dbusmock's NetworkManager
 * (tests/ows-test-nm.h). Taps are button clicks and row activations;
 * passwords are typed with the window's own on-screen keyboard only; what
 * they did is read back from the mock's call log and from the bus.
 * Skipped without python3-dbusmock.
 */
#include <adwaita.h>
#include <string.h>

#include "config.h"
#include "ows-application.h"
#include "ows-client-tile.h"
#include "ows-keyboard.h"
#include "ows-network-page.h"
#include "ows-network-row.h"
#include "ows-test-bus.h"
#include "ows-test-gtk.h"
#include "ows-test-nm.h"
#include "ows-test-recorder.h"
#include "ows-wifi-client.h"
#include "ows-window.h"

#define P OWS_PREFIX
/* Capitals, digits, a symbol and a space: three pages of the keyboard and Shift. */
#define PASSWORD "Tr0ub4dor&3 horse"
#define HOSTILE_SSID "<b>x</b>"
#define LONG_SSID "FRITZ!Box 7590 Wohnzimmer OG 5G"
/* A right-to-left override and a line break, as a label must not show them. */
#define SPOOF_SSID "Free\u202Eipfi\nWiFi"
#define SPOOF_SHOWN "Freeipfi WiFi"

/* Windows belong to the app, as in the program. */
static OwsApplication *app;

typedef struct {
  gboolean kiosk;
  OwsTestGui ovos_gui;
} Device;

/* No OVOS screen answers: the built-in client needs none. */
static const Device desktop = { FALSE, OWS_TEST_GUI_SILENT };
static const Device kiosk = { TRUE, OWS_TEST_GUI_SILENT };
/* Beside an OVOS screen, where clients with their own GUI make the kiosk step aside. */
static const Device kiosk_beside_ovos = { TRUE, OWS_TEST_GUI_CONNECTED };

typedef struct {
  OwsTestNm *nm;
  char *device;           /* wlan0 */
  OwsTestBus bus;
  OwsTestRecorder *recorder;
  OwsWifi *wifi;
  OwsWifiClient *client;
  OwsWindow *window;
} Fixture;

/* ---- waiting ---- */

/* Long enough for a call the app should not make to reach the mock. */
static void
settle (void)
{
  ows_test_sleep (300);
}

static void
see (Fixture    *f,
     const char *type)
{
  ows_message_unref (ows_test_peer_expect (f->bus.peer, type));
}

static const char *
view_name (int view)
{
  return view < 0 ? "(not on screen)" : ows_network_view_to_nick (view);
}

static void
wait_view (Fixture        *f,
           OwsNetworkView  view)
{
  OWS_TEST_WAIT_UNTIL (ows_window_get_network_view (f->window) == (int) view);
  if (ows_window_get_network_view (f->window) != (int) view)
    g_error ("the network page shows “%s”, expected “%s”",
             view_name (ows_window_get_network_view (f->window)), view_name (view));
}

static void
wait_phase (Fixture  *f,
            OwsPhase  phase)
{
  OWS_TEST_WAIT_UNTIL (ows_window_get_phase (f->window) == phase);
  g_assert_cmpstr (ows_phase_to_nick (ows_window_get_phase (f->window)), ==, ows_phase_to_nick (phase));
}

/* ---- fixtures ---- */

static gboolean
skip_without_mock (void)
{
  if (ows_test_nm_available ())
    return FALSE;
  g_test_skip ("python3-dbusmock (/usr/bin/python3) or dbus-daemon is missing");
  return TRUE;
}

/* NetworkManager with one Wi-Fi device and no access point yet; the
 * manager on its bus, online, not in setup; the model, the built-in client,
 * and a window of 800×480 that shows the client's page. The client is
 * registered when this returns. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Device *device = data;

  if (!ows_test_nm_available ())
    return;
  f->nm = ows_test_nm_new (TRUE);
  f->device = ows_test_nm_add_wifi_device (f->nm, "wlan0", "wlan0",
                                           OWS_TEST_NM_DEVICE_DISCONNECTED);
  ows_test_bus_init (&f->bus, TRUE);
  ows_test_peer_answer_gui (f->bus.peer, device->ovos_gui);
  ows_test_bus_start_online (&f->bus);
  f->recorder = ows_test_recorder_new (f->bus.url);

  f->wifi = ows_wifi_new ();
  f->client = ows_wifi_client_new (f->bus.service, f->wifi);
  f->window = ows_window_new (GTK_APPLICATION (app), f->bus.service, device->kiosk);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  ows_window_set_wifi (f->window, f->wifi);
  if (!device->kiosk)
    gtk_window_present (GTK_WINDOW (f->window));

  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_registered (f->client));
  g_assert_true (ows_wifi_client_get_registered (f->client));
  g_assert_cmpint (ows_wifi_get_state (f->wifi), ==, OWS_WIFI_STATE_READY);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->nm == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->wifi);
  g_clear_pointer (&f->recorder, ows_test_recorder_free);
  ows_test_bus_teardown (&f->bus);
  ows_test_nm_free (f->nm);
  g_free (f->device);
}

/* ---- widgets on screen ---- */

static int
by_position (gconstpointer a,
             gconstpointer b)
{
  GtkWidget *wa = *(GtkWidget **) a, *wb = *(GtkWidget **) b;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (wa));
  graphene_point_t pa, pb;

  g_assert_true (gtk_widget_compute_point (wa, root, &GRAPHENE_POINT_INIT (0, 0), &pa));
  g_assert_true (gtk_widget_compute_point (wb, root, &GRAPHENE_POINT_INIT (0, 0), &pb));
  return pa.y != pb.y ? (pa.y < pb.y ? -1 : 1) : (pa.x < pb.x ? -1 : pa.x > pb.x);
}

/* What is on screen of @type under @root, top to bottom. */
static GPtrArray *
on_screen (GtkWidget *root,
           GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  ows_test_gtk_collect (root, type, found);
  g_ptr_array_sort (found, by_position);
  return found;
}

static guint
count_on_screen (Fixture *f,
                 GType    type)
{
  g_autoptr(GPtrArray) found = on_screen (GTK_WIDGET (f->window), type);

  return found->len;
}

/* The network rows on screen, once there are @n. */
static GPtrArray *
wait_rows (Fixture *f,
           guint    n)
{
  OWS_TEST_WAIT_UNTIL (count_on_screen (f, OWS_TYPE_NETWORK_ROW) == n);
  g_assert_cmpuint (count_on_screen (f, OWS_TYPE_NETWORK_ROW), ==, n);
  return on_screen (GTK_WIDGET (f->window), OWS_TYPE_NETWORK_ROW);
}

static GtkWidget *
row_of (Fixture    *f,
        const char *ssid)
{
  g_autoptr(GPtrArray) rows = on_screen (GTK_WIDGET (f->window), OWS_TYPE_NETWORK_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), ssid) == 0)
      return rows->pdata[i];
  return NULL;
}

static GtkWidget *
wait_row (Fixture    *f,
          const char *ssid)
{
  OWS_TEST_WAIT_UNTIL (row_of (f, ssid) != NULL);
  if (row_of (f, ssid) == NULL)
    g_error ("no row for “%s” on screen", ssid);
  return row_of (f, ssid);
}

/* A tap on a row: what a touch or Enter does to a list box row. */
static void
tap_row (GtkWidget *row)
{
  g_assert_true (gtk_widget_is_sensitive (row));
  g_assert_true (gtk_widget_activate (row));
}

/* The row whose action is @action_name (Other Network…). */
static GtkWidget *
action_row (Fixture    *f,
            const char *action_name)
{
  g_autoptr(GPtrArray) rows = on_screen (GTK_WIDGET (f->window), GTK_TYPE_LIST_BOX_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (rows->pdata[i]), action_name) == 0)
      return rows->pdata[i];
  g_error ("no row for %s on screen", action_name);
}

static GtkWidget *
button_for (Fixture    *f,
            const char *action_name)
{
  g_autoptr(GPtrArray) buttons = on_screen (GTK_WIDGET (f->window), GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), action_name) == 0)
      return buttons->pdata[i];
  return NULL;
}

static GtkWidget *
wait_button (Fixture    *f,
             const char *action_name)
{
  OWS_TEST_WAIT_UNTIL (button_for (f, action_name) != NULL);
  if (button_for (f, action_name) == NULL)
    g_error ("no button for %s on screen", action_name);
  return button_for (f, action_name);
}

static void
tap (Fixture    *f,
     const char *action_name)
{
  GtkWidget *button = wait_button (f, action_name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* A label on screen that contains @needle. */
static GtkLabel *
shown_label (GtkWidget  *root,
             const char *needle)
{
  g_autoptr(GPtrArray) labels = on_screen (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), needle) != NULL)
      return labels->pdata[i];
  return NULL;
}

static GtkLabel *
wait_text (Fixture    *f,
           const char *text)
{
  OWS_TEST_WAIT_UNTIL (shown_label (GTK_WIDGET (f->window), text) != NULL);
  if (shown_label (GTK_WIDGET (f->window), text) == NULL)
    g_error ("no “%s” on screen", text);
  return shown_label (GTK_WIDGET (f->window), text);
}

static gboolean
has_image (GtkWidget  *root,
           const char *icon_name)
{
  g_autoptr(GPtrArray) images = on_screen (root, GTK_TYPE_IMAGE);

  for (guint i = 0; i < images->len; i++)
    if (g_strcmp0 (gtk_image_get_icon_name (images->pdata[i]), icon_name) == 0)
      return TRUE;
  return FALSE;
}

/* The text field with the focus: the entry around the focused GtkText. */
static GtkWidget *
focused_field (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  if (focus == NULL)
    return NULL;
  if (GTK_IS_TEXT (focus) && GTK_IS_EDITABLE (gtk_widget_get_parent (focus)))
    return gtk_widget_get_parent (focus);
  return focus;
}

/* ---- the keyboard ---- */

static OwsKeyboard *
keyboard (Fixture *f)
{
  GtkWidget *keys = ows_window_get_keyboard (f->window);

  g_assert_nonnull (keys);
  return OWS_KEYBOARD (keys);
}

static gboolean
keyboard_up (Fixture *f)
{
  GtkWidget *keys = ows_window_get_keyboard (f->window);
  GtkWidget *revealer = keys != NULL ? gtk_widget_get_parent (keys) : NULL;

  return revealer != NULL && gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)) &&
         gtk_widget_get_mapped (keys) && gtk_widget_get_height (keys) > 0;
}

static void
wait_keyboard (Fixture *f)
{
  OWS_TEST_WAIT_UNTIL (keyboard_up (f));
  g_assert_true (keyboard_up (f));
}

/* Types @text into the focused field with the keys, as a person would. */
static void
type (Fixture    *f,
      const char *text)
{
  wait_keyboard (f);
  g_assert_true (ows_keyboard_type (keyboard (f), text));
}

static void
press_enter (Fixture *f)
{
  GtkWidget *enter = ows_keyboard_get_key (keyboard (f), "enter");

  g_assert_nonnull (enter);
  g_assert_true (gtk_widget_get_mapped (enter));
  g_signal_emit_by_name (enter, "clicked");
}

/* ---- what the app asked NetworkManager ---- */

/* The settings of the @index-th AddAndActivateConnection, after waiting for it. */
static GVariant *
added_settings (Fixture *f,
                guint    index)
{
  g_autoptr(GPtrArray) calls = NULL;
  GVariant *call;

  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection",
                                         index + 1, OWS_TEST_TIMEOUT_MS));
  calls = ows_test_nm_get_method_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection");
  call = g_ptr_array_index (calls, index);
  g_assert_true (g_variant_is_of_type (call, G_VARIANT_TYPE ("(a{sa{sv}}oo)")));
  return g_variant_get_child_value (call, 0);
}

static guint
count_added (Fixture *f)
{
  return ows_test_nm_count_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection");
}

static void
assert_setting_string (GVariant   *settings,
                       const char *setting,
                       const char *key,
                       const char *expected)
{
  g_autoptr(GVariant) value = ows_test_nm_lookup_setting (settings, setting, key);

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

static gboolean
mock_wireless_enabled (Fixture *f)
{
  g_autoptr(GVariant) value = ows_test_nm_get_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE,
                                                        "WirelessEnabled");

  return g_variant_get_boolean (value);
}

/* ---- networks around ---- */

typedef struct {
  const char *ssid;
  guint strength;
  guint security;
} Air;

/* Eight networks, one of them from two access points; "Connected" is the
 * device's, "Saved" has a profile. In the list's order: connected, saved,
 * then by signal. */
static const Air air[] = {
  { "Connected", 20, OWS_TEST_NM_SEC_PSK },
  { "Saved", 30, OWS_TEST_NM_SEC_PSK },
  { "Office", 85, OWS_TEST_NM_SEC_8021X },
  { "Cafe", 70, OWS_TEST_NM_SEC_NONE },
  { "Home", 60, OWS_TEST_NM_SEC_PSK },
  { "Modern", 50, OWS_TEST_NM_SEC_SAE },
  { HOSTILE_SSID, 45, OWS_TEST_NM_SEC_PSK },
  { LONG_SSID, 10, OWS_TEST_NM_SEC_PSK },
};

static void
add_air (Fixture *f)
{
  g_autofree char *connected_ap = NULL;
  g_autofree char *connected_profile = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (air); i++)
    {
      g_autofree char *name = g_strdup_printf ("ap%u", i);
      char *ap = ows_test_nm_add_access_point (f->nm, f->device, name, air[i].ssid,
                                               air[i].strength, air[i].security);

      if (i == 0)
        connected_ap = ap;
      else
        g_free (ap);
    }
  /* Home's weaker second access point: still one row. */
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home2", "Home", 25, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_wifi_connection (f->nm, f->device, "saved_profile", "Saved", "wpa-psk"));
  connected_profile = ows_test_nm_add_wifi_connection (f->nm, f->device, "connected_profile",
                                                       "Connected", "wpa-psk");
  g_free (ows_test_nm_activate_wifi (f->nm, f->device, connected_profile, connected_ap));
}

/* Home (WPA2) and Cafe (open): enough to join. */
static void
add_home (Fixture *f)
{
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 60, OWS_TEST_NM_SEC_PSK));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "cafe", "Cafe", 40, OWS_TEST_NM_SEC_NONE));
}

/* ---- the setup, from the user's side ---- */

static GPtrArray *
wait_tiles (Fixture *f,
            guint    n)
{
  OWS_TEST_WAIT_UNTIL (count_on_screen (f, OWS_TYPE_CLIENT_TILE) == n);
  g_assert_cmpuint (count_on_screen (f, OWS_TYPE_CLIENT_TILE), ==, n);
  return on_screen (GTK_WIDGET (f->window), OWS_TYPE_CLIENT_TILE);
}

static void
start_setup (Fixture *f)
{
  ows_test_peer_send (f->bus.peer, P "user.activated", NULL);
  see (f, P "setup.launched");
}

static gboolean
window_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
window_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* Setup launched, the tile tapped: the network page's list, @n_rows rows. */
static void
open_page (Fixture *f,
           guint    n_rows)
{
  g_autoptr(GPtrArray) tiles = NULL;

  start_setup (f);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  tiles = wait_tiles (f, 1);
  g_signal_emit_by_name (tiles->pdata[0], "clicked");
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  g_ptr_array_unref (wait_rows (f, n_rows));
}

/* ---- layout ---- */

/* Inside @widget's window, and inside the visible part of every scrolled
 * window around it: what a finger can reach without scrolling. If not,
 * @why says where it is. */
static gboolean
is_reachable (GtkWidget  *widget,
              char      **why)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_rect_t bounds, area;

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_compute_bounds (widget, window, &bounds))
    {
      if (why != NULL)
        *why = g_strdup_printf ("a %s is not on screen", G_OBJECT_TYPE_NAME (widget));
      return FALSE;
    }
  graphene_rect_init (&area, 0, 0, gtk_widget_get_width (window), gtk_widget_get_height (window));
  for (GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
       scroller != NULL;
       scroller = gtk_widget_get_ancestor (gtk_widget_get_parent (scroller), GTK_TYPE_SCROLLED_WINDOW))
    {
      graphene_rect_t visible;

      g_assert_true (gtk_widget_compute_bounds (scroller, window, &visible));
      graphene_rect_intersection (&area, &visible, &area);
    }
  if (bounds.origin.x >= area.origin.x - 0.5 && bounds.origin.y >= area.origin.y - 0.5 &&
      bounds.origin.x + bounds.size.width <= area.origin.x + area.size.width + 0.5 &&
      bounds.origin.y + bounds.size.height <= area.origin.y + area.size.height + 0.5)
    return TRUE;
  if (why != NULL)
    *why = g_strdup_printf ("a %s of %g×%g px at (%g, %g) is outside what shows of the %d×%d "
                            "window (%g×%g at (%g, %g))",
                            G_OBJECT_TYPE_NAME (widget), bounds.size.width, bounds.size.height,
                            bounds.origin.x, bounds.origin.y, gtk_widget_get_width (window),
                            gtk_widget_get_height (window), area.size.width, area.size.height,
                            area.origin.x, area.origin.y);
  return FALSE;
}

/* Reachable once the page's layout has followed the last change. */
static void
assert_reachable (GtkWidget *widget)
{
  g_autofree char *why = NULL;

  OWS_TEST_WAIT_UNTIL (is_reachable (widget, NULL));
  if (!is_reachable (widget, &why))
    g_error ("%s", why);
}

/* What a finger taps on the page is 48 px at least (GNOME HIG): buttons,
 * text fields, rows. */
static void
assert_touch_targets (Fixture *f)
{
  GType types[] = { GTK_TYPE_BUTTON, GTK_TYPE_ENTRY, GTK_TYPE_PASSWORD_ENTRY, GTK_TYPE_DROP_DOWN,
                    GTK_TYPE_LIST_BOX_ROW };
  GtkWidget *page = NULL;
  g_autoptr(GPtrArray) pages = on_screen (GTK_WIDGET (f->window), OWS_TYPE_NETWORK_PAGE);

  g_assert_cmpuint (pages->len, ==, 1);
  page = pages->pdata[0];
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GPtrArray) targets = on_screen (page, types[t]);

      for (guint i = 0; i < targets->len; i++)
        {
          GtkWidget *target = targets->pdata[i];
          graphene_rect_t bounds;

          /* A drop-down's button is the target; its popover's rows are not on screen. */
          if (GTK_IS_BUTTON (target) && gtk_widget_get_ancestor (target, GTK_TYPE_DROP_DOWN) != NULL)
            continue;
          g_assert_true (gtk_widget_compute_bounds (target, target, &bounds));
          if (bounds.size.height < 48 || bounds.size.width < 48)
            g_error ("a %s of %g×%g px is smaller than a finger", G_OBJECT_TYPE_NAME (target),
                     bounds.size.width, bounds.size.height);
        }
    }
}

/* Nothing wider than the window (what would be cut off), every button of
 * the page but the list's rows reachable as it is, every target big enough. */
static void
assert_fits (Fixture *f)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  g_autoptr(GPtrArray) labels = on_screen (window, GTK_TYPE_LABEL);
  g_autoptr(GPtrArray) buttons = on_screen (window, GTK_TYPE_BUTTON);
  int width = gtk_widget_get_width (window);

  g_ptr_array_extend (labels, buttons, NULL, NULL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *widget = labels->pdata[i];
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
      if (bounds.origin.x < -0.5 || bounds.origin.x + bounds.size.width > width + 0.5)
        g_error ("a %s of %g px at x = %g is cut off by the %d px window",
                 G_OBJECT_TYPE_NAME (widget), bounds.size.width, bounds.origin.x, width);
      if (gtk_widget_get_ancestor (widget, OWS_TYPE_NETWORK_PAGE) != NULL && GTK_IS_BUTTON (widget))
        assert_reachable (widget);
    }
  assert_touch_targets (f);
}

typedef struct {
  int width;
  int height;
  AdwColorScheme scheme;
  gboolean rtl;
  const char *name;
} Shot;

static void shoot_one (Fixture        *f,
                       OwsNetworkView  view,
                       const char     *name,
                       const Shot     *shot,
                       gboolean        keys);
static void shoot     (Fixture        *f,
                       OwsNetworkView  view,
                       const char     *name,
                       guint           n_shots,
                       gboolean        keys);

/* ---- the tile ---- */

/* No OVOS screen answered, yet the choices offer the built-in client; its
 * tile opens the list, one row per network, in the list's order. */
static void
test_tile (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) tiles = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(OwsMessage) select = NULL;
  GtkWidget *home, *office, *cafe, *hostile;
  GtkLabel *literal;

  if (skip_without_mock ())
    return;
  add_air (f);
  /* A name that would read backwards and break the line. */
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "spoof", SPOOF_SSID, 5,
                                        OWS_TEST_NM_SEC_NONE));
  start_setup (f);
  see (f, "gui.status.request");
  tiles = wait_tiles (f, 1);
  g_assert_false (ows_manager_get_ovos_gui (f->bus.manager));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (tiles->pdata[0]), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (tiles->pdata[0]),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Choose a Wi-Fi Network");
  g_assert_nonnull (shown_label (tiles->pdata[0], "Choose a Wi-Fi Network"));

  ows_test_peer_clear (f->bus.peer);
  g_signal_emit_by_name (tiles->pdata[0], "clicked");
  select = ows_test_peer_expect (f->bus.peer, P "client.select");
  g_assert_cmpstr (json_object_get_string_member (ows_message_get_data (select), "client"), ==,
                   OWS_WIFI_CLIENT_NAME);
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_active (f->client));
  g_assert_true (ows_wifi_client_get_active (f->client));
  wait_phase (f, OWS_PHASE_RUNNING);
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  /* The page looks, while it is on screen. */
  g_assert_true (ows_wifi_get_scanning (f->wifi));
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));

  rows = wait_rows (f, G_N_ELEMENTS (air) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (air); i++)
    g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[i]), ==, air[i].ssid);
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[G_N_ELEMENTS (air)]), ==,
                   SPOOF_SHOWN);
  g_assert_cmpstr (adw_action_row_get_subtitle (rows->pdata[0]), ==, "Connected");
  g_assert_cmpstr (adw_action_row_get_subtitle (rows->pdata[1]), ==, "Saved");

  /* Secured: the lock; open: none; every row says it in words too. */
  home = row_of (f, "Home");
  cafe = row_of (f, "Cafe");
  g_assert_true (has_image (home, "system-lock-screen-symbolic"));
  g_assert_false (has_image (cafe, "system-lock-screen-symbolic"));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (home), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (home), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Secured, signal 3 of 4");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cafe), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Open, signal 3 of 4");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (rows->pdata[0]),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Connected. Secured, signal 1 of 4");

  /* Enterprise: listed, but set up elsewhere, and said so. */
  office = row_of (f, "Office");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (office)), ==, "Set up elsewhere");
  g_assert_nonnull (shown_label (office, "Set up elsewhere"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (office), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Set up elsewhere. Secured, signal 4 of 4");

  /* A name from the air is text, never markup. */
  hostile = row_of (f, HOSTILE_SSID);
  g_assert_nonnull (hostile);
  literal = shown_label (hostile, HOSTILE_SSID);
  g_assert_nonnull (literal);
  g_assert_cmpstr (gtk_label_get_text (literal), ==, HOSTILE_SSID);
  g_assert_false (gtk_label_get_use_markup (literal));

  /* Tapped, it says why not, and nothing is sent. */
  tap_row (office);
  wait_view (f, OWS_NETWORK_VIEW_UNSUPPORTED);
  wait_text (f, "“Office” signs in with an account");
  settle ();
  g_assert_cmpuint (count_added (f), ==, 0);
  tap (f, "network.cancel");
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  assert_fits (f);
}

/* A kiosk out of the way (no setup running, or a client with its own GUI
 * on the OVOS screen) comes back with the page when a voice skill picks
 * the built-in client. */
static void
test_kiosk_voice (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *gui_client = NULL;
  g_autoptr(OwsMessage) registered = NULL;

  if (skip_without_mock ())
    return;
  add_home (f);
  g_assert_true (ows_window_get_kiosk (f->window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* Idle: the kiosk is hidden; a skill selects the Wi-Fi client. */
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"" OWS_WIFI_CLIENT_NAME "\"}");
  see (f, P "set.active.client");
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_ptr_array_unref (wait_rows (f, 2));

  /* Back to the choices; a client with its own GUI runs: the kiosk steps aside. */
  tap (f, "setup.back");
  see (f, P "user.activated");
  wait_phase (f, OWS_PHASE_SELECTION);
  ows_test_peer_send (f->bus.peer, P "register.client",
                      "{\"client\": \"hotspot\", \"type\": \"onDevice\", \"display_text\": "
                      "\"Connect with a hotspot\", \"has_gui\": true, \"requires_input\": true}");
  registered = ows_test_peer_expect (f->bus.peer, P "client.registered");
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"hotspot\"}");
  wait_phase (f, OWS_PHASE_RUNNING);
  g_assert_true (ows_test_wait_until (window_hidden, f->window, OWS_TEST_TIMEOUT_MS));
  g_assert_false (ows_wifi_client_get_active (f->client));

  /* The skill makes the Wi-Fi client the active one: the page is back. */
  ows_test_peer_send (f->bus.peer, P "set.active.client", "{\"client\": \"" OWS_WIFI_CLIENT_NAME "\"}");
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  OWS_TEST_WAIT_UNTIL (ows_wifi_client_get_active (f->client));
  g_assert_true (ows_wifi_client_get_active (f->client));
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_ptr_array_unref (wait_rows (f, 2));
}

/* ---- joining ---- */

/* A WPA row: the password view, focused, the keyboard up; typed with the
 * keys and sent with Enter; connected, the client says it is done. The
 * password goes to NetworkManager, and nowhere on the bus. */
static void
test_password (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GVariant) settings = NULL;
  GtkWidget *entry;

  if (skip_without_mock ())
    return;
  add_home (f);
  open_page (f, 2);

  tap_row (wait_row (f, "Home"));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  wait_text (f, "Password for “Home”");
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));
  entry = focused_field (f);
  g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Password");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Password for “Home”");
  wait_keyboard (f);
  assert_reachable (entry);
  assert_reachable (wait_button (f, "network.connect"));
  assert_reachable (wait_button (f, "setup.back"));
  assert_fits (f);

  type (f, PASSWORD);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, PASSWORD);
  press_enter (f);
  settings = added_settings (f, 0);
  assert_ssid (settings, "Home");
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "wpa-psk");
  assert_setting_string (settings, "802-11-wireless-security", "psk", PASSWORD);
  /* Forgotten once sent. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  see (f, P "remove.active.client");
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == OWS_WIFI_ATTEMPT_CONNECTED);
  wait_phase (f, OWS_PHASE_CONNECTED);
  see (f, "ovos.wifi.setup.completed");
  settle ();
  g_assert_cmpuint (count_added (f), ==, 1);
  g_assert_cmpuint (ows_test_recorder_count (f->recorder, P "remove.active.client"), ==, 1);
  g_assert_cmpuint (ows_test_recorder_n_frames (f->recorder), >, 0);
  g_assert_cmpuint (ows_test_recorder_count (f->recorder, PASSWORD), ==, 0);
  g_assert_cmpuint (ows_test_recorder_count (f->recorder, "Tr0ub4dor"), ==, 0);
}

/* Too short for WPA: said at once, nothing sent. */
static void
test_password_too_short (Fixture       *f,
                         gconstpointer  data)
{
  GtkLabel *error;

  if (skip_without_mock ())
    return;
  add_home (f);
  open_page (f, 2);
  tap_row (wait_row (f, "Home"));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));

  type (f, "short1");
  press_enter (f);
  error = wait_text (f, "A Wi-Fi password has 8 to 63 characters");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (error), GTK_ACCESSIBLE_ROLE_ALERT);
  g_assert_cmpint (ows_window_get_network_view (f->window), ==, OWS_NETWORK_VIEW_PASSWORD);
  assert_reachable (GTK_WIDGET (error));
  assert_reachable (wait_button (f, "network.connect"));
  assert_fits (f);
  settle ();
  g_assert_cmpuint (count_added (f), ==, 0);
  g_assert_cmpint (ows_wifi_get_attempt (f->wifi), ==, OWS_WIFI_ATTEMPT_NONE);
  g_assert_cmpuint (ows_test_recorder_count (f->recorder, "short1"), ==, 0);

  /* Typing on: the field kept the focus and what was typed, and says what is wrong. */
  g_assert_true (GTK_IS_PASSWORD_ENTRY (focused_field (f)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (focused_field (f)),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       gtk_label_get_text (error));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focused_field (f))), ==, "short1");
}

/* Large text on 800×480 (1.5 times, as a user may set it): the form does
 * not fit above the keyboard, and scrolls so that the field, what is wrong
 * with it and Connect show. */
static void
test_password_large_text (Fixture       *f,
                          gconstpointer  data)
{
  GtkSettings *settings = gtk_settings_get_default ();
  GtkWidget *entry;
  GtkLabel *error;
  int dpi;

  if (skip_without_mock ())
    return;
  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", dpi * 3 / 2, NULL);
  add_home (f);
  open_page (f, 2);
  tap_row (wait_row (f, "Home"));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));
  entry = focused_field (f);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->window)), ==, 480);

  type (f, "short1");
  press_enter (f);
  error = wait_text (f, "A Wi-Fi password has 8 to 63 characters");
  assert_reachable (entry);
  assert_reachable (GTK_WIDGET (error));
  assert_reachable (wait_button (f, "network.connect"));
  assert_reachable (wait_button (f, "setup.back"));
  shoot (f, OWS_NETWORK_VIEW_PASSWORD, "password-large-text", 1, TRUE);
  /* The keyboard whole, Enter too: the pages the window does not show ask
   * for no height (the selection's minimum would push the keys off). */
  assert_reachable (ows_keyboard_get_key (keyboard (f), "enter"));
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

/* A phone's 320×480 with the keyboard up, a long name and a wrong
 * password: the form is one column, taller than what the keys leave, and
 * scrolls to the field, what is wrong with it, and Connect. */
static void
test_password_phone (Fixture       *f,
                     gconstpointer  data)
{
  static const Shot phone = { 320, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, "320x480-light" };
  GtkAdjustment *scrolled;
  GtkWidget *entry;
  GtkLabel *error;

  if (skip_without_mock ())
    return;
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "long", LONG_SSID, 60,
                                        OWS_TEST_NM_SEC_PSK));
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_NO_SECRETS);
  open_page (f, 1);
  tap_row (wait_row (f, LONG_SSID));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));
  entry = focused_field (f);
  type (f, "wrong password");
  press_enter (f);
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == OWS_WIFI_ATTEMPT_WRONG_PASSWORD);
  error = wait_text (f, "Wrong password for “" LONG_SSID "”");

  shoot_one (f, OWS_NETWORK_VIEW_PASSWORD, "password-phone", &phone, TRUE);
  g_assert_true (focused_field (f) == entry);
  scrolled = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
    gtk_widget_get_ancestor (entry, GTK_TYPE_SCROLLED_WINDOW)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (scrolled), >, gtk_adjustment_get_page_size (scrolled));
  assert_reachable (entry);
  assert_reachable (GTK_WIDGET (error));
  assert_reachable (wait_button (f, "network.connect"));
}

/* NetworkManager has no secrets for it: back to the password, which says so. */
static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GVariant) settings = NULL;
  GtkLabel *error;

  if (skip_without_mock ())
    return;
  add_home (f);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_NO_SECRETS);
  open_page (f, 2);
  tap_row (wait_row (f, "Home"));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));

  type (f, "wrong password");
  press_enter (f);
  settings = added_settings (f, 0);
  assert_setting_string (settings, "802-11-wireless-security", "psk", "wrong password");
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == OWS_WIFI_ATTEMPT_WRONG_PASSWORD);
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  error = wait_text (f, "Wrong password for “Home”");
  assert_reachable (GTK_WIDGET (error));
  /* Ready for another try: the field empty, focused, the keyboard up. */
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focused_field (f))), ==, "");
  wait_keyboard (f);
  assert_reachable (wait_button (f, "network.connect"));
  assert_fits (f);
  ows_test_peer_assert_count (f->bus.peer, P "remove.active.client", 0);
  g_assert_cmpuint (ows_test_recorder_count (f->recorder, "wrong password"), ==, 0);
}

/* Other Network…: its name, security and password, typed; a hidden profile. */
static void
test_hidden (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) hidden = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  GtkWidget *name, *password;
  GtkDropDown *security;

  if (skip_without_mock ())
    return;
  add_home (f);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  open_page (f, 2);
  tap_row (action_row (f, "network.other"));
  wait_view (f, OWS_NETWORK_VIEW_HIDDEN);

  /* The name first, focused, with the keyboard. */
  OWS_TEST_WAIT_UNTIL (GTK_IS_ENTRY (focused_field (f)));
  name = focused_field (f);
  g_assert_true (GTK_IS_ENTRY (name));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (name), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Network name");
  type (f, "Secret Lab");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Secret Lab");

  /* WPA3 Personal, from the drop-down. */
  fields = on_screen (GTK_WIDGET (f->window), GTK_TYPE_DROP_DOWN);
  g_assert_cmpuint (fields->len, ==, 1);
  security = fields->pdata[0];
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (security), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Security");
  gtk_drop_down_set_selected (security, 2);

  /* The password field, tapped. */
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = on_screen (GTK_WIDGET (f->window), GTK_TYPE_PASSWORD_ENTRY);
  g_assert_cmpuint (fields->len, ==, 1);
  password = fields->pdata[0];
  g_assert_true (gtk_widget_is_sensitive (password));
  g_assert_true (gtk_widget_grab_focus (password));
  OWS_TEST_WAIT_UNTIL (focused_field (f) == password);
  wait_keyboard (f);
  assert_reachable (password);
  assert_reachable (wait_button (f, "network.connect"));
  assert_fits (f);
  type (f, PASSWORD);
  press_enter (f);

  settings = added_settings (f, 0);
  assert_ssid (settings, "Secret Lab");
  hidden = ows_test_nm_lookup_setting (settings, "802-11-wireless", "hidden");
  g_assert_nonnull (hidden);
  g_assert_true (g_variant_get_boolean (hidden));
  assert_setting_string (settings, "802-11-wireless-security", "key-mgmt", "sae");
  assert_setting_string (settings, "802-11-wireless-security", "psk", PASSWORD);
  see (f, P "remove.active.client");
  g_assert_cmpuint (ows_test_recorder_count (f->recorder, PASSWORD), ==, 0);
}

/* Switched off in software: one button turns it on. */
static void
test_off (Fixture       *f,
          gconstpointer  data)
{
  if (skip_without_mock ())
    return;
  add_home (f);
  open_page (f, 2);
  ows_test_nm_set_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "WirelessEnabled",
                            g_variant_new_boolean (FALSE));
  wait_view (f, OWS_NETWORK_VIEW_OFF);
  wait_text (f, "Wi-Fi Is Off");
  assert_fits (f);
  tap (f, "network.turn-on");
  OWS_TEST_WAIT_UNTIL (mock_wireless_enabled (f));
  g_assert_true (mock_wireless_enabled (f));
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  g_ptr_array_unref (wait_rows (f, 2));
}

/* A cable already connects: Done ends the setup as a client does. */
static void
test_wired (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) tiles = NULL;

  if (skip_without_mock ())
    return;
  add_home (f);
  open_page (f, 2);
  g_free (ows_test_nm_add_ethernet_device (f->nm, "eth0", "eth0", OWS_TEST_NM_DEVICE_ACTIVATED));
  wait_view (f, OWS_NETWORK_VIEW_WIRED);
  wait_text (f, "Connected by Cable");
  assert_fits (f);

  /* Wi-Fi all the same, and back. */
  tap (f, "network.use-wifi");
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  tap (f, "setup.back");
  see (f, P "user.activated");
  wait_phase (f, OWS_PHASE_SELECTION);
  tiles = wait_tiles (f, 1);
  g_signal_emit_by_name (tiles->pdata[0], "clicked");
  wait_view (f, OWS_NETWORK_VIEW_WIRED);

  ows_test_peer_clear (f->bus.peer);
  tap (f, "setup.done");
  see (f, P "remove.active.client");
  wait_phase (f, OWS_PHASE_CONNECTED);
  g_assert_cmpuint (count_added (f), ==, 0);
}

/* Back to Choices: the client steps down, the choices come back. */
static void
test_back (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *deactivate = NULL;
  g_autoptr(GPtrArray) tiles = NULL;

  if (skip_without_mock ())
    return;
  add_home (f);
  open_page (f, 2);
  tap_row (wait_row (f, "Home"));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  type (f, "half typ");

  ows_test_peer_clear (f->bus.peer);
  assert_reachable (wait_button (f, "setup.back"));
  tap (f, "setup.back");
  see (f, P "user.activated");
  see (f, P "setup.launched");
  wait_phase (f, OWS_PHASE_SELECTION);
  OWS_TEST_WAIT_UNTIL (!ows_wifi_client_get_active (f->client));
  g_assert_false (ows_wifi_client_get_active (f->client));
  g_assert_cmpint (ows_window_get_network_view (f->window), ==, -1);
  tiles = wait_tiles (f, 1);
  ows_test_peer_assert_count (f->bus.peer, P "remove.active.client", 0);

  /* Chosen again, it starts afresh: the list, nothing half typed. */
  g_signal_emit_by_name (tiles->pdata[0], "clicked");
  wait_view (f, OWS_NETWORK_VIEW_LIST);
  tap_row (wait_row (f, "Home"));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  OWS_TEST_WAIT_UNTIL (GTK_IS_PASSWORD_ENTRY (focused_field (f)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focused_field (f))), ==, "");
  settle ();
  g_assert_cmpuint (count_added (f), ==, 0);
}

/* ---- screenshots ---- */

static const Shot shots[] = {
  { 800, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, "800x480-light" },
  { 480, 800, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, "480x800-light" },
  { 800, 480, ADW_COLOR_SCHEME_FORCE_DARK, FALSE, "800x480-dark" },
  { 480, 800, ADW_COLOR_SCHEME_FORCE_DARK, FALSE, "480x800-dark" },
  { 800, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, TRUE, "800x480-rtl" },
  { 480, 800, ADW_COLOR_SCHEME_FORCE_LIGHT, TRUE, "480x800-rtl" },
};
/* Light only: the first two. */
#define N_LIGHT_SHOTS 2

static gboolean
size_is (Fixture *f,
         int      width,
         int      height)
{
  GtkWidget *window = GTK_WIDGET (f->window);

  return gtk_widget_get_mapped (window) && gtk_widget_get_width (window) == width &&
         gtk_widget_get_height (window) == height;
}

/* The same window at another size: GTK 4 sizes a window when it is first
 * realized, so it is realized again; the page keeps its state. A window
 * is never realized smaller than its content's minimum at its narrowest,
 * which the keyboard's height would exceed at 800×480 (a kiosk's
 * compositor imposes its size; Xvfb does not): the text field lets go of
 * the focus meanwhile, and takes it back as a tap would, the cursor at the
 * end. */
static void
resize (Fixture *f,
        int      width,
        int      height)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  g_autoptr(GtkWidget) focus = NULL;

  if (!size_is (f, width, height))
    {
      g_set_object (&focus, gtk_root_get_focus (GTK_ROOT (f->window)));
      gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
      /* Twice at most: a window shown again is sized by the layout its
       * pages had at the old size (the forms' columns follow the width
       * one allocation later), which may ask a few pixels more. */
      for (guint attempt = 0; attempt < 2 && !size_is (f, width, height); attempt++)
        {
          gtk_widget_set_visible (window, FALSE);
          gtk_widget_unrealize (window);
          gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
          gtk_window_present (GTK_WINDOW (f->window));
          OWS_TEST_WAIT_UNTIL (size_is (f, width, height));
        }
      if (!size_is (f, width, height))
        g_error ("the window is %d×%d px, not %d×%d", gtk_widget_get_width (window),
                 gtk_widget_get_height (window), width, height);
      if (GTK_IS_EDITABLE (focus))
        {
          g_assert_true (gtk_widget_grab_focus (focus));
          gtk_editable_set_position (GTK_EDITABLE (focus), -1);
        }
    }
  /* Compact pages, and the forms' layout, apply one idle after an allocation. */
  ows_test_sleep (150);
}

/* The page's @view as @shot says: _build/tests/screenshots/network-@name-@shot.png;
 * checked for what is cut off, and with @keys, the keyboard up. */
static void
shoot_one (Fixture        *f,
           OwsNetworkView  view,
           const char     *name,
           const Shot     *shot,
           gboolean        keys)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("network-%s-%s.png", name, shot->name);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), shot->scheme);
  gtk_widget_set_default_direction (shot->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  resize (f, shot->width, shot->height);
  wait_view (f, view);
  if (keys)
    wait_keyboard (f);
  ows_test_gtk_save_png (GTK_WIDGET (f->window), path);
  g_test_message ("%s", path);
  assert_fits (f);
  assert_reachable (wait_button (f, "setup.back"));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* The first @n_shots of shots[]. */
static void
shoot (Fixture        *f,
       OwsNetworkView  view,
       const char     *name,
       guint           n_shots,
       gboolean        keys)
{
  for (guint i = 0; i < n_shots; i++)
    shoot_one (f, view, name, &shots[i], keys);
}

/* The list, with every kind of network. */
static void
test_screenshots_list (Fixture       *f,
                       gconstpointer  data)
{
  if (skip_without_mock ())
    return;
  open_page (f, 0);
  wait_text (f, "Looking for networks…");
  shoot (f, OWS_NETWORK_VIEW_LIST, "list-empty", N_LIGHT_SHOTS, FALSE);
  add_air (f);
  g_ptr_array_unref (wait_rows (f, G_N_ELEMENTS (air)));
  shoot (f, OWS_NETWORK_VIEW_LIST, "list", G_N_ELEMENTS (shots), FALSE);
  tap_row (wait_row (f, "Office"));
  shoot (f, OWS_NETWORK_VIEW_UNSUPPORTED, "unsupported", N_LIGHT_SHOTS, FALSE);
  tap (f, "network.cancel");
  g_free (ows_test_nm_add_ethernet_device (f->nm, "eth0", "eth0", OWS_TEST_NM_DEVICE_ACTIVATED));
  shoot (f, OWS_NETWORK_VIEW_WIRED, "wired", N_LIGHT_SHOTS, FALSE);
  tap (f, "network.use-wifi");
  ows_test_nm_set_property (f->nm, OWS_TEST_NM_PATH, OWS_TEST_NM_IFACE, "WirelessEnabled",
                            g_variant_new_boolean (FALSE));
  shoot (f, OWS_NETWORK_VIEW_OFF, "off", N_LIGHT_SHOTS, FALSE);
}

/* The forms, on a kiosk with its keyboard up; connecting; failed. */
static void
test_screenshots_forms (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = NULL;

  if (skip_without_mock ())
    return;
  add_air (f);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_NO_SECRETS);
  open_page (f, G_N_ELEMENTS (air));
  shoot (f, OWS_NETWORK_VIEW_LIST, "list-kiosk", N_LIGHT_SHOTS, FALSE);

  tap_row (wait_row (f, LONG_SSID));
  wait_view (f, OWS_NETWORK_VIEW_PASSWORD);
  type (f, "hunter");
  shoot (f, OWS_NETWORK_VIEW_PASSWORD, "password", G_N_ELEMENTS (shots), TRUE);

  press_enter (f);
  wait_text (f, "A Wi-Fi password has 8 to 63 characters");
  shoot (f, OWS_NETWORK_VIEW_PASSWORD, "password-too-short", N_LIGHT_SHOTS, TRUE);

  type (f, "2hunter2");
  press_enter (f);
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == OWS_WIFI_ATTEMPT_WRONG_PASSWORD);
  wait_text (f, "Wrong password for “" LONG_SSID "”");
  shoot (f, OWS_NETWORK_VIEW_PASSWORD, "password-wrong", N_LIGHT_SHOTS, TRUE);
  tap (f, "network.cancel");

  tap_row (action_row (f, "network.other"));
  wait_view (f, OWS_NETWORK_VIEW_HIDDEN);
  OWS_TEST_WAIT_UNTIL (count_on_screen (f, GTK_TYPE_PASSWORD_ENTRY) == 1);
  fields = on_screen (GTK_WIDGET (f->window), GTK_TYPE_PASSWORD_ENTRY);
  g_assert_cmpuint (fields->len, ==, 1);
  type (f, "Secret Lab");
  shoot (f, OWS_NETWORK_VIEW_HIDDEN, "hidden", N_LIGHT_SHOTS, TRUE);
  /* A password too short: said under the fields, the buttons in sight. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (g_ptr_array_index (fields, 0))));
  type (f, "short");
  press_enter (f);
  wait_text (f, "A Wi-Fi password has 8 to 63 characters");
  shoot (f, OWS_NETWORK_VIEW_HIDDEN, "hidden-error", N_LIGHT_SHOTS, TRUE);
  assert_reachable (GTK_WIDGET (wait_text (f, "A Wi-Fi password has 8 to 63 characters")));
  tap (f, "network.cancel");

  /* An open network, and NetworkManager slow to answer. */
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_PENDING);
  tap_row (wait_row (f, "Cafe"));
  wait_view (f, OWS_NETWORK_VIEW_CONNECTING);
  g_assert_true (ows_test_nm_wait_calls (f->nm, OWS_TEST_NM_PATH, "AddAndActivateConnection", 2,
                                         OWS_TEST_TIMEOUT_MS));
  settle ();
  shoot (f, OWS_NETWORK_VIEW_CONNECTING, "connecting", N_LIGHT_SHOTS, FALSE);

  ows_test_nm_set_device_state (f->nm, f->device, OWS_TEST_NM_DEVICE_FAILED,
                                OWS_TEST_NM_REASON_SSID_NOT_FOUND);
  OWS_TEST_WAIT_UNTIL (ows_wifi_get_attempt (f->wifi) == OWS_WIFI_ATTEMPT_FAILED);
  wait_text (f, "“Cafe” is out of reach");
  shoot (f, OWS_NETWORK_VIEW_FAILED, "failed", N_LIGHT_SHOTS, FALSE);
}

static void
add_test (const char   *path,
          const Device *device,
          void        (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, device, fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  ows_test_init (&argc, &argv);
  /* Before anything touches the system bus: libnm's, from now on. */
  if (ows_test_nm_available ())
    ows_test_nm_ensure_bus ();

  /* The app's own start-up (style sheet, icons, app.* actions), without
   * taking its name from a running instance on this session bus. */
  app = ows_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  add_test ("/ows/network-page/tile", &desktop, test_tile);
  add_test ("/ows/network-page/kiosk-voice", &kiosk_beside_ovos, test_kiosk_voice);
  add_test ("/ows/network-page/password", &kiosk, test_password);
  add_test ("/ows/network-page/password-too-short", &kiosk, test_password_too_short);
  add_test ("/ows/network-page/password-large-text", &kiosk, test_password_large_text);
  add_test ("/ows/network-page/password-phone", &kiosk, test_password_phone);
  add_test ("/ows/network-page/wrong-password", &kiosk, test_wrong_password);
  add_test ("/ows/network-page/hidden", &kiosk, test_hidden);
  add_test ("/ows/network-page/off", &desktop, test_off);
  add_test ("/ows/network-page/wired", &desktop, test_wired);
  add_test ("/ows/network-page/back", &kiosk, test_back);
  add_test ("/ows/network-page/screenshots-list", &desktop, test_screenshots_list);
  add_test ("/ows/network-page/screenshots-forms", &kiosk, test_screenshots_forms);

  ows_test_gtk_styles (FALSE);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
