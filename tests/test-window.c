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
#include "ows-connectivity-notice.h"
#include "ows-display-text.h"
#include "ows-test-bus.h"
#include "ows-window.h"

#define P OWS_PREFIX

/* Windows belong to the app, as in the program. */
static OwsApplication *app;

typedef struct {
  OwsTestBus bus;
  OwsWindow *window;
} Fixture;

typedef struct {
  OwsWindow *window;
  const char *screen;
} ScreenWait;

static void
open_window (Fixture  *f,
             gboolean  kiosk)
{
  f->window = ows_window_new (GTK_APPLICATION (app), f->bus.service, kiosk);
  g_object_ref_sink (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 480);
  if (!kiosk)
    gtk_window_present (GTK_WINDOW (f->window));
}

/* A device that is online, and knows it. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  ows_test_bus_setup (&f->bus, TRUE);
  open_window (f, GPOINTER_TO_INT (data));
}

/* A device that does not know yet: the watchdog's first probe finds no
 * internet, which it keeps to itself during the grace period. */
static void
fixture_setup_no_verdict (Fixture       *f,
                          gconstpointer  data)
{
  ows_test_bus_init (&f->bus, TRUE);
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_CLOSED);
  ows_test_bus_start (&f->bus);
  g_assert_cmpint (ows_manager_get_connectivity (f->bus.manager), ==, OWS_CONNECTIVITY_UNKNOWN);
  open_window (f, GPOINTER_TO_INT (data));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  ows_test_bus_teardown (&f->bus);
}

/* Waits for a message of that type, and needs nothing else from it. */
static void
see (Fixture    *f,
     const char *type)
{
  ows_message_unref (ows_test_peer_expect (f->bus.peer, type));
}

static gboolean
screen_is (gpointer data)
{
  ScreenWait *wait = data;

  return g_strcmp0 (ows_window_get_screen (wait->window), wait->screen) == 0;
}

static void
wait_screen (Fixture    *f,
             const char *screen)
{
  ScreenWait wait = { f->window, screen };

  if (!ows_test_wait_until (screen_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("the window shows “%s”, expected “%s”", ows_window_get_screen (f->window), screen);
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

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  /* Laid out and on screen: a list view keeps spare rows around. */
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget) &&
      gtk_widget_get_width (widget) > 0)
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
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

  collect (GTK_WIDGET (f->window), OWS_TYPE_CLIENT_TILE, found);
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

  collect (query->root, GTK_TYPE_BUTTON, buttons);
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
  OwsManager *manager;
  OwsConnectivityState state;
} ConnectivityWait;

static gboolean
connectivity_is (gpointer data)
{
  ConnectivityWait *wait = data;

  return ows_manager_get_connectivity (wait->manager) == wait->state;
}

/* The network now answers as @mode says; the manager's verdict is @state. */
static void
network_becomes (Fixture              *f,
                 OwsTestProbeMode      mode,
                 OwsConnectivityState  state)
{
  ConnectivityWait wait = { f->bus.manager, state };

  ows_test_probe_set_mode (f->bus.probe, mode);
  ows_connectivity_check (f->bus.connectivity);
  if (!ows_test_wait_until (connectivity_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("connectivity is %s, expected %s",
             ows_connectivity_state_to_string (ows_manager_get_connectivity (f->bus.manager)),
             ows_connectivity_state_to_string (state));
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
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
  GtkWidget *found = find_widget (GTK_WIDGET (f->window), OWS_TYPE_CONNECTIVITY_NOTICE);

  g_assert_nonnull (found);
  return found;
}

/* Text the user can see: a label on screen (has_label also finds hidden ones). */
static GtkLabel *
shown_label (GtkWidget  *widget,
             const char *needle)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (widget, GTK_TYPE_LABEL, labels);
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

static gboolean
notice_shown (gpointer data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (notice (data), GTK_TYPE_LABEL, labels);
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
  wait_screen (f, "waiting");

  hotspot = register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, "selection");
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
  g_assert_cmpstr (ows_window_get_screen (f->window), ==, "selection");
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
  wait_screen (f, "waiting");
  g_assert_cmpuint (count_spinning (GTK_WIDGET (f->window)), ==, 1);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, "selection");
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
  g_autofree char *activate = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(OwsMessage) select = NULL;
  JsonObject *select_data;

  start_setup (f);
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a hotspot", TRUE, TRUE));
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
  wait_screen (f, "running");
  g_assert_true (has_label (GTK_WIDGET (f->window), "Use the phone app"));
  /* The selection went away: other screens and skills hear of it. */
  see (f, P "client.select.page.removed");

  /* The client gives up: back to the selection, with a notice naming it. */
  ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
  wait_screen (f, "selection");
  g_assert_true (has_label (GTK_WIDGET (f->window), "“Use the phone app” could not set up the network"));

  /* Cancel on the running screen: remove.active.client. */
  g_clear_pointer (&shown, g_ptr_array_unref);
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  wait_screen (f, "running");
  ows_test_peer_clear (f->bus.peer);
  tap (f, "setup.cancel");
  see (f, P "remove.active.client");
}

