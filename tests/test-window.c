/* test-window.c: the window on a real bus, under Xvfb: tiles, taps, screens, kiosk, screenshots.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A scripted client registers over OwsBusServer exactly as real clients do;
 * taps are real button activations, and what they do is checked on the bus.
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "config.h"
#include "ows-application.h"
#include "ows-client-tile.h"
#include "ows-connectivity-private.h"
#include "ows-connectivity-notice.h"
#include "ows-display-text.h"
#include "ows-selection-page.h"
#include "ows-test-bus.h"
#include "ows-test-gtk.h"
#include "ows-waiting-page.h"
#include "ows-window.h"

#define P OWS_PREFIX

/* Windows belong to the app, as in the program. */
static OwsApplication *app;

typedef struct {
  OwsTestBus bus;
  OwsWindow *window;
  OwsService *view;  /* a second service, viewing the bus's manager */
} Fixture;

/* How a test's device is set up. */
typedef struct {
  gboolean kiosk;
  OwsTestGui ovos_gui;        /* what ovos-gui answers, if it runs */
} Device;

/* A desktop, and a kiosk, beside an OVOS screen (ovos-shell) that clients
 * with their own GUI draw on; and a kiosk with no OVOS screen at all. */
static const Device desktop = { FALSE, OWS_TEST_GUI_CONNECTED };
static const Device kiosk = { TRUE, OWS_TEST_GUI_CONNECTED };
static const Device bare_kiosk = { TRUE, OWS_TEST_GUI_SILENT };
static const Device bare_desktop = { FALSE, OWS_TEST_GUI_SILENT };

/* What the window shows: a phase's page, or the bus's absence over it. */
#define SCREEN_UNREACHABLE (-1)

typedef struct {
  OwsWindow *window;
  int screen;
} ScreenWait;

static void shoot_as (Fixture    *f,
                      int         screen,
                      const char *name);
static void save_screenshot (GtkWidget  *window,
                             const char *name);
static void assert_fits (GtkWidget *window,
                         gboolean   above_fold);

static void
open_window (Fixture *f,
             gboolean kiosk_mode)
{
  f->window = ows_window_new (GTK_APPLICATION (app), f->bus.service, kiosk_mode);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  if (!kiosk_mode)
    gtk_window_present (GTK_WINDOW (f->window));
}

/* A device that is online, and knows it. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Device *device = data;

  ows_test_bus_init (&f->bus, TRUE);
  ows_test_peer_answer_gui (f->bus.peer, device->ovos_gui);
  ows_test_bus_start_online (&f->bus);
  open_window (f, device->kiosk);
}

/* A device that does not know yet: the watchdog's first probe finds no
 * internet, which it keeps to itself during the grace period. */
static void
fixture_setup_no_verdict (Fixture       *f,
                          gconstpointer  data)
{
  const Device *device = data;

  ows_test_bus_init (&f->bus, TRUE);
  ows_test_peer_answer_gui (f->bus.peer, device->ovos_gui);
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_CLOSED);
  ows_test_bus_start (&f->bus);
  g_assert_cmpint (ows_connectivity_get_state (f->bus.connectivity), ==, OWS_CONNECTIVITY_UNKNOWN);
  open_window (f, device->kiosk);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_clear_object (&f->view);
  ows_test_bus_teardown (&f->bus);
}

static gboolean
is_viewing (gpointer data)
{
  return ows_service_get_role (data) == OWS_SERVICE_ROLE_VIEWING;
}

/* The device's setup service (the bus's manager, with no window of its
 * own: headless) is at work; the window opened from a launcher views it. */
static void
fixture_setup_view (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  ows_test_bus_init (&f->bus, TRUE);
  ows_test_bus_start_online (&f->bus);
  f->view = ows_service_new (f->bus.config, f->bus.url, f->bus.monitor);
  g_signal_connect_swapped (f->view, "other-manager", G_CALLBACK (ows_service_view), f->view);
  g_assert_true (ows_service_start (f->view, FALSE, &error));
  g_assert_true (ows_test_wait_until (is_viewing, f->view, OWS_TEST_TIMEOUT_MS));
  f->window = ows_window_new (GTK_APPLICATION (app), f->view, FALSE);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  gtk_window_present (GTK_WINDOW (f->window));
}

/* Waits for a message of that type, and needs nothing else from it. */
static void
see (Fixture    *f,
     const char *type)
{
  ows_message_unref (ows_test_peer_expect (f->bus.peer, type));
}

static const char *
screen_name (int screen)
{
  return screen == SCREEN_UNREACHABLE ? "unreachable" : ows_phase_to_nick (screen);
}

static int
window_screen (OwsWindow *window)
{
  return ows_window_get_bus_lost (window) ? SCREEN_UNREACHABLE : (int) ows_window_get_phase (window);
}

static gboolean
screen_is (gpointer data)
{
  ScreenWait *wait = data;

  return window_screen (wait->window) == wait->screen;
}

static void
wait_screen (Fixture *f,
             int      screen)
{
  ScreenWait wait = { f->window, screen };

  if (!ows_test_wait_until (screen_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("the window shows “%s”, expected “%s”", screen_name (window_screen (f->window)),
             screen_name (screen));
}

static char *
register_client (Fixture    *f,
                 const char *name,
                 const char *type,
                 const char *text,
                 gboolean    has_gui,
                 gboolean    requires_input)
{
  g_autofree char *data = ows_test_client_json (name, type, text, has_gui, requires_input);

  ows_test_peer_send (f->bus.peer, P "register.client", data);
  for (;;)
    {
      g_autoptr(OwsMessage) reply = ows_test_peer_expect (f->bus.peer, P "client.registered");
      JsonObject *reply_data = ows_message_get_data (reply);

      if (g_strcmp0 (json_object_get_string_member (reply_data, "client"), name) == 0)
        return g_strdup (json_object_get_string_member (reply_data, "id"));
    }
}

static int
by_position (gconstpointer a,
             gconstpointer b)
{
  GtkWidget *wa = *(GtkWidget **) a, *wb = *(GtkWidget **) b;
  graphene_point_t pa, pb;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (wa));

  g_assert_true (gtk_widget_compute_point (wa, root, &GRAPHENE_POINT_INIT (0, 0), &pa));
  g_assert_true (gtk_widget_compute_point (wb, root, &GRAPHENE_POINT_INIT (0, 0), &pb));
  return pa.y != pb.y ? (pa.y < pb.y ? -1 : 1) : (pa.x < pb.x ? -1 : pa.x > pb.x);
}

/* The tiles on screen, in reading order (top to bottom, left to right). */
static GPtrArray *
tiles (Fixture *f)
{
  GPtrArray *found = g_ptr_array_new ();

  ows_test_gtk_collect (GTK_WIDGET (f->window), OWS_TYPE_CLIENT_TILE, found);
  g_ptr_array_sort (found, by_position);
  return found;
}

typedef struct {
  Fixture *f;
  guint n;
} TileWait;

static gboolean
n_tiles_is (gpointer data)
{
  TileWait *wait = data;
  g_autoptr(GPtrArray) found = tiles (wait->f);

  return found->len == wait->n;
}

static GPtrArray *
wait_tiles (Fixture *f,
            guint    n)
{
  TileWait wait = { f, n };

  if (!ows_test_wait_until (n_tiles_is, &wait, OWS_TEST_TIMEOUT_MS))
    {
      g_autoptr(GPtrArray) found = tiles (f);
      g_error ("%u tiles on screen, expected %u", found->len, n);
    }
  return tiles (f);
}

static void
assert_tile (GtkWidget  *tile,
             const char *name)
{
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_PROPERTY_LABEL, name);
}

/* A button matched by its action or by its label. */
typedef struct {
  GtkWidget *root;
  const char *action_name;
  const char *label;
} ButtonQuery;

static GtkWidget *
lookup_button (ButtonQuery *query)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ows_test_gtk_collect (query->root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if ((query->action_name != NULL &&
         g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), query->action_name) == 0) ||
        (query->label != NULL && g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), query->label) == 0))
      return buttons->pdata[i];
  return NULL;
}

static gboolean
button_shown (gpointer data)
{
  return lookup_button (data) != NULL;
}

/* The button, once it is laid out on screen. */
static GtkWidget *
wait_button (GtkWidget  *root,
             const char *action_name,
             const char *label)
{
  ButtonQuery query = { root, action_name, label };

  if (!ows_test_wait_until (button_shown, &query, OWS_TEST_TIMEOUT_MS))
    g_error ("no button for %s on screen", action_name ? action_name : label);
  return lookup_button (&query);
}

static void
tap (Fixture    *f,
     const char *action_name)
{
  GtkWidget *button = wait_button (GTK_WIDGET (f->window), action_name, NULL);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
has_label (GtkWidget  *widget,
           const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, needle))
      return TRUE;
  return FALSE;
}

static void
start_setup (Fixture *f)
{
  ows_test_peer_send (f->bus.peer, P "user.activated", NULL);
  see (f, P "setup.launched");
}

/* Connectivity: the watchdog probes the test's endpoint, as on a device */

typedef struct {
  OwsConnectivity *watchdog;
  OwsConnectivityState state;
} ConnectivityWait;

static gboolean
connectivity_is (gpointer data)
{
  ConnectivityWait *wait = data;

  return ows_connectivity_get_state (wait->watchdog) == wait->state;
}

