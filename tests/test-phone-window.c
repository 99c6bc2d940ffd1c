/* test-phone-window.c: "Set Up With a Phone" in a real window, against a mock NetworkManager.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A window under Xvfb, the manager on an embedded bus, the phone client and
 * its real hotspot program against python3-dbusmock's NetworkManager, whose
 * Wi-Fi device can be an access point and has 127.0.0.1 as the hotspot's
 * address (so the page the window points at is served here). The user taps
 * the tile; the window must show the very network name, password and QR code
 * that the hotspot uses, and Back to Choices must take it all down.
 * Screenshots go to _build/tests/screenshots/phone-*.png. Skipped without
 * python3-dbusmock.
 */
#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "config.h"
#include "ows-application.h"
#include "ows-client-tile.h"
#include "ows-phone-client.h"
#include "ows-phone-page.h"
#if HAVE_QRENCODE
#include "ows-qr-code.h"
#endif
#include "ows-test-bus.h"
#include "ows-test-gtk.h"
#include "ows-test-nm.h"
#include "ows-window.h"

#define P OWS_PREFIX
#define NM_CAP_AP 0x40  /* NM_WIFI_DEVICE_CAP_AP */

static OwsApplication *app;

typedef struct {
  gboolean kiosk;
  OwsTestGui ovos_gui;
} Device;

static const Device desktop = { FALSE, OWS_TEST_GUI_SILENT };
/* Beside an OVOS screen: a kiosk steps aside for clients with a GUI of their
 * own, never for ours. */
static const Device kiosk_beside_ovos = { TRUE, OWS_TEST_GUI_CONNECTED };

typedef struct {
  OwsTestNm *nm;
  char *device;
  OwsTestBus bus;
  OwsPhoneClient *client;
  OwsWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Device *device = data;
  g_autoptr(JsonNode) port = NULL;

  if (!ows_test_nm_available ())
    return;
  f->nm = ows_test_nm_new (TRUE);
  ows_test_nm_replace_add_and_activate (f->nm, OWS_TEST_NM_ACTIVATE_ACTIVATED);
  f->device = ows_test_nm_add_wifi_device (f->nm, "wlan0", "wlan0", OWS_TEST_NM_DEVICE_DISCONNECTED);
  ows_test_nm_set_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "WirelessCapabilities",
                            g_variant_new_uint32 (NM_CAP_AP | 0x1f));
  ows_test_nm_add_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (1000));
  g_free (ows_test_nm_add_ip4_config (f->nm, f->device, "127.0.0.1", 8));
  g_free (ows_test_nm_add_access_point (f->nm, f->device, "home", "Home", 70, OWS_TEST_NM_SEC_PSK));

  ows_test_bus_init (&f->bus, TRUE);
  /* Port 80 is the device's; tests run side by side. */
  port = json_node_init_int (json_node_alloc (), ows_test_free_port ());
  ows_config_override (f->bus.config, OWS_CONFIG_PLUGIN_SECTION, "phone_setup_port", port);
  ows_test_peer_answer_gui (f->bus.peer, device->ovos_gui);
  ows_test_bus_start_online (&f->bus);

  f->window = ows_window_new (GTK_APPLICATION (app), f->bus.service, device->kiosk);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  f->client = ows_phone_client_new (f->bus.service, TRUE);
  ows_window_set_phone (f->window, f->client);
  if (!device->kiosk)
    gtk_window_present (GTK_WINDOW (f->window));
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_registered (f->client));
  g_assert_true (ows_phone_client_get_registered (f->client));
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
  ows_test_bus_teardown (&f->bus);
  ows_test_nm_free (f->nm);
  g_free (f->device);
}

/* ---- what is on screen ---- */

static OwsClientTile *
find_tile (GtkWidget  *widget,
           const char *name)
{
  if (OWS_IS_CLIENT_TILE (widget) && gtk_widget_get_mapped (widget))
    {
      OwsClient *client = ows_client_tile_get_client (OWS_CLIENT_TILE (widget));

      if (client != NULL && g_strcmp0 (ows_client_get_name (client), name) == 0)
        return OWS_CLIENT_TILE (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      OwsClientTile *found = find_tile (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
phone_page (Fixture *f)
{
  GtkWidget *page = ows_test_gtk_find (GTK_WIDGET (f->window), OWS_TYPE_PHONE_PAGE);

  return page != NULL && gtk_widget_get_mapped (page) ? page : NULL;
}

/* The tile, tapped as a finger does; then the scan, over when the mock says. */
static void
choose_phone (Fixture *f)
{
  OwsClientTile *tile = NULL;

  ows_test_peer_send (f->bus.peer, P "user.activated", NULL);
  OWS_TEST_WAIT_UNTIL ((tile = find_tile (GTK_WIDGET (f->window), OWS_PHONE_CLIENT_NAME)) != NULL);
  g_assert_nonnull (tile);
  g_signal_emit_by_name (ows_test_gtk_find (GTK_WIDGET (tile), GTK_TYPE_BUTTON), "clicked");
  g_assert_true (ows_test_nm_wait_calls (f->nm, f->device, "RequestScan", 1, OWS_TEST_TIMEOUT_MS));
  OWS_TEST_WAIT_UNTIL (phone_page (f) != NULL);
  g_assert_nonnull (phone_page (f));
  ows_test_nm_set_property (f->nm, f->device, OWS_TEST_NM_WIRELESS_IFACE, "LastScan",
                            g_variant_new_int64 (2000));
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_WAITING);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_WAITING);
}

static void
assert_hotspot_shown (Fixture *f)
{
  const char *ssid = ows_phone_client_get_ssid (f->client);
  const char *password = ows_phone_client_get_password (f->client);
  g_autofree char *url = g_strdup (ows_phone_client_get_url (f->client));

  OWS_TEST_WAIT_UNTIL (ows_test_gtk_label_reading (phone_page (f), password) != NULL);
  g_assert_nonnull (ows_test_gtk_label_reading (phone_page (f), ssid));
  g_assert_nonnull (ows_test_gtk_label_reading (phone_page (f), password));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
#if HAVE_QRENCODE
  {
    g_autofree char *wifi = ows_qr_code_wifi_text (ssid, password, FALSE);
    GtkWidget *qr = ows_test_gtk_find (phone_page (f), OWS_TYPE_QR_CODE);

    g_assert_nonnull (qr);
    g_assert_true (gtk_widget_get_mapped (qr));
    g_assert_cmpstr (ows_qr_code_get_text (OWS_QR_CODE (qr)), ==, wifi);
  }
#endif
}

/* The address the window shows answers with the page. */
static void
assert_page_served (Fixture *f)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", ows_phone_client_get_url (f->client));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "Home"));
}

/* Tab, as a keyboard does, from the start of the window round to it again:
 * whether it lands on @target (or inside it) on the way. */
static gboolean
reached_by_tab (Fixture   *f,
                GtkWidget *target)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  gboolean reached = FALSE;

  gtk_root_set_focus (GTK_ROOT (window), NULL);
  for (guint i = 0; i < 40 && !reached; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
        break;
      focus = gtk_root_get_focus (GTK_ROOT (window));
      reached = focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target));
    }
  return reached;
}