/* Setup launched, one client, selected by another peer (a voice skill, say). */
static void
run_phone_client (Fixture *f)
{
  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, "selection");
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"phone\"}");
  wait_screen (f, "running");
}

/* Another screen or a voice skill selects: this window follows. */
static void
test_follows_other_selector (Fixture       *f,
                             gconstpointer  data)
{
  run_phone_client (f);
  ows_test_peer_send (f->bus.peer, "mycroft.internet.connected", NULL);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, "connected");
}

static void
test_skip (Fixture       *f,
           gconstpointer  data)
{
  start_setup (f);
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, "selection");
  tap (f, "setup.skip");
  see (f, P "skip.setup");
  see (f, P "fully_offline");
  wait_screen (f, "offline");
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
  wait_screen (f, "selection");

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
  g_assert_cmpstr (ows_window_get_screen (f->window), ==, "selection");

  /* Confirmed: fully.offline, and the offline screen. */
  tap (f, "setup.never");
  g_assert_true (ows_test_wait_until (dialog_shown, NULL, OWS_TEST_TIMEOUT_MS));
  g_signal_emit_by_name (wait_button (GTK_WIDGET (find_dialog ()), NULL, "_Never Connect"), "clicked");
  see (f, P "fully.offline");
  wait_screen (f, "offline");
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
  wait_screen (f, "selection");

  ows_test_peer_free (f->bus.peer);
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, "unreachable");
  g_assert_true (has_label (GTK_WIDGET (f->window), f->bus.url));
  g_assert_true (has_label (GTK_WIDGET (f->window), "Retrying"));

  g_assert_true (ows_bus_server_listen (f->bus.server, NULL, f->bus.port, NULL, &error));
  g_assert_no_error (error);
  f->bus.peer = ows_test_peer_new (f->bus.url);
  wait_screen (f, "selection");
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
  wait_screen (f, "selection");
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
  wait_screen (f, "selection");

  /* Not closable. */
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* A client with its own GUI owns the screen: step aside. */
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[0], "clicked");
  g_clear_pointer (&shown, g_ptr_array_unref);
  g_assert_true (ows_test_wait_until (window_hidden, f->window, OWS_TEST_TIMEOUT_MS));

  /* It fails: back, on the selection. */
  ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
  g_assert_true (ows_test_wait_until (window_visible, f->window, OWS_TEST_TIMEOUT_MS));
  wait_screen (f, "selection");

  /* A client without a GUI: the kiosk shows its progress. */
  shown = wait_tiles (f, 2);
  g_signal_emit_by_name (shown->pdata[1], "clicked");
  wait_screen (f, "running");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (f->window)));

  /* Online: "connected" for a few seconds, then the screen is the device's again. */
  ows_test_peer_send (f->bus.peer, "mycroft.internet.connected", NULL);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, "connected");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (ows_test_wait_until (window_hidden, f->window, 10 * 1000));
}