/* The network now answers as @mode says; the watchdog's verdict is @state. */
static void
network_becomes (Fixture              *f,
                 OwsTestProbeMode      mode,
                 OwsConnectivityState  state)
{
  ConnectivityWait wait = { f->bus.connectivity, state };

  ows_test_probe_set_mode (f->bus.probe, mode);
  ows_connectivity_check (f->bus.connectivity);
  if (!ows_test_wait_until (connectivity_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("connectivity is %s, expected %s",
             ows_connectivity_state_to_string (ows_connectivity_get_state (f->bus.connectivity)),
             ows_connectivity_state_to_string (state));
}

static GtkWidget *
find_alert (GtkWidget *widget)
{
  if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_ALERT)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_alert (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
notice (Fixture *f)
{
  GtkWidget *found = ows_test_gtk_find (GTK_WIDGET (f->window), OWS_TYPE_CONNECTIVITY_NOTICE);

  g_assert_nonnull (found);
  return found;
}

/* Text the user can see: a label on screen (has_label also finds hidden ones). */
static GtkLabel *
shown_label (GtkWidget  *widget,
             const char *needle)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ows_test_gtk_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), needle) != NULL)
      return labels->pdata[i];
  return NULL;
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *needle)
{
  return shown_label (widget, needle) != NULL;
}

typedef struct {
  GtkWidget *root;
  const char *text;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return shows_text (wait->root, wait->text);
}

/* Text on screen, in the window, within the deadline. */
static void
wait_text (Fixture    *f,
           const char *text)
{
  TextWait wait = { GTK_WIDGET (f->window), text };

  if (!ows_test_wait_until (text_shown, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("no “%s” on screen", text);
}

static gboolean
notice_shown (gpointer data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ows_test_gtk_collect (notice (data), GTK_TYPE_LABEL, labels);
  return labels->len > 0;
}

static gboolean
notice_hidden (gpointer data)
{
  return !notice_shown (data);
}

static void
wait_notice (Fixture  *f,
             gboolean  shown)
{
  if (!ows_test_wait_until (shown ? notice_shown : notice_hidden, f, OWS_TEST_TIMEOUT_MS))
    g_error ("the connectivity notice is %s, expected %s",
             shown ? "hidden" : "shown", shown ? "shown" : "hidden");
}

/* Tiles follow the registry */

static void
test_tiles_follow_registry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;
  g_autofree char *hotspot = NULL;

  start_setup (f);
  wait_screen (f, OWS_PHASE_WAITING);

  hotspot = register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  shown = wait_tiles (f, 2);
  assert_tile (shown->pdata[0], "Connect with a hotspot");
  assert_tile (shown->pdata[1], "Use the phone app");
  gtk_test_accessible_assert_property (shown->pdata[0], GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Shows its own screen. Needs touch or keyboard");
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* A late client appears live, after the others. */
  g_free (register_client (f, "sound", "dataOverSound", "Play the setup sound", FALSE, FALSE));
  shown = wait_tiles (f, 3);
  assert_tile (shown->pdata[2], "Play the setup sound");
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* A restarted client re-registers: its tile changes in place. */
  g_free (register_client (f, "phone", "Remote", "Use the new phone app", FALSE, FALSE));
  shown = wait_tiles (f, 3);
  assert_tile (shown->pdata[1], "Use the new phone app");
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* Deregistering removes exactly its tile. */
  ows_test_peer_send (f->bus.peer, P "deregister.client", "{\"client\": \"hotspot\"}");
  see (f, P "client.deregistered");
  shown = wait_tiles (f, 2);
  assert_tile (shown->pdata[0], "Use the new phone app");
  assert_tile (shown->pdata[1], "Play the setup sound");
  g_assert_cmpint (window_screen (f->window), ==, OWS_PHASE_SELECTION);
}

static guint
count_spinning (GtkWidget *widget)
{
  guint n = GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_spinning (child);
  return n;
}

/* An idle window draws nothing: GTK 4.8 animates a spinner even off screen,
 * so only the one on screen may spin. */
static void
test_spinner_only_while_waiting (Fixture       *f,
                                 gconstpointer  data)
{
  g_assert_cmpuint (count_spinning (GTK_WIDGET (f->window)), ==, 0);
  start_setup (f);
  wait_screen (f, OWS_PHASE_WAITING);
  g_assert_cmpuint (count_spinning (GTK_WIDGET (f->window)), ==, 1);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  g_assert_cmpuint (count_spinning (GTK_WIDGET (f->window)), ==, 0);
}

/* Display text is plain, bounded text: no markup, no bidi overrides, no controls. */
static void
test_tile_text_is_literal (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("<b>bold</b> &amp; \u202Eevil\x01");
  g_autoptr(GPtrArray) shown = NULL;
  g_autofree char *expected = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, 'x');
  start_setup (f);
  g_free (register_client (f, "odd", "Remote", text->str, FALSE, FALSE));
  shown = wait_tiles (f, 1);

  expected = ows_display_text_for_label (text->str);
  g_assert_true (g_str_has_prefix (expected, "<b>bold</b> &amp; evil"));
  g_assert_cmpuint (g_utf8_strlen (expected, -1), ==, OWS_DISPLAY_TEXT_MAX_CHARS + 1);
  assert_tile (shown->pdata[0], expected);
  g_assert_true (has_label (shown->pdata[0], "<b>bold</b> &amp; evil"));
  g_assert_cmpint (gtk_widget_get_width (shown->pdata[0]), <=, 800);
}

/* Taps are requests; the screen follows the manager */

static void
test_tap_selects (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *hotspot = NULL;
  g_autofree char *activate = NULL;
  g_autofree char *deactivate = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(OwsMessage) select = NULL;
  JsonObject *select_data;

  start_setup (f);
  hotspot = register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE);
  id = register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE);
  shown = wait_tiles (f, 2);
  ows_test_peer_clear (f->bus.peer);

  g_signal_emit_by_name (shown->pdata[1], "clicked");
  select = ows_test_peer_expect (f->bus.peer, P "client.select");
  select_data = ows_message_get_data (select);
  g_assert_cmpstr (json_object_get_string_member (select_data, "client"), ==, "phone");
  g_assert_cmpstr (json_object_get_string_member (select_data, "id"), ==, id);
  see (f, P "set.active.client");
  activate = g_strconcat (P "activate.", id, NULL);
  see (f, activate);
  wait_screen (f, OWS_PHASE_RUNNING);
  g_assert_true (has_label (GTK_WIDGET (f->window), "Use the phone app"));
  /* The selection went away: other screens and skills hear of it. */
  see (f, P "client.select.page.removed");

  /* The client gives up: back to the selection, with a notice naming it. */
  ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_text (f, "“Use the phone app” could not set up the network");

  /* Back to Choices on the running screen, on a connected device: the
   * client steps down, the choices come back, nothing is completed. */
  g_clear_pointer (&shown, g_ptr_array_unref);
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  wait_screen (f, OWS_PHASE_RUNNING);
  ows_test_peer_clear (f->bus.peer);
  tap (f, "setup.back");
  see (f, P "user.activated");
  deactivate = g_strconcat (P "deactivate.", hotspot, NULL);
  see (f, deactivate);
  see (f, P "setup.launched");
  wait_screen (f, OWS_PHASE_SELECTION);
  g_assert_false (shows_text (GTK_WIDGET (f->window), "could not set up the network"));
  ows_test_peer_assert_none (f->bus.peer, "ovos.wifi.setup.completed", 300);
  ows_test_peer_assert_count (f->bus.peer, P "remove.active.client", 0);
}

/* Setup launched, one client, selected by another peer (a voice skill, say). */
static void
run_phone_client (Fixture *f)
{
  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"phone\"}");
  wait_screen (f, OWS_PHASE_RUNNING);
}

/* Another screen or a voice skill selects: this window follows. */
static void
test_follows_other_selector (Fixture       *f,
                             gconstpointer  data)
{
  run_phone_client (f);
  ows_test_peer_send (f->bus.peer, "mycroft.internet.connected", NULL);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, OWS_PHASE_CONNECTED);
}

static void
test_skip (Fixture       *f,
           gconstpointer  data)
{
  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  tap (f, "setup.skip");
  see (f, P "skip.setup");
  see (f, P "fully_offline");
  wait_screen (f, OWS_PHASE_OFFLINE);
  g_assert_true (has_label (GTK_WIDGET (f->window), "Setup Postponed"));

  /* The offline screen says how to start again, and that works. */
  g_assert_nonnull (wait_button (GTK_WIDGET (f->window), "app.wifi-setup", NULL));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static void
test_never_connect_confirms (Fixture       *f,
                             gconstpointer  data)
{
  AdwMessageDialog *dialog;

  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);

  /* Cancelled: nothing on the bus. */
  tap (f, "setup.never");
  g_assert_true (ows_test_wait_until (dialog_shown, NULL, OWS_TEST_TIMEOUT_MS));
  dialog = find_dialog ();
  g_assert_true (strstr (adw_message_dialog_get_body (dialog), "no updates") != NULL);
  g_assert_true (strstr (adw_message_dialog_get_body (dialog), "clock may be wrong") != NULL);
  /* Escape, or the window manager's close: the close response, "cancel". */
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (ows_test_wait_until (dialog_gone, NULL, OWS_TEST_TIMEOUT_MS));
  ows_test_peer_assert_none (f->bus.peer, P "fully.offline", 200);
  g_assert_cmpint (window_screen (f->window), ==, OWS_PHASE_SELECTION);

  /* Confirmed: fully.offline, and the offline screen. */
  tap (f, "setup.never");
  g_assert_true (ows_test_wait_until (dialog_shown, NULL, OWS_TEST_TIMEOUT_MS));
  g_signal_emit_by_name (wait_button (GTK_WIDGET (find_dialog ()), NULL, "_Never Connect"), "clicked");
  see (f, P "fully.offline");
  wait_screen (f, OWS_PHASE_OFFLINE);
  g_assert_true (has_label (GTK_WIDGET (f->window), "Staying Offline"));
}