static void
resize (Fixture *f,
        int      width,
        int      height)
{
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  OWS_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (f->window)) == width &&
              gtk_widget_get_height (GTK_WIDGET (f->window)) == height);
}

static void
screenshot (Fixture    *f,
            const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("phone-%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  /* A style or direction just changed is drawn with the next frame. */
  ows_test_sleep (300);
  ows_test_gtk_save_png (GTK_WIDGET (f->window), path);
  g_test_message ("%s", path);
}

/* ---- the tests ---- */

static void
test_shown (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *back;

  if (f->nm == NULL)
    {
      g_test_skip ("python3-dbusmock (/usr/bin/python3) or dbus-daemon is missing");
      return;
    }
  choose_phone (f);
  assert_hotspot_shown (f);
  assert_page_served (f);

  /* Never a dead end: Back to Choices takes the hotspot down. */
  back = (GtkWidget *) ows_test_gtk_label_reading (GTK_WIDGET (f->window), "Back to Choices");
  g_assert_nonnull (back);
  back = gtk_widget_get_ancestor (back, GTK_TYPE_BUTTON);
  g_assert_nonnull (back);

  /* Without a touchscreen: the password (to read it out, to copy it) and
   * the way back are reached with Tab. */
  g_assert_true (reached_by_tab (f, (GtkWidget *) ows_test_gtk_label_reading (phone_page (f),
                                                       ows_phone_client_get_password (f->client))));
  g_assert_true (reached_by_tab (f, back));
  g_signal_emit_by_name (back, "clicked");
  OWS_TEST_WAIT_UNTIL (ows_phone_client_get_state (f->client) == OWS_PHONE_STATE_IDLE);
  g_assert_cmpint (ows_phone_client_get_state (f->client), ==, OWS_PHONE_STATE_IDLE);
  OWS_TEST_WAIT_UNTIL (phone_page (f) == NULL);
  g_assert_null (phone_page (f));
}

/* Beside the OVOS screen a kiosk stays: the phone client's page is ours. */
static void
test_kiosk_stays (Fixture       *f,
                  gconstpointer  data)
{
  if (f->nm == NULL)
    {
      g_test_skip ("python3-dbusmock (/usr/bin/python3) or dbus-daemon is missing");
      return;
    }
  OWS_TEST_WAIT_UNTIL (ows_manager_get_ovos_gui (f->bus.manager));
  choose_phone (f);
  assert_hotspot_shown (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (f->nm == NULL)
    {
      g_test_skip ("python3-dbusmock (/usr/bin/python3) or dbus-daemon is missing");
      return;
    }
  choose_phone (f);
  assert_hotspot_shown (f);
  screenshot (f, "800x480");
  resize (f, 480, 800);
  screenshot (f, "480x800");
  resize (f, 320, 480);
  screenshot (f, "320x480");
  resize (f, 800, 480);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (f, "800x480-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  gtk_widget_set_direction (GTK_WIDGET (f->window), GTK_TEXT_DIR_RTL);
  screenshot (f, "800x480-rtl");
  gtk_widget_set_direction (GTK_WIDGET (f->window), GTK_TEXT_DIR_NONE);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  ows_test_init (&argc, &argv);
  if (ows_test_nm_available ())
    ows_test_nm_ensure_bus ();

  app = ows_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/ows/phone-window/shown", Fixture, &desktop, fixture_setup, test_shown,
              fixture_teardown);
  g_test_add ("/ows/phone-window/kiosk-stays", Fixture, &kiosk_beside_ovos, fixture_setup,
              test_kiosk_stays, fixture_teardown);
  g_test_add ("/ows/phone-window/screenshots", Fixture, &desktop, fixture_setup, test_screenshots,
              fixture_teardown);

  ows_test_gtk_styles (FALSE);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