/* Layout and keyboard */

static void
assert_touch_targets (Fixture *f)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, buttons);
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
  wait_screen (f, "selection");

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

/* Screenshots: every screen, both orientations, light and dark */

static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

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

/* A fresh window per size: GTK 4 sizes a window once, when it is first shown.
 * Saved as @name-{landscape,portrait}-{light,dark}.png. */
static void
shoot_as (Fixture    *f,
          const char *screen,
          const char *name)
{
  static const struct { int width, height; const char *name; } sizes[] = {
    { 800, 480, "landscape" },
    { 480, 800, "portrait" },
  };
  static const struct { AdwColorScheme scheme; const char *name; } schemes[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint c = 0; c < G_N_ELEMENTS (schemes); c++)
      {
        OwsWindow *window = ows_window_new (GTK_APPLICATION (app), f->bus.service, FALSE);
        SizeWait wait = { GTK_WIDGET (window), sizes[s].width, sizes[s].height };
        ScreenWait screen_wait = { window, screen };
        g_autofree char *file = g_strdup_printf ("%s-%s-%s.png", name, sizes[s].name,
                                                 schemes[c].name);
        g_autofree char *path = g_build_filename (dir, file, NULL);

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[c].scheme);
        gtk_window_set_default_size (GTK_WINDOW (window), sizes[s].width, sizes[s].height);
        gtk_window_present (GTK_WINDOW (window));
        if (!ows_test_wait_until (size_is, &wait, OWS_TEST_TIMEOUT_MS))
          g_error ("%s: the window is %d×%d px, not %d×%d", file,
                   gtk_widget_get_width (wait.widget), gtk_widget_get_height (wait.widget),
                   wait.width, wait.height);
        g_assert_true (ows_test_wait_until (screen_is, &screen_wait, OWS_TEST_TIMEOUT_MS));
        /* The portrait layout applies one idle after the first allocation. */
        ows_test_sleep (150);
        save_png (GTK_WIDGET (window), path);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        g_test_message ("%s", path);
        gtk_window_destroy (GTK_WINDOW (window));
      }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
shoot (Fixture    *f,
       const char *screen)
{
  shoot_as (f, screen, screen);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  /* Idle: no setup, and no verdict on the internet yet (the fixture). */
  shoot (f, "idle");
  ows_test_probe_set_mode (f->bus.probe, OWS_TEST_PROBE_ONLINE);
  start_setup (f);
  shoot (f, "waiting");
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a Wi-Fi hotspot", TRUE, TRUE));
  g_free (register_client (f, "phone", "Remote", "Use the OVOS phone app", FALSE, FALSE));
  g_free (register_client (f, "sound", "dataOverSound", "Play a setup sound near the device", FALSE, FALSE));
  shoot (f, "selection");
  ows_test_peer_send (f->bus.peer, P "client.select", "{\"client\": \"phone\"}");
  wait_screen (f, "running");
  shoot (f, "running");
  ows_test_peer_send (f->bus.peer, "mycroft.internet.connected", NULL);
  ows_test_peer_send (f->bus.peer, P "remove.active.client", NULL);
  wait_screen (f, "connected");
  shoot (f, "connected");
  ows_test_peer_send (f->bus.peer, P "skip.setup", NULL);
  wait_screen (f, "offline");
  shoot (f, "offline");

  ows_test_peer_free (f->bus.peer);
  f->bus.peer = NULL;
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, "unreachable");
  shoot (f, "unreachable");
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