/* The bus goes away and comes back: the unreachable screen covers the
 * selection meanwhile, and the selection is still there after. */
static void
test_bus_unreachable (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);

  ows_test_peer_free (f->bus.peer);
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, SCREEN_UNREACHABLE);
  g_assert_true (has_label (GTK_WIDGET (f->window), f->bus.url));
  g_assert_true (has_label (GTK_WIDGET (f->window), "Retrying"));

  g_assert_true (ows_bus_server_listen (f->bus.server, NULL, f->bus.port, NULL, &error));
  g_assert_no_error (error);
  f->bus.peer = ows_test_peer_new (f->bus.url);
  wait_screen (f, OWS_PHASE_SELECTION);
  g_assert_true (ows_manager_get_in_setup (f->bus.manager));
  ows_test_peer_assert_none (f->bus.peer, P "client.select.page.removed", 200);
}

/* Desktop: closing while a client runs only hides the window, and the
 * manager carries on; closing the selection ends it (page.removed). */
static void
test_desktop_close (Fixture       *f,
                    gconstpointer  data)
{
  run_phone_client (f);
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_nonnull (ows_manager_get_active_client (f->bus.manager));

  /* The client fails: the user must choose again, so the window is back. */
  ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
  wait_screen (f, OWS_PHASE_SELECTION);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  ows_test_peer_clear (f->bus.peer);
  gtk_window_close (GTK_WINDOW (f->window));
  see (f, P "client.select.page.removed");
  g_assert_false (ows_manager_get_in_setup (f->bus.manager));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
}

/* Kiosk */

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

static void
test_kiosk (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *gui_id = NULL;
  g_autofree char *deactivate = NULL;
  g_autoptr(GPtrArray) shown = NULL;

  g_assert_true (ows_window_get_kiosk (f->window));
  /* Nothing to do: nothing on screen. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (f->window)));

  start_setup (f);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (f->window)));
  gui_id = register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);

  /* Not closable. */
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* A client with its own GUI owns the OVOS screen: step aside. */
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  g_clear_pointer (&shown, g_ptr_array_unref);
  g_assert_true (ows_test_wait_until (window_hidden, f->window, OWS_TEST_TIMEOUT_MS));

  /* The drop-down "wifi setup" entry: the choices again, whatever runs. */
  deactivate = g_strconcat (P "deactivate.", gui_id, NULL);
  ows_test_peer_clear (f->bus.peer);
  ows_test_peer_send (f->bus.peer, P "user.activated", NULL);
  see (f, deactivate);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  wait_screen (f, OWS_PHASE_SELECTION);
  ows_test_peer_assert_none (f->bus.peer, "ovos.wifi.setup.completed", 200);
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  g_clear_pointer (&shown, g_ptr_array_unref);
  g_assert_true (ows_test_wait_until (window_hidden, f->window, OWS_TEST_TIMEOUT_MS));

  /* It fails: back, on the selection. */
  ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  wait_screen (f, OWS_PHASE_SELECTION);

  /* A client without a GUI: the kiosk shows its progress. */
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[1], "clicked");
  wait_screen (f, OWS_PHASE_RUNNING);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (f->window)));

  /* Online: "connected" for a few seconds, then the screen is the device's again. */
  ows_test_peer_send (f->bus.peer, "mycroft.internet.connected", NULL);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, OWS_PHASE_CONNECTED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (ows_test_wait_until (window_hidden, f->window, 10 * 1000));
}

/* Layout and keyboard */

static void
assert_touch_targets (Fixture *f)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ows_test_gtk_collect (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = buttons->pdata[i];
      graphene_rect_t bounds;

      if (gtk_widget_get_ancestor (button, ADW_TYPE_HEADER_BAR) != NULL)
        continue;
      /* What a finger can hit: the border box, padding included. */
      g_assert_true (gtk_widget_compute_bounds (button, button, &bounds));
      if (bounds.size.height < 48 || bounds.size.width < 48)
        g_error ("a %s button of %g×%g px is smaller than a finger",
                 G_OBJECT_TYPE_NAME (button), bounds.size.width, bounds.size.height);
    }
}

static gboolean
focus_on (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) shown = tiles (f);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return shown->len > 0 && focus == shown->pdata[0];
}

typedef struct {
  Fixture *f;
  const char *name;
} FocusWait;

/* Focus is on the tile of the client of that name. */
static gboolean
focus_on_client (gpointer data)
{
  FocusWait *wait = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (wait->f->window));

  OwsClient *client = OWS_IS_CLIENT_TILE (focus) ? ows_client_tile_get_client (OWS_CLIENT_TILE (focus))
                                                 : NULL;

  return client != NULL && g_strcmp0 (ows_client_get_name (client), wait->name) == 0;
}

/* The icon of the status page on screen: big, whatever the theme. */
static void
assert_status_icon (Fixture *f)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  guint n = 0;

  ows_test_gtk_collect (GTK_WIDGET (f->window), GTK_TYPE_IMAGE, images);
  for (guint i = 0; i < images->len; i++)
    if (gtk_widget_has_css_class (images->pdata[i], "icon") &&
        gtk_widget_get_ancestor (images->pdata[i], ADW_TYPE_STATUS_PAGE) != NULL)
      {
        g_assert_cmpint (gtk_widget_get_height (images->pdata[i]), >=, 64);
        n++;
      }
  g_assert_cmpuint (n, ==, 1);
}

/* 48 px targets on every screen, with libadwaita's style sheet or with a
 * GTK_THEME that replaces it (the `window-theme` run of this test). */
static void
test_targets_every_screen (Fixture       *f,
                           gconstpointer  data)
{
  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  g_assert_true (ows_test_wait_until (focus_on, f, OWS_TEST_TIMEOUT_MS));
  assert_touch_targets (f);
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"phone\"}");
  wait_screen (f, OWS_PHASE_RUNNING);
  wait_text (f, "Use the phone app");
  assert_touch_targets (f);
  assert_status_icon (f);
  tap (f, "setup.back");
  wait_screen (f, OWS_PHASE_SELECTION);
  tap (f, "setup.skip");
  wait_screen (f, OWS_PHASE_OFFLINE);
  wait_text (f, "Setup Postponed");
  assert_touch_targets (f);
  assert_status_icon (f);
}

static void
test_layout_and_keyboard (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;
  graphene_point_t first, second;
  GtkWidget *focus;

  start_setup (f);
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE));
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  g_free (register_client (f, "other", "whatever", "Something else", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);

  /* Focus starts on the first tile; arrows move between tiles. */
  g_assert_true (ows_test_wait_until (focus_on, f, OWS_TEST_TIMEOUT_MS));
  shown = wait_tiles (f, 3);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_RIGHT));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == shown->pdata[1]);
  assert_touch_targets (f);

  /* Landscape: one row. */
  g_assert_true (gtk_widget_compute_point (shown->pdata[0], GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &first));
  g_assert_true (gtk_widget_compute_point (shown->pdata[1], GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &second));
  g_assert_cmpfloat (first.y, ==, second.y);
  g_assert_cmpfloat (first.x, <, second.x);
}

static gboolean
window_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

/* A kiosk with no OVOS screen (cage, weston): a client that would draw its
 * input there is not offered, the kiosk never steps aside for a GUI that
 * shows nowhere, and the choices are always a tap away. Once ovos-shell
 * runs, the tile is back and the kiosk steps aside for it. */
static void
test_no_ovos_screen (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *gui_id = NULL;
  g_autofree char *balena_id = NULL;
  g_autofree char *deactivate = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(JsonObject) status = NULL;

  start_setup (f);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  gui_id = register_client (f, "gui-network", "onDevice", "On Device Setup", TRUE, TRUE);
  wait_screen (f, OWS_PHASE_WAITING);
  wait_text (f, "1 setup method needs the OVOS screen, which is not running");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ows_manager_get_registry (f->bus.manager))),
                    ==, 1);
  status = ows_test_peer_status (f->bus.peer);
  g_assert_false (json_object_get_boolean_member (status, "ovos_gui"));
  shoot_as (f, OWS_PHASE_WAITING, "waiting-needs-ovos-screen");

  /* A client with a GUI that needs no input (Balena's) is offered; while
   * it runs the kiosk stays, and says what to do. */
  balena_id = register_client (f, "balena", "Remote", "On Mobile Setup", TRUE, FALSE);
  shown = wait_tiles (f, 1);
  assert_tile (shown->pdata[0], "On Mobile Setup");
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  g_clear_pointer (&shown, g_ptr_array_unref);
  wait_screen (f, OWS_PHASE_RUNNING);
  g_assert_false (ows_test_wait_until (window_unmapped, f->window, 300));
  g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (f->window)));
  wait_text (f, "Use a phone or a computer");

  /* Chosen by a voice skill all the same, the other one: still on screen,
   * with a way back. */
  tap (f, "setup.back");
  see (f, P "user.activated");
  deactivate = g_strconcat (P "deactivate.", balena_id, NULL);
  see (f, deactivate);
  wait_screen (f, OWS_PHASE_SELECTION);
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"gui-network\"}");
  wait_screen (f, OWS_PHASE_RUNNING);
  g_assert_false (ows_test_wait_until (window_unmapped, f->window, 300));
  wait_text (f, "It shows its steps on the OVOS screen, which is not running here");
  shoot_as (f, OWS_PHASE_RUNNING, "running-without-ovos-screen");
  tap (f, "setup.back");
  wait_screen (f, OWS_PHASE_SELECTION);

  /* ovos-shell comes up: asked at the next launch, ovos-gui says so. */
  ows_test_peer_answer_gui (f->bus.peer, OWS_TEST_GUI_CONNECTED);
  start_setup (f);
  shown = wait_tiles (f, 2);
  assert_tile (shown->pdata[0], "On Device Setup");
  g_clear_pointer (&status, json_object_unref);
  status = ows_test_peer_status (f->bus.peer);
  g_assert_true (json_object_get_boolean_member (status, "ovos_gui"));
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  g_assert_true (ows_test_wait_until (window_hidden, f->window, OWS_TEST_TIMEOUT_MS));
}

/* The same on a desktop: the hidden client's tile is not there, and the
 * waiting screen tells why; another peer answering "not connected" is
 * as good as silence. */
static void
test_no_ovos_screen_desktop (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;

  ows_test_peer_answer_gui (f->bus.peer, OWS_TEST_GUI_DISCONNECTED);
  start_setup (f);
  g_free (register_client (f, "gui-a", "onDevice", "On Device Setup", TRUE, TRUE));
  g_free (register_client (f, "gui-b", "onDevice", "Another Screen Setup", TRUE, TRUE));
  wait_screen (f, OWS_PHASE_WAITING);
  wait_text (f, "2 setup methods need the OVOS screen, which is not running");
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  shown = wait_tiles (f, 1);
  assert_tile (shown->pdata[0], "Use the phone app");
}

/* A client says it is done, but the internet says otherwise: the window
 * checks, says so plainly, and offers the choices again. */
static void
test_finished_without_internet (Fixture       *f,
                                gconstpointer  data)
{
  run_phone_client (f);
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_SLOW);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, OWS_PHASE_CHECKING);
  g_assert_nonnull (wait_button (GTK_WIDGET (f->window), "setup.back", NULL));
  /* A sign-in page answers instead of the internet. */
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_WRONG_TEXT);
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_text (f, "“Use the phone app” finished, but this device still cannot reach the internet");
  ows_test_peer_assert_none (f->bus.peer, "ovos.wifi.setup.completed", 200);
  shoot_as (f, OWS_PHASE_SELECTION, "selection-finished-without-internet");

  /* Again, on a network that leads nowhere: no sign-in, the same words. */
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"phone\"}");
  wait_screen (f, OWS_PHASE_RUNNING);
  g_assert_false (shows_text (GTK_WIDGET (f->window), "finished, but"));
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_CLOSED);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_text (f, "“Use the phone app” finished, but this device still cannot reach the internet");
  g_assert_true (ows_manager_get_in_setup (f->bus.manager));
}

/* The failure notice is part of the page: it covers nothing, and it is
 * gone with the attempt it tells of. */
static void
test_failure_notice_covers_nothing (Fixture       *f,
                                    gconstpointer  data)
{
  GtkWidget *later, *never, *outcome;
  graphene_rect_t outcome_at, button_at;

  run_phone_client (f);
  ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_text (f, "“Use the phone app” could not set up the network");
  outcome = find_alert (ows_test_gtk_find (GTK_WIDGET (f->window), OWS_TYPE_SELECTION_PAGE));
  g_assert_nonnull (outcome);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (outcome), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "“Use the phone app” could not set up the network. "
                                       "Try again, or choose another way.");
  later = wait_button (GTK_WIDGET (f->window), "setup.skip", NULL);
  never = wait_button (GTK_WIDGET (f->window), "setup.never", NULL);
  g_assert_true (gtk_widget_compute_bounds (outcome, GTK_WIDGET (f->window), &outcome_at));
  g_assert_true (gtk_widget_compute_bounds (later, GTK_WIDGET (f->window), &button_at));
  g_assert_false (graphene_rect_intersection (&outcome_at, &button_at, NULL));
  g_assert_true (gtk_widget_compute_bounds (never, GTK_WIDGET (f->window), &button_at));
  g_assert_false (graphene_rect_intersection (&outcome_at, &button_at, NULL));
  /* No toast anywhere: nothing floats over a page. */
  g_assert_null (ows_test_gtk_find (GTK_WIDGET (f->window), ADW_TYPE_TOAST_OVERLAY));
  shoot_as (f, OWS_PHASE_SELECTION, "selection-failed");

  /* Connect Later: the offline page, its buttons free, the notice gone. */
  tap (f, "setup.skip");
  wait_screen (f, OWS_PHASE_OFFLINE);
  g_assert_false (shows_text (GTK_WIDGET (f->window), "could not set up the network"));
  assert_touch_targets (f);
}

/* Each kind of client running without a screen of its own: the page says
 * what happens and what the user may have to do. */
static void
test_running_says_what_to_do (Fixture       *f,
                              gconstpointer  data)
{
  static const struct {
    const char *type;
    gboolean has_gui;
    const char *says;
  } cases[] = {
    { "Remote", FALSE, "Use a phone or a computer" },
    { "onDevice", FALSE, "This device is connecting by itself" },
    { "dataOverSound", FALSE, "Listen in case this device asks you something" },
    { "onDevice", TRUE, "Follow the steps it shows on the screen" },
  };

  start_setup (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("client-%u", i);
      g_autofree char *select = g_strdup_printf ("{\"client\": \"%s\"}", name);

      g_test_message ("%s, GUI %d", cases[i].type, cases[i].has_gui);
      g_free (register_client (f, name, cases[i].type, "Some setup", cases[i].has_gui, FALSE));
      wait_screen (f, OWS_PHASE_SELECTION);
      ows_test_peer_send (f->bus.peer, P "client.select", select);
      wait_screen (f, OWS_PHASE_RUNNING);
      wait_text (f, cases[i].says);
      g_assert_nonnull (wait_button (GTK_WIDGET (f->window), "setup.back", NULL));
      tap (f, "setup.back");
      wait_screen (f, OWS_PHASE_SELECTION);
    }
}

/* No setup method at all for a while: the page stops promising one. */
static void
test_waiting_overdue (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *page = ows_test_gtk_find (GTK_WIDGET (f->window), OWS_TYPE_WAITING_PAGE);

  g_object_set (page, "patience", 1, NULL);
  start_setup (f);
  wait_screen (f, OWS_PHASE_WAITING);
  wait_text (f, "the first should appear here in a moment");
  wait_text (f, "No program that sets up the network has started");
  g_assert_false (shows_text (GTK_WIDGET (f->window), "in a moment"));
  g_assert_nonnull (wait_button (GTK_WIDGET (f->window), "setup.skip", NULL));
  shoot_as (f, OWS_PHASE_WAITING, "waiting-overdue");

  /* One appears after all. */
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
}

/* The focused tile's client goes: focus moves, visibly, to the tile that
 * takes its place, or the one before it when it was the last. */
static void
test_focus_when_tile_goes (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;
  FocusWait wait = { f, NULL };

  start_setup (f);
  g_free (register_client (f, "a", "Remote", "First way", FALSE, FALSE));
  g_free (register_client (f, "b", "Remote", "Second way", FALSE, FALSE));
  g_free (register_client (f, "c", "Remote", "Third way", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  g_assert_true (ows_test_wait_until (focus_on, f, OWS_TEST_TIMEOUT_MS));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_RIGHT));
  shown = wait_tiles (f, 3);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == shown->pdata[1]);
  gtk_window_set_focus_visible (GTK_WINDOW (f->window), FALSE);

  ows_test_peer_send (f->bus.peer, P "deregister.client", "{\"client\": \"b\"}");
  wait.name = "c";
  if (!ows_test_wait_until (focus_on_client, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("focus is not on the tile that took the removed one's place");
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (f->window)));

  ows_test_peer_send (f->bus.peer, P "deregister.client", "{\"client\": \"c\"}");
  wait.name = "a";
  if (!ows_test_wait_until (focus_on_client, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("focus is not on the tile before the removed last one");
}

/* Twelve ways to set up: rows that wrap and scroll up and down, never sideways. */
static void
test_many_clients_wrap (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;
  GtkScrolledWindow *scroller;
  GtkAdjustment *vertical;
  GtkPolicyType horizontal;
  graphene_point_t first, fourth;
  int row_length = 1;

  start_setup (f);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("method-%02u", i);
      g_autofree char *text = g_strdup_printf ("Setup method %u", i + 1);

      g_free (register_client (f, name, "Remote", text, FALSE, FALSE));
    }
  wait_screen (f, OWS_PHASE_SELECTION);
  /* The grid lays out what it shows: at least the first row. */
  ows_test_sleep (200);
  shown = tiles (f);
  g_assert_cmpuint (shown->len, >=, 3);
  while ((guint) row_length < shown->len)
    {
      g_assert_true (gtk_widget_compute_point (shown->pdata[0], GTK_WIDGET (f->window),
                                               &GRAPHENE_POINT_INIT (0, 0), &first));
      g_assert_true (gtk_widget_compute_point (shown->pdata[row_length], GTK_WIDGET (f->window),
                                               &GRAPHENE_POINT_INIT (0, 0), &fourth));
      if (fourth.y != first.y)
        break;
      row_length++;
    }
  g_assert_cmpint (row_length, >=, 3);
  g_assert_cmpint (row_length, <, 12);
  assert_fits (GTK_WIDGET (f->window), FALSE);

  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (shown->pdata[0], GTK_TYPE_SCROLLED_WINDOW));
  vertical = gtk_scrolled_window_get_vadjustment (scroller);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vertical), >, gtk_adjustment_get_page_size (vertical));
  gtk_scrolled_window_get_policy (scroller, &horizontal, NULL);
  g_assert_cmpint (horizontal, ==, GTK_POLICY_NEVER);
  shoot_as (f, OWS_PHASE_SELECTION, "selection-many");
}