static void
wait_size (GtkWidget *window,
           int        width,
           int        height)
{
  SizeWait wait = { window, width, height };

  if (!ows_test_wait_until (size_is, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("the window is %d×%d px, not %d×%d", gtk_widget_get_width (window),
             gtk_widget_get_height (window), width, height);
  /* The portrait layout applies one idle after the first allocation. */
  ows_test_sleep (150);
}

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

/* A label on screen whose text is exactly @text. */
static GtkLabel *
label_showing (GtkWidget  *root,
               const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  return NULL;
}

typedef struct {
  GtkWidget *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return label_showing (wait->root, wait->text) != NULL;
}

/* Plain text, no more lines than the label allows, inside the window. */
static GtkLabel *
assert_shown_plain (GtkWidget  *window,
                    const char *text)
{
  LabelWait wait = { window, text };
  GtkLabel *label;

  if (!ows_test_wait_until (label_shown, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("no label shows “%s”", text);
  label = label_showing (window, text);
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
      g_autofree char *failed = g_strdup_printf ("“%s” could not set up the network", hostile->shown);
      g_autofree char *by_name = g_strdup_printf ("{\"client\": \"%s\"}", name);
      g_autoptr(GPtrArray) tile = NULL;
      LabelWait wait;
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
      wait_screen (f, "running");
      assert_shown_plain (window, hostile->shown);

      ows_test_peer_send (f->bus.peer, P "client.setup.failure", NULL);
      wait_screen (f, "selection");
      /* A toast's title is markup: the text is escaped into it. */
      wait = (LabelWait) { window, failed };
      if (!ows_test_wait_until (label_shown, &wait, OWS_TEST_TIMEOUT_MS))
        {
          g_autoptr(GPtrArray) labels = g_ptr_array_new ();

          collect (window, GTK_TYPE_LABEL, labels);
          for (guint j = 0; j < labels->len; j++)
            g_test_message ("shown: %s", gtk_label_get_text (labels->pdata[j]));
          g_error ("no notice says %s", failed);
        }
      toast = label_showing (window, failed);
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
  g_assert_cmpstr (ows_manager_get_portal_uri (f->bus.manager), ==, address);
  see (f, P "setup.launched");
  wait_screen (f, "waiting");
  wait_notice (f, TRUE);
  g_free (register_client (f, "hotspot", "onDevice", "Connect with a Wi-Fi hotspot", TRUE, TRUE));
  g_free (register_client (f, "phone", "Remote", "Use the OVOS phone app", FALSE, FALSE));
  g_free (register_client (f, "sound", "dataOverSound", "Play a setup sound near the device", FALSE, FALSE));
  wait_screen (f, "selection");
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
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sign_in), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Sign In to This Network");
  assert_touch_targets (f);

  shoot_as (f, "selection", "selection-portal");

  /* Signed in, on another device say: online, and setup is over. */
  network_becomes (f, OWS_TEST_PROBE_ONLINE, OWS_CONNECTIVITY_ONLINE);
  wait_screen (f, "connected");
  wait_notice (f, FALSE);
  g_assert_false (gtk_widget_is_sensitive (sign_in));
  g_assert_null (ows_manager_get_portal_uri (f->bus.manager));
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
  wait_screen (f, "idle");
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
  shoot_as (f, "idle", "idle-no-internet");

  start_setup (f);
  wait_screen (f, "waiting");
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

  wait_screen (f, "connected");
  g_assert_false (notice_shown (f));

  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  see (f, P "setup.launched");
  g_free (register_client (f, "phone", "Remote", "Use the phone app", FALSE, FALSE));
  wait_screen (f, "selection");
  wait_notice (f, TRUE);

  ows_test_peer_free (f->bus.peer);
  f->bus.peer = NULL;
  ows_bus_server_stop (f->bus.server);
  wait_screen (f, "unreachable");
  g_assert_false (notice_shown (f));
  g_assert_cmpint (ows_manager_get_connectivity (f->bus.manager), ==, OWS_CONNECTIVITY_PORTAL);

  g_assert_true (ows_bus_server_listen (f->bus.server, NULL, f->bus.port, NULL, &error));
  g_assert_no_error (error);
  f->bus.peer = ows_test_peer_new (f->bus.url);
  wait_screen (f, "selection");
  wait_notice (f, TRUE);
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

/* A kiosk without a web browser: Sign In says so. Tapped only where no
 * browser is installed (CI, a kiosk image): elsewhere it would open one. */
static void
test_sign_in_without_browser (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *address = ows_test_probe_dup_url (f->bus.probe, "/portal/login?from=check");
  g_autoptr(GAppInfo) browser = g_app_info_get_default_for_uri_scheme ("http");
  g_autofree char *toast = g_strdup_printf ("No web browser could open %s", address);
  TextWait wait = { GTK_WIDGET (f->window), toast };

  if (browser != NULL)
    {
      g_test_skip ("a web browser is installed: Sign In is not tapped");
      return;
    }

  network_becomes (f, OWS_TEST_PROBE_REDIRECT, OWS_CONNECTIVITY_PORTAL);
  wait_notice (f, TRUE);
  tap (f, "setup.sign-in");
  if (!ows_test_wait_until (text_shown, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("no “%s” on screen", toast);
  /* Setup goes on: the user can still pick another network. */
  g_assert_true (ows_manager_get_in_setup (f->bus.manager));
}

static void
add_window_test (const char *path,
                 gboolean    kiosk,
                 void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, GINT_TO_POINTER (kiosk), fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) no_frame = gtk_css_provider_new ();
  g_autoptr(GError) error = NULL;
  GdkDisplay *display;
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
  display = gdk_display_get_default ();

  add_window_test ("/ows/window/tiles-follow-registry", FALSE, test_tiles_follow_registry);
  add_window_test ("/ows/window/spinner-only-while-waiting", FALSE, test_spinner_only_while_waiting);
  add_window_test ("/ows/window/tile-text-is-literal", FALSE, test_tile_text_is_literal);
  g_test_add ("/ows/window/hostile-text-portrait", Fixture, &portrait_size,
              fixture_setup_sized, test_hostile_text, fixture_teardown);
  g_test_add ("/ows/window/hostile-text-desktop", Fixture, &desktop_size,
              fixture_setup_sized, test_hostile_text, fixture_teardown);
  add_window_test ("/ows/window/hostile-text-not-utf8", FALSE, test_hostile_text_not_utf8);
  g_test_add_data_func ("/ows/window/hostile-portal-address-portrait", &portrait_size,
                        test_hostile_portal_address);
  g_test_add_data_func ("/ows/window/hostile-portal-address-desktop", &desktop_size,
                        test_hostile_portal_address);
  add_window_test ("/ows/window/tap-selects", FALSE, test_tap_selects);
  add_window_test ("/ows/window/follows-other-selector", FALSE, test_follows_other_selector);
  add_window_test ("/ows/window/skip", FALSE, test_skip);
  add_window_test ("/ows/window/never-connect-confirms", FALSE, test_never_connect_confirms);
  add_window_test ("/ows/window/bus-unreachable", FALSE, test_bus_unreachable);
  add_window_test ("/ows/window/desktop-close", FALSE, test_desktop_close);
  add_window_test ("/ows/window/portal-notice", FALSE, test_portal_notice);
  add_window_test ("/ows/window/no-internet-notice", FALSE, test_no_internet_notice);
  add_window_test ("/ows/window/notice-not-on-connected-or-unreachable", FALSE,
                   test_notice_not_on_connected_or_unreachable);
  add_window_test ("/ows/window/sign-in-without-browser", FALSE, test_sign_in_without_browser);
  add_window_test ("/ows/window/kiosk", TRUE, test_kiosk);
  add_window_test ("/ows/window/layout-and-keyboard", FALSE, test_layout_and_keyboard);
  g_test_add ("/ows/window/screenshots", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup_no_verdict, test_screenshots, fixture_teardown);
  add_window_test ("/ows/window/rtl", FALSE, test_rtl);
  g_test_add ("/ows/window/translated", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup_no_verdict, test_translated, fixture_teardown);

  /* Xvfb has no compositor, so GTK frames windows with a resize border
   * ("solid-csd") that no device shows: screenshots go without it. */
  gtk_css_provider_load_from_data (no_frame, "window.solid-csd { margin: 0; padding: 0; "
                                   "border-radius: 0; box-shadow: none; }", -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (no_frame),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