/* Words for the person holding the device first, the address after. */
static void
test_unreachable_plain_words (Fixture       *f,
                              gconstpointer  data)
{
  GtkLabel *title, *address;
  graphene_point_t title_at, address_at;

  ows_test_peer_free (f->bus.peer);
  f->bus.peer = NULL;
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, SCREEN_UNREACHABLE);
  wait_text (f, "The Voice Assistant Is Not Running");
  wait_text (f, f->bus.url);
  title = shown_label (GTK_WIDGET (f->window), "The Voice Assistant Is Not Running");
  address = shown_label (GTK_WIDGET (f->window), f->bus.url);
  g_assert_nonnull (title);
  g_assert_nonnull (address);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (title), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &title_at));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (address), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &address_at));
  g_assert_cmpfloat (title_at.y, <, address_at.y);
  g_assert_false (shows_text (GTK_WIDGET (f->window), "Messagebus"));
  g_assert_false (shows_text (GTK_WIDGET (f->window), "messagebus"));
}

/* "Never Connect" on a captive portal: the watchdog is off, and so is its sign-in notice. */
static void
test_never_clears_portal_notice (Fixture       *f,
                                 gconstpointer  data)
{
  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  see (f, P "setup.launched");
  wait_notice (f, TRUE);
  ows_test_peer_send (f->bus.peer, P "fully.offline", NULL);
  wait_screen (f, OWS_PHASE_OFFLINE);
  wait_notice (f, FALSE);
  ows_test_peer_send (f->bus.peer, P "skip.setup", NULL);
  see (f, P "fully_offline");
  g_assert_false (notice_shown (f));
}

/* Kiosk text is bigger; its headings stay bigger than its body text. */
static void
test_kiosk_headings (Fixture       *f,
                     gconstpointer  data)
{
  PangoFontDescription *heading = NULL;
  PangoFontDescription *body = NULL;
  GtkLabel *title, *advice;

  start_setup (f);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  network_becomes (f, OWS_TEST_PROBE_CLOSED, OWS_CONNECTIVITY_NETWORK);
  wait_notice (f, TRUE);
  title = shown_label (notice (f), "Connected to a network without internet access");
  advice = shown_label (notice (f), "Check the router");
  g_assert_nonnull (title);
  g_assert_nonnull (advice);
  heading = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (title)));
  body = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (advice)));
  g_assert_cmpint (pango_font_description_get_size (heading), >=,
                   pango_font_description_get_size (body));
  g_assert_cmpint (pango_font_description_get_weight (heading), >,
                   pango_font_description_get_weight (body));
  save_screenshot (GTK_WIDGET (f->window), "kiosk-no-internet");
}

/* Screenshots: every screen, at a device's sizes and a desktop's, light
 * and dark, right to left and with large text; and every one checked as a
 * person would: nothing wider than the window, the buttons above the fold. */

typedef struct {
  GtkWidget *widget;
  int width;
  int height;
} SizeWait;

static gboolean
size_is (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_mapped (wait->widget) &&
         gtk_widget_get_width (wait->widget) == wait->width &&
         gtk_widget_get_height (wait->widget) == wait->height;
}

static void
wait_size (GtkWidget *window,
           int        width,
           int        height)
{
  SizeWait wait = { window, width, height };

  if (!ows_test_wait_until (size_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("the window is %d×%d px, not %d×%d", gtk_widget_get_width (window),
             gtk_widget_get_height (window), width, height);
  /* Compact status pages apply one idle after the first allocation. */
  ows_test_sleep (150);
}

static void assert_inside (GtkWidget *widget,
                           GtkWidget *window);

/* What a person can reach: every label and button within the window's
 * width; the buttons (but tiles, which scroll) within its height too,
 * where the screen is not a phone's 320 px. */
static void
assert_fits (GtkWidget *window,
             gboolean   above_fold)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  int width = gtk_widget_get_width (window);
  graphene_rect_t bounds;

  ows_test_gtk_collect (window, GTK_TYPE_LABEL, labels);
  ows_test_gtk_collect (window, GTK_TYPE_BUTTON, buttons);
  g_ptr_array_extend_and_steal (labels, g_steal_pointer (&buttons));
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *widget = labels->pdata[i];

      g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
      if (bounds.origin.x < -0.5 || bounds.origin.x + bounds.size.width > width + 0.5)
        g_error ("a %s of %g px at x = %g is cut off by the %d px window", G_OBJECT_TYPE_NAME (widget),
                 bounds.size.width, bounds.origin.x, width);
      if (above_fold && GTK_IS_BUTTON (widget) && !OWS_IS_CLIENT_TILE (widget))
        assert_inside (widget, window);
    }
}

/* The window as it is, whatever its size: _build/tests/screenshots/@name.png. */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  ows_test_gtk_save_png (window, path);
  g_test_message ("%s", path);
}

typedef struct {
  int width;
  int height;
  AdwColorScheme scheme;
  gboolean rtl;
  double text_scale;
  const char *name;
} Shot;

/* Every screen gets these; the special states of other tests, the first. */
static const Shot shots[] = {
  { 800, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, 1.0, "800x480-light" },
  { 320, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, 1.0, "320x480-light" },
  { 480, 800, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, 1.0, "480x800-light" },
  { 1280, 800, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, 1.0, "1280x800-light" },
  { 800, 480, ADW_COLOR_SCHEME_FORCE_DARK, FALSE, 1.0, "800x480-dark" },
  { 320, 480, ADW_COLOR_SCHEME_FORCE_DARK, FALSE, 1.0, "320x480-dark" },
  { 480, 800, ADW_COLOR_SCHEME_FORCE_DARK, FALSE, 1.0, "480x800-dark" },
  { 1280, 800, ADW_COLOR_SCHEME_FORCE_DARK, FALSE, 1.0, "1280x800-dark" },
  { 800, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, TRUE, 1.0, "800x480-rtl" },
  { 480, 800, ADW_COLOR_SCHEME_FORCE_LIGHT, TRUE, 1.0, "480x800-rtl" },
  { 800, 480, ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE, 1.5, "800x480-large-text" },
};

/* A fresh window per shot: GTK 4 sizes a window once, when it is first
 * shown. Saved as _build/tests/screenshots/@name-@shot.png. */
static void
shoot_shots (Fixture    *f,
             int         screen,
             const char *name,
             guint       n_shots)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  for (guint i = 0; i < n_shots; i++)
    {
      const Shot *shot = &shots[i];
      OwsWindow *window;
      ScreenWait screen_wait;
      g_autofree char *file = g_strdup_printf ("%s-%s.png", name, shot->name);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), shot->scheme);
      gtk_widget_set_default_direction (shot->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      g_object_set (settings, "gtk-xft-dpi", (int) (dpi * shot->text_scale), NULL);
      window = ows_window_new (GTK_APPLICATION (app), f->bus.service, FALSE);
      screen_wait = (ScreenWait) { window, screen };
      gtk_window_set_default_size (GTK_WINDOW (window), shot->width, shot->height);
      gtk_window_present (GTK_WINDOW (window));
      g_test_message ("%s", path);
      wait_size (GTK_WIDGET (window), shot->width, shot->height);
      g_assert_true (ows_test_wait_until (screen_is, &screen_wait, OWS_TEST_TIMEOUT_MS));
      ows_test_gtk_save_png (GTK_WIDGET (window), path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      assert_fits (GTK_WIDGET (window), shot->width > 320);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
shoot (Fixture *f,
       int      screen)
{
  shoot_shots (f, screen, screen_name (screen), G_N_ELEMENTS (shots));
}

/* A special state of a screen: the device's size and the phone's. */
static void
shoot_as (Fixture    *f,
          int         screen,
          const char *name)
{
  shoot_shots (f, screen, name, 2);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  /* Idle: no setup, and no verdict on the internet yet (the fixture). */
  shoot (f, OWS_PHASE_IDLE);
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_ONLINE);
  start_setup (f);
  shoot (f, OWS_PHASE_WAITING);
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a Wi-Fi hotspot", TRUE, TRUE));
  g_free (register_client (f, "phone", "Remote", "Use the OVOS phone app", FALSE, FALSE));
  g_free (register_client (f, "sound", "dataOverSound", "Play a setup sound near the device", FALSE, FALSE));
  shoot (f, OWS_PHASE_SELECTION);
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"phone\"}");
  wait_screen (f, OWS_PHASE_RUNNING);
  shoot (f, OWS_PHASE_RUNNING);
  /* The client is done; the answer is slow to come, for as long as the shots take. */
  ows_connectivity_set_probe_timeout (f->bus.connectivity, 120 * 1000);
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_SLOW);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, OWS_PHASE_CHECKING);
  shoot (f, OWS_PHASE_CHECKING);
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_ONLINE);
  wait_screen (f, OWS_PHASE_CONNECTED);
  shoot (f, OWS_PHASE_CONNECTED);
  ows_test_peer_send (f->bus.peer, P "skip.setup", NULL);
  wait_screen (f, OWS_PHASE_OFFLINE);
  shoot (f, OWS_PHASE_OFFLINE);

  ows_test_peer_free (f->bus.peer);
  f->bus.peer = NULL;
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, SCREEN_UNREACHABLE);
  shoot (f, SCREEN_UNREACHABLE);
  g_assert_true (ows_bus_server_listen (f->bus.server, NULL, f->bus.port, NULL, &error));
  f->bus.peer = ows_test_peer_new (f->bus.url);
}

/* The templates and the code take their words from the app's catalogue:
 * here the build's German one. */
static void
test_translated (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *po_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  g_autofree char *mo = g_build_filename (po_dir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *locale = g_strdup (setlocale (LC_MESSAGES, NULL));
  OwsWindow *window;
  GtkWidget *button;

  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    g_error ("no German catalogue at %s", mo);
  /* gettext ignores LANGUAGE in the C locale. */
  g_assert_nonnull (setlocale (LC_MESSAGES, "C.UTF-8"));
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  window = ows_window_new (GTK_APPLICATION (app), f->bus.service, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "WLAN-Einrichtung");
  button = wait_button (GTK_WIDGET (window), "app.wifi-setup", NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Netzwerk _einrichten");
  g_assert_cmpstr (_("Retrying…"), ==, "Erneuter Versuch …");
  gtk_window_destroy (GTK_WINDOW (window));

  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, locale);
}

/* Hostile text: every place the window shows what the bus (or a network)
 * said is plain, bounded text that stays inside the window, at a device's
 * 480×800 and on a desktop. A markup error would be a warning, and GLib's
 * test mode makes warnings fatal. */

typedef struct {
  int width;
  int height;
} WindowSize;

static const WindowSize portrait_size = { 480, 800 };
static const WindowSize desktop_size = { 1280, 800 };


/* GTK 4 sizes a window once, when it is first shown: one fixture per size. */
static void
fixture_setup_sized (Fixture       *f,
                     gconstpointer  data)
{
  const WindowSize *size = data;

  ows_test_bus_setup (&f->bus, TRUE);
  f->window = ows_window_new (GTK_APPLICATION (app), f->bus.service, FALSE);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_size (GTK_WIDGET (f->window), size->width, size->height);
}

typedef struct {
  char *text;       /* as a client says it */
  char *shown;      /* what a label must show */
} HostileText;

static void
hostile_text_free (HostileText *hostile)
{
  g_free (hostile->text);
  g_free (hostile->shown);
  g_free (hostile);
}

static void
add_hostile (GPtrArray  *table,
             const char *text,
             const char *shown)
{
  HostileText *hostile = g_new0 (HostileText, 1);

  hostile->text = g_strdup (text);
  hostile->shown = g_strdup (shown);
  g_ptr_array_add (table, hostile);
}

/* @unit repeated to @n characters or more; @kept characters and an
 * ellipsis are what is shown. */
static void
add_hostile_long (GPtrArray  *table,
                  const char *unit,
                  guint       n)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *kept = NULL;
  g_autofree char *shown = NULL;

  while (g_utf8_strlen (text->str, -1) < n)
    g_string_append (text, unit);
  kept = g_utf8_substring (text->str, 0, OWS_DISPLAY_TEXT_MAX_CHARS);
  shown = g_strconcat (kept, "…", NULL);
  add_hostile (table, text->str, shown);
}

static GPtrArray *
hostile_texts (void)
{
  GPtrArray *table = g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_text_free);
  g_autoptr(GString) c0 = g_string_new ("c0[");
  g_autoptr(GString) c1 = g_string_new ("c1[");
  g_autoptr(GString) zalgo = g_string_new ("Z");
  g_autoptr(GString) zalgo_shown = g_string_new ("Z");
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *lines_kept = NULL;
  g_autofree char *lines_shown = NULL;

  /* Pango markup, well-formed and not: shown as typed. */
  add_hostile (table, "<b>bold</b> <span foreground=\"red\" size=\"xx-large\">red</span> "
                      "&amp; &lt; &#x202E; <i>unclosed <",
               "<b>bold</b> <span foreground=\"red\" size=\"xx-large\">red</span> "
               "&amp; &lt; &#x202E; <i>unclosed <");
  /* Every C0 control and DEL: tabs and line breaks become spaces, the rest goes. */
  for (char c = 1; c < 0x20; c++)
    g_string_append_c (c0, c);
  g_string_append (c0, "]del[\x7f]");
  add_hostile (table, c0->str, "c0[     ]del[]");
  add_hostile (table, "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J",
               "[31mred[0m ]0;title [2J");
  add_hostile (table, "one\ntwo\r\nthree\tfour", "one two  three four");
  /* A hundred lines would make a tile a hundred lines high. */
  for (guint i = 0; i < 100; i++)
    g_string_append (lines, "line\n");
  lines_kept = g_strndup (lines->str, OWS_DISPLAY_TEXT_MAX_CHARS);
  g_strdelimit (lines_kept, "\n", ' ');
  lines_shown = g_strconcat (lines_kept, "…", NULL);
  add_hostile (table, lines->str, lines_shown);
  add_hostile (table, "one\u2028two\u2029three", "one two three");
  /* Every C1 control: NEL is a line break, the rest goes. */
  for (gunichar c = 0x80; c < 0xA0; c++)
    g_string_append_unichar (c1, c);
  g_string_append_c (c1, ']');
  add_hostile (table, c1->str, "c1[ ]");
  /* Embeddings, overrides and isolates go; marks and zero-width characters stay. */
  add_hostile (table, "\u202Eevil\u202C \u202Aa\u202Bb\u202Dc \u2066x\u2067y\u2068z\u2069",
               "evil abc xyz");
  add_hostile (table, "\u200Fmark\u200E \u061Cx", "\u200Fmark\u200E \u061Cx");
  add_hostile (table, "zero\u200Bwidth\u200C\u200D\uFEFF\u2060", "zero\u200Bwidth\u200C\u200D\uFEFF\u2060");
  /* Zalgo: no more than eight marks on a letter. */
  for (guint i = 0; i < 100; i++)
    g_string_append (zalgo, "\u0301");
  for (guint i = 0; i < 8; i++)
    g_string_append (zalgo_shown, "\u0301");
  g_string_append (zalgo, "algo");
  g_string_append (zalgo_shown, "algo");
  add_hostile (table, zalgo->str, zalgo_shown->str);
  /* 10 000 characters, in words and in one word; a right-to-left word as
   * long as the registry takes (16 KiB). */
  add_hostile_long (table, "word ", 10000);
  add_hostile_long (table, "x", 10000);
  add_hostile_long (table, "\u05D0", 8000);
  return table;
}

/* What the display text promises, whatever it was given. */
static void
assert_clean_text (const char *text)
{
  guint n = 0;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_false (c == 0x2028 || c == 0x2029);
      g_assert_false ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
    }
  g_assert_cmpuint (n, <=, OWS_DISPLAY_TEXT_MAX_CHARS + 1);
}

static void
assert_inside (GtkWidget *widget,
               GtkWidget *window)
{
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.origin.x < 0 || bounds.origin.y < 0 ||
      bounds.origin.x + bounds.size.width > width + 0.5 ||
      bounds.origin.y + bounds.size.height > height + 0.5)
    g_error ("a %s of %g×%g px at (%g, %g) is not inside the %d×%d window",
             G_OBJECT_TYPE_NAME (widget), bounds.size.width, bounds.size.height,
             bounds.origin.x, bounds.origin.y, width, height);
}

/* Plain text, no more lines than the label allows, inside the window. */
static GtkLabel *
assert_shown_plain (GtkWidget  *window,
                    const char *text)
{
  OwsTestGtkText wait = { window, text };
  GtkLabel *label;

  if (!ows_test_wait_until (ows_test_gtk_label_shown, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("no label shows “%s”", text);
  label = ows_test_gtk_label_reading (window, text);
  g_assert_false (gtk_label_get_use_markup (label));
  if (gtk_label_get_lines (label) > 0)
    g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (label)), <=,
                     gtk_label_get_lines (label));
  assert_inside (GTK_WIDGET (label), window);
  return label;
}

/* Each hostile text through each place it is shown: its tile (and the
 * tile's accessible name), the running screen, and the notice that it
 * failed. */
static void
test_hostile_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) table = hostile_texts ();
  GtkWidget *window = GTK_WIDGET (f->window);

  start_setup (f);
  for (guint i = 0; i < table->len; i++)
    {
      HostileText *hostile = table->pdata[i];
      g_autofree char *name = g_strdup_printf ("hostile-%u", i);
      g_autofree char *shown = ows_display_text_for_label (hostile->text);
      g_autofree char *failed = g_strdup_printf ("“%s” could not set up the network. Try again, "
                                                 "or choose another way.", hostile->shown);
      g_autofree char *by_name = g_strdup_printf ("{\"client\": \"%s\"}", name);
      g_autoptr(GPtrArray) tile = NULL;
      OwsTestGtkText wait;
      GtkLabel *toast;

      g_test_message ("case %u", i);
      g_assert_cmpstr (shown, ==, hostile->shown);
      assert_clean_text (shown);

      g_free (register_client (f, name, "Remote", hostile->text, FALSE, TRUE));
      tile = wait_tiles (f, 1);
      assert_tile (tile->pdata[0], hostile->shown);
      assert_shown_plain (tile->pdata[0], hostile->shown);
      assert_inside (tile->pdata[0], window);

      ows_test_peer_send (f->bus.peer, P "client.select", by_name);
      wait_screen (f, OWS_PHASE_RUNNING);
      assert_shown_plain (window, hostile->shown);

      ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
      wait_screen (f, OWS_PHASE_SELECTION);
      wait = (OwsTestGtkText) { window, failed };
      if (!ows_test_wait_until (ows_test_gtk_label_shown, &wait, OWS_TEST_TIMEOUT_MS))
        {
          g_autoptr(GPtrArray) labels = g_ptr_array_new ();

          ows_test_gtk_collect (window, GTK_TYPE_LABEL, labels);
          for (guint j = 0; j < labels->len; j++)
            g_test_message ("shown: %s", gtk_label_get_text (labels->pdata[j]));
          g_error ("no notice says %s", failed);
        }
      toast = ows_test_gtk_label_reading (window, failed);
      assert_inside (GTK_WIDGET (toast), window);

      ows_test_peer_send (f->bus.peer, P "deregister.client", by_name);
      see (f, P "client.deregistered");
      g_clear_pointer (&tile, g_ptr_array_unref);
      tile = wait_tiles (f, 0);
    }
}

/* Text that is not UTF-8 cannot travel in a text frame (the bus closes the
 * connection), and JSON's lone surrogate escapes, which would decode to it,
 * make the frame malformed: it never reaches the registry (which refuses
 * such text too: /ows/registry/not-utf8), nor a label. */
static void
test_hostile_text_not_utf8 (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;

  start_setup (f);
  ows_test_peer_send (f->bus.peer, P "register.client",
                      "{\"client\": \"bad\", \"type\": \"Remote\", "
                      "\"display_text\": \"bad \\ud800 \\udfff text\", \"requires_input\": true}");
  g_free (register_client (f, "good", "Remote", "Good text", FALSE, TRUE));
  shown = wait_tiles (f, 1);
  assert_tile (shown->pdata[0], "Good text");
  g_assert_null (ows_registry_lookup_name (ows_manager_get_registry (f->bus.manager), "bad"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ows_manager_get_registry (f->bus.manager))),
                    ==, 1);
}

/* A captive portal's address comes from the network: the notice shows it
 * plain, on one line, inside the window, and says it to screen readers. */
static void
test_hostile_portal_address (gconstpointer data)
{
  const WindowSize *size = data;
  g_autoptr(GPtrArray) table = hostile_texts ();
  GtkWidget *window = gtk_window_new ();
  OwsConnectivityNotice *notice = g_object_new (OWS_TYPE_CONNECTIVITY_NOTICE, NULL);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (notice));
  gtk_window_set_default_size (GTK_WINDOW (window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (window));
  wait_size (window, size->width, size->height);
  ows_connectivity_notice_set_connectivity (notice, OWS_CONNECTIVITY_PORTAL);
  for (guint i = 0; i < table->len; i++)
    {
      HostileText *hostile = table->pdata[i];
      g_autofree char *address = g_strconcat ("http://portal.example/", hostile->text, NULL);
      g_autofree char *shown = ows_display_text_for_label (address);
      GtkWidget *alert;

      g_test_message ("case %u", i);
      assert_clean_text (shown);
      ows_connectivity_notice_set_portal_uri (notice, address);
      assert_shown_plain (window, shown);
      alert = find_alert (window);
      g_assert_nonnull (alert);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (alert),
                                           GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, shown);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Right to left: the first tile is the rightmost. */
static void
test_rtl (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = NULL;
  OwsClientTile *first = NULL;
  graphene_point_t button_at;
  GtkWidget *sign_in;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  start_setup (f);
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE));
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  shown = wait_tiles (f, 2);
  for (guint i = 0; i < shown->len; i++)
    if (g_str_equal (ows_client_get_name (ows_client_tile_get_client (shown->pdata[i])), "hotspot"))
      first = shown->pdata[i];
  g_assert_true (first == shown->pdata[shown->len - 1]);

  /* The notice mirrors too: its button on the left. */
  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  wait_notice (f, TRUE);
  sign_in = wait_button (GTK_WIDGET (f->window), "setup.sign-in", NULL);
  g_assert_true (gtk_widget_compute_point (sign_in, notice (f), &GRAPHENE_POINT_INIT (0, 0),
                                           &button_at));
  g_assert_cmpfloat (button_at.x, <, gtk_widget_get_width (notice (f)) / 2.0);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/* The connectivity notice */

/* A captive portal: the watchdog launches setup, and the notice above the
 * selection says where to sign in. Sign In is checked, not tapped: here it
 * could start a browser on a developer's desktop (but see
 * sign-in-without-browser). */
static void
test_portal_notice (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *address = ows_test_probe_dup_url (f->bus.probe, "/portal/login?from=check");
  graphene_point_t notice_at, tile_at;
  g_autoptr(GPtrArray) shown = NULL;
  GtkLabel *address_label;
  GtkWidget *alert, *sign_in;

  g_assert_false (notice_shown (f));

  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  g_assert_cmpstr (ows_connectivity_get_portal_uri (f->bus.connectivity), ==, address);
  see (f, P "setup.launched");
  wait_screen (f, OWS_PHASE_WAITING);
  wait_notice (f, TRUE);
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a Wi-Fi hotspot", TRUE, TRUE));
  g_free (register_client (f, "phone", "Remote", "Use the OVOS phone app", FALSE, FALSE));
  g_free (register_client (f, "sound", "dataOverSound", "Play a setup sound near the device", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_notice (f, TRUE);
  g_assert_true (shows_text (notice (f), "This network needs you to sign in"));
  /* The address, to copy, but no keyboard stop that would select it all. */
  address_label = shown_label (notice (f), address);
  g_assert_nonnull (address_label);
  g_assert_true (gtk_label_get_selectable (address_label));
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (address_label)));
  /* Keyboard users still start on the first tile. */
  g_assert_true (ows_test_wait_until (focus_on, f, OWS_TEST_TIMEOUT_MS));

  /* A bar across the window, above the screen. */
  shown = wait_tiles (f, 3);
  g_assert_true (gtk_widget_compute_point (notice (f), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &notice_at));
  g_assert_true (gtk_widget_compute_point (shown->pdata[0], GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &tile_at));
  g_assert_cmpfloat (notice_at.y, <, tile_at.y);
  g_assert_cmpint (gtk_widget_get_width (notice (f)), ==, gtk_widget_get_width (GTK_WIDGET (f->window)));

  /* Screen readers: an alert that says what it is about. */
  alert = find_alert (notice (f));
  g_assert_nonnull (alert);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (alert), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "This network needs you to sign in");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (alert), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       address);

  sign_in = wait_button (GTK_WIDGET (f->window), "setup.sign-in", NULL);
  g_assert_true (gtk_widget_is_ancestor (sign_in, notice (f)));
  g_assert_true (gtk_widget_is_sensitive (sign_in));
  /* Named by what it shows (GTK 4.8 would say "_Sign In Sign In"); the description says more. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sign_in), GTK_ACCESSIBLE_PROPERTY_LABEL, NULL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sign_in), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Opens the network’s sign-in page in a web browser");
  assert_touch_targets (f);

  shoot_as (f, OWS_PHASE_SELECTION, "selection-portal");

  /* Signed in, on another device say: online, and setup is over. */
  network_becomes (f, OWS_TEST_PROBE_ONLINE, OWS_CONNECTIVITY_ONLINE);
  wait_screen (f, OWS_PHASE_CONNECTED);
  wait_notice (f, FALSE);
  g_assert_false (gtk_widget_is_sensitive (sign_in));
  g_assert_null (ows_connectivity_get_portal_uri (f->bus.connectivity));
}

/* A network without internet: the notice says what to check and offers no
 * sign-in; setup is not launched for it, but the user may start it. */
static void
test_no_internet_notice (Fixture       *f,
                         gconstpointer  data)
{
  ButtonQuery sign_in = { NULL, "setup.sign-in", NULL };

  network_becomes (f, OWS_TEST_PROBE_CLOSED, OWS_CONNECTIVITY_NETWORK);
  see (f, "enclosure.notify.no_internet");
  wait_screen (f, OWS_PHASE_IDLE);
  wait_notice (f, TRUE);
  g_assert_true (shows_text (notice (f), "Connected to a network without internet access"));
  g_assert_true (shows_text (notice (f), "Check the router’s connection to the internet, or choose another network."));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (find_alert (notice (f))),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Connected to a network without internet access");
  sign_in.root = notice (f);
  g_assert_null (lookup_button (&sign_in));
  ows_test_peer_assert_none (f->bus.peer, P "setup.launched", 200);
  g_assert_false (ows_manager_get_in_setup (f->bus.manager));
  shoot_as (f, OWS_PHASE_IDLE, "idle-no-internet");

  start_setup (f);
  wait_screen (f, OWS_PHASE_WAITING);
  wait_notice (f, TRUE);

  network_becomes (f, OWS_TEST_PROBE_ONLINE, OWS_CONNECTIVITY_ONLINE);
  wait_notice (f, FALSE);
}

/* "Connected" says it all; under the unreachable cover nothing could act
 * on a notice. Back from the cover, it is back. */
static void
test_notice_not_on_connected_or_unreachable (Fixture       *f,
                                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wait_screen (f, OWS_PHASE_CONNECTED);
  g_assert_false (notice_shown (f));

  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  see (f, P "setup.launched");
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_notice (f, TRUE);

  ows_test_peer_free (f->bus.peer);
  f->bus.peer = NULL;
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, SCREEN_UNREACHABLE);
  g_assert_false (notice_shown (f));
  g_assert_cmpint (ows_connectivity_get_state (f->bus.connectivity), ==, OWS_CONNECTIVITY_PORTAL);

  g_assert_true (ows_bus_server_listen (f->bus.server, NULL, f->bus.port, NULL, &error));
  g_assert_no_error (error);
  f->bus.peer = ows_test_peer_new (f->bus.url);
  wait_screen (f, OWS_PHASE_SELECTION);
  wait_notice (f, TRUE);
}

/* A kiosk without a web browser: Sign In says so. Tapped only where no
 * browser is installed (CI, a kiosk image): elsewhere it would open one. */
static void
test_sign_in_without_browser (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *address = ows_test_probe_dup_url (f->bus.probe, "/portal/login?from=check");
  g_autoptr(GAppInfo) browser = g_app_info_get_default_for_uri_scheme ("http");
  const char *problem = "No web browser on this device could open it.";
  TextWait wait = { GTK_WIDGET (f->window), problem };

  if (HAVE_WEBKIT)
    {
      g_test_skip ("Sign In opens our sign-in window (sign-in-window)");
      return;
    }
  if (browser != NULL)
    {
      g_test_skip ("a web browser is installed: Sign In is not tapped");
      return;
    }

  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  wait_notice (f, TRUE);
  tap (f, "setup.sign-in");
  if (!ows_test_wait_until (text_shown, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("no “%s” on screen", problem);
  /* In the notice, beside the address, not over the page's buttons. */
  g_assert_true (shows_text (notice (f), problem));
  g_assert_true (shows_text (notice (f), address));
  /* Setup goes on: the user can still pick another network. */
  g_assert_true (ows_manager_get_in_setup (f->bus.manager));
}

static gboolean
portal_page_asked (gpointer data)
{
  Fixture *f = data;

  return ows_test_probe_get_path_requests (f->bus.probe, "/portal/login") > 0;
}

static gboolean
sign_in_enabled (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_is_sensitive (wait_button (GTK_WIDGET (f->window), "setup.sign-in", NULL));
}

/* Sign In opens our sign-in window (ovos-wifi-setup-portal, a program of
 * its own) at the portal's page; once the user got through (the form and
 * the keys are test-portal's), it sees the internet, ends by itself, and the
 * setup completes on the bus. */
static void
test_sign_in_window (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OwsMessage) completed = NULL;

  if (!HAVE_WEBKIT)
    {
      g_test_skip ("built without WebKitGTK: Sign In hands the page to a browser");
      return;
    }
  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  wait_notice (f, TRUE);
  ows_test_peer_clear (f->bus.peer);
  tap (f, "setup.sign-in");
  g_assert_true (ows_test_wait_until (portal_page_asked, f, 20000));
  /* One sign-in window at a time. */
  g_assert_false (sign_in_enabled (f));

  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_ONLINE);
  completed = ows_test_peer_wait (f->bus.peer, "ovos.wifi.setup.completed", 30000);
  g_assert_nonnull (completed);
  wait_screen (f, OWS_PHASE_CONNECTED);
}

/* A view of the headless setup service: its header says so; what its
 * no-input client does shows; Back shows the choices without asking that
 * service (which would start the same client again); a tap switches. */
static void
test_view_of_service (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *phone = register_client (f, "phone", "Remote", "Set Up With a Phone", FALSE, FALSE);
  g_autofree char *keys = register_client (f, "keys", "onDevice", "Type It Here", FALSE, TRUE);
  g_autofree char *activate_phone = g_strconcat (P "activate.", phone, NULL);
  g_autofree char *activate_keys = g_strconcat (P "activate.", keys, NULL);
  g_autoptr(GPtrArray) shown = NULL;

  g_assert_true (has_label (GTK_WIDGET (f->window), "Run by the setup service"));
  ows_test_peer_send (f->bus.peer, P "user.activated", NULL);
  see (f, activate_phone);
  wait_screen (f, OWS_PHASE_RUNNING);
  wait_text (f, "Set Up With a Phone");
  save_screenshot (GTK_WIDGET (f->window), "view-running-800x480");

  ows_test_peer_clear (f->bus.peer);
  tap (f, "setup.back");
  wait_screen (f, OWS_PHASE_SELECTION);
  ows_test_peer_assert_none (f->bus.peer, P "user.activated", 300);
  ows_test_peer_assert_count (f->bus.peer, P "setup.launched", 0);
  shown = wait_tiles (f, 2);
  save_screenshot (GTK_WIDGET (f->window), "view-selection-800x480");

  g_signal_emit_by_name (shown->pdata[1], "clicked");
  see (f, P "set.active.client");
  see (f, activate_keys);
  wait_screen (f, OWS_PHASE_RUNNING);
  wait_text (f, "Type It Here");
  g_assert_cmpstr (ows_client_get_id (ows_manager_get_active_client (f->bus.manager)), ==, keys);
  ows_test_peer_assert_count (f->bus.peer, P "client.select", 0);
}

static void
add_window_test (const char   *path,
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

  /* The app's own start-up (style sheet, icons, app.* actions), without
   * taking its name from a running instance on this session bus. */
  app = ows_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  add_window_test ("/ows/window/tiles-follow-registry", &desktop, test_tiles_follow_registry);
  add_window_test ("/ows/window/spinner-only-while-waiting", &desktop, test_spinner_only_while_waiting);
  add_window_test ("/ows/window/tile-text-is-literal", &desktop, test_tile_text_is_literal);
  g_test_add ("/ows/window/hostile-text-portrait", Fixture, &portrait_size,
              fixture_setup_sized, test_hostile_text, fixture_teardown);
  g_test_add ("/ows/window/hostile-text-desktop", Fixture, &desktop_size,
              fixture_setup_sized, test_hostile_text, fixture_teardown);
  add_window_test ("/ows/window/hostile-text-not-utf8", &desktop, test_hostile_text_not_utf8);
  g_test_add_data_func ("/ows/window/hostile-portal-address-portrait", &portrait_size,
                        test_hostile_portal_address);
  g_test_add_data_func ("/ows/window/hostile-portal-address-desktop", &desktop_size,
                        test_hostile_portal_address);
  add_window_test ("/ows/window/tap-selects", &desktop, test_tap_selects);
  add_window_test ("/ows/window/follows-other-selector", &desktop, test_follows_other_selector);
  add_window_test ("/ows/window/skip", &desktop, test_skip);
  add_window_test ("/ows/window/never-connect-confirms", &desktop, test_never_connect_confirms);
  add_window_test ("/ows/window/bus-unreachable", &desktop, test_bus_unreachable);
  add_window_test ("/ows/window/desktop-close", &desktop, test_desktop_close);
  add_window_test ("/ows/window/portal-notice", &desktop, test_portal_notice);
  add_window_test ("/ows/window/no-internet-notice", &desktop, test_no_internet_notice);
  add_window_test ("/ows/window/notice-not-on-connected-or-unreachable", &desktop,
                   test_notice_not_on_connected_or_unreachable);
  add_window_test ("/ows/window/sign-in-without-browser", &desktop, test_sign_in_without_browser);
  add_window_test ("/ows/window/sign-in-window", &desktop, test_sign_in_window);
  add_window_test ("/ows/window/kiosk", &kiosk, test_kiosk);
  add_window_test ("/ows/window/layout-and-keyboard", &desktop, test_layout_and_keyboard);
  add_window_test ("/ows/window/targets-every-screen", &desktop, test_targets_every_screen);
  add_window_test ("/ows/window/no-ovos-screen", &bare_kiosk, test_no_ovos_screen);
  add_window_test ("/ows/window/no-ovos-screen-desktop", &bare_desktop, test_no_ovos_screen_desktop);
  add_window_test ("/ows/window/finished-without-internet", &desktop, test_finished_without_internet);
  add_window_test ("/ows/window/failure-notice-covers-nothing", &desktop,
                   test_failure_notice_covers_nothing);
  add_window_test ("/ows/window/running-says-what-to-do", &desktop, test_running_says_what_to_do);
  add_window_test ("/ows/window/waiting-overdue", &desktop, test_waiting_overdue);
  add_window_test ("/ows/window/focus-when-tile-goes", &desktop, test_focus_when_tile_goes);
  add_window_test ("/ows/window/many-clients-wrap", &desktop, test_many_clients_wrap);
  add_window_test ("/ows/window/unreachable-plain-words", &desktop, test_unreachable_plain_words);
  add_window_test ("/ows/window/never-clears-portal-notice", &desktop, test_never_clears_portal_notice);
  add_window_test ("/ows/window/kiosk-headings", &kiosk, test_kiosk_headings);
  g_test_add ("/ows/window/screenshots", Fixture, &desktop,
              fixture_setup_no_verdict, test_screenshots, fixture_teardown);
  add_window_test ("/ows/window/rtl", &desktop, test_rtl);
  g_test_add ("/ows/window/view-of-service", Fixture, &desktop,
              fixture_setup_view, test_view_of_service, fixture_teardown);
  g_test_add ("/ows/window/translated", Fixture, &desktop,
              fixture_setup_no_verdict, test_translated, fixture_teardown);

  ows_test_gtk_styles (FALSE);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
