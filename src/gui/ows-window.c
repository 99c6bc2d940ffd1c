/* ows-window.c: the window: one screen at a time, the page of the manager's phase.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Nothing here changes state by itself: a tap becomes a request on the bus,
 * the manager acts on it (at once, through the bus's loopback), and the
 * window follows the manager's phase. So a voice skill or another screen
 * selecting a client moves this window too.
 *
 * Kiosk: fullscreen, not closable, on screen only while setup needs it; it
 * steps aside while a client draws its own GUI on the OVOS screen, and only
 * while that screen is there. Desktop: an ordinary window that shows the
 * status; closed while setup runs, it hides and the app keeps serving the
 * bus until setup ends.
 */
#define G_LOG_DOMAIN "ows-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ows-a11y.h"
#include "ows-checking-page.h"
#include "ows-connected-page.h"
#include "ows-connectivity-notice.h"
#include "ows-idle-page.h"
#include "ows-keyboard.h"
#if HAVE_LIBNM
#include "ows-network-page.h"
#include "ows-wifi-client.h"
#endif
#include "ows-offline-page.h"
#include "ows-phone-page.h"
#include "ows-running-page.h"
#include "ows-selection-page.h"
#include "ows-sign-in.h"
#include "ows-unreachable-page.h"
#include "ows-waiting-page.h"
#include "ows-window.h"

/* How long a kiosk shows "connected" or "offline" after a setup. */
#define KIOSK_DISMISS_S 5
/* Below this height, status pages drop their big icons (800×480 and less). */
#define COMPACT_HEIGHT 600
/* Below this width (a phone's 320 or 360 px), a kiosk's text keeps its size. */
#define NARROW_WIDTH 400

struct _OwsWindow
{
  AdwApplicationWindow parent_instance;

  OwsService *service;
  OwsManager *manager;
  OwsConnectivity *watchdog;
  OwsBus *bus;
  gboolean kiosk;

  OwsPhase phase;             /* the phase whose page was last put on screen */
  gboolean selection_shown;   /* the user can see the selection (or waiting) screen */
  gboolean bus_lost;          /* an attempt failed or the link dropped since the last connect */
  GError *bus_error;
  gboolean closed;            /* desktop: closed by the user while setup runs */
  gboolean compact;
  gboolean narrow;
  guint update_id;
  guint compact_id;
  guint dismiss_id;
  GCancellable *cancellable;  /* the sign-in page, while it is open */
  gboolean signing_in;

  GtkCustomFilter *offer;     /* the clients the selection shows (ows_manager_offers) */
  GListModel *offered;

  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  OwsConnectivityNotice *notice;
  GtkStack *stack;
  OwsWaitingPage *waiting_page;
  OwsSelectionPage *selection_page;
  OwsRunningPage *running_page;
  OwsOfflinePage *offline_page;
  OwsUnreachablePage *unreachable_page;
  GtkWidget *network_page;    /* the built-in Wi-Fi client's, made when first shown */
#if HAVE_LIBNM
  OwsWifi *wifi;              /* that model */
#endif
  OwsPhoneClient *phone;      /* "Set Up With a Phone", where it runs */
  GtkWidget *phone_page;      /* its page, made when first shown */
  GtkRevealer *keyboard_revealer;
  GtkWidget *keyboard;        /* OwsKeyboard: a kiosk's, or asked for; else NULL */
  GtkWidget *traced;          /* the page whose first frame was traced (debug output only) */
};

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (OwsWindow, ows_window, ADW_TYPE_APPLICATION_WINDOW)

static gboolean
is_selection (OwsPhase phase)
{
  return phase == OWS_PHASE_SELECTION || phase == OWS_PHASE_WAITING;
}

static gboolean
bus_lost (OwsWindow *self)
{
  return self->bus_lost && !ows_bus_get_connected (self->bus);
}

/* Step aside only for a screen that exists: without the OVOS screen, a
 * client's own GUI shows nowhere, and a hidden kiosk would leave the
 * device black. */
static gboolean
client_owns_screen (OwsWindow *self)
{
  OwsClient *active = ows_manager_get_active_client (self->manager);

  return active != NULL && ows_client_get_has_gui (active) &&
         ows_manager_get_ovos_gui (self->manager) &&
         !ows_manager_is_window_client (self->manager, active);
}

static gboolean
active_is (OwsWindow  *self,
           const char *name)
{
  OwsClient *active = ows_manager_get_active_client (self->manager);

  return self->phase == OWS_PHASE_RUNNING && active != NULL &&
         ows_manager_is_window_client (self->manager, active) &&
         g_strcmp0 (ows_client_get_name (active), name) == 0;
}

/* The built-in client runs: its page instead of the running page. */
static gboolean
shows_network_page (OwsWindow *self)
{
#if HAVE_LIBNM
  return self->wifi != NULL && active_is (self, OWS_WIFI_CLIENT_NAME);
#else
  return FALSE;
#endif
}

/* The phone setup runs: what to do with the phone. */
static gboolean
shows_phone_page (OwsWindow *self)
{
  return self->phone != NULL && active_is (self, OWS_PHONE_CLIENT_NAME);
}

static void
sync_phone_page (OwsWindow *self)
{
  static const OwsPhonePageStatus statuses[] = {
    [OWS_PHONE_STATE_IDLE] = OWS_PHONE_PAGE_PREPARING,
    [OWS_PHONE_STATE_PREPARING] = OWS_PHONE_PAGE_PREPARING,
    [OWS_PHONE_STATE_WAITING] = OWS_PHONE_PAGE_WAITING,
    [OWS_PHONE_STATE_CONNECTING] = OWS_PHONE_PAGE_CONNECTING,
    [OWS_PHONE_STATE_RETRY] = OWS_PHONE_PAGE_RETRY,
  };
  OwsPhonePage *page = OWS_PHONE_PAGE (self->phone_page);

  if (page == NULL)
    return;
  /* Named from the activation on; the address once the hotspot is up. */
  if (ows_phone_client_get_ssid (self->phone) != NULL)
    ows_phone_page_set_hotspot (page, ows_phone_client_get_ssid (self->phone),
                                ows_phone_client_get_password (self->phone),
                                ows_phone_client_get_url (self->phone));
  ows_phone_page_set_status (page, statuses[ows_phone_client_get_state (self->phone)],
                             ows_phone_client_get_sentence (self->phone));
}

static GtkWidget *
ensure_phone_page (OwsWindow *self)
{
  if (self->phone_page == NULL)
    {
      self->phone_page = ows_phone_page_new ();
      gtk_stack_add_named (self->stack, self->phone_page, "phone");
      sync_phone_page (self);
    }
  return self->phone_page;
}

/* Made when first needed: a window that never shows it pays neither its
 * memory nor its start-up time. */
static GtkWidget *
ensure_network_page (OwsWindow *self)
{
#if HAVE_LIBNM
  if (self->network_page == NULL)
    {
      self->network_page = g_object_new (OWS_TYPE_NETWORK_PAGE, NULL);
      ows_network_page_set_wifi (OWS_NETWORK_PAGE (self->network_page), self->wifi);
      gtk_stack_add_named (self->stack, self->network_page, "network");
    }
#endif
  return self->network_page;
}

static void
show (OwsWindow *self)
{
  self->closed = FALSE;
  if (self->kiosk)
    gtk_window_fullscreen (GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (self));
}

static gboolean
dismiss_cb (gpointer user_data)
{
  OwsWindow *self = user_data;

  self->dismiss_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  return G_SOURCE_REMOVE;
}

/* Kiosk: on screen while setup needs it; "connected" and "offline" stay a
 * moment when they end a setup the user watched, and never appear alone. */
static void
follow_kiosk (OwsWindow *self,
              OwsPhase   before)
{
  OwsPhase phase = self->phase;

  if (is_selection (phase) || phase == OWS_PHASE_CHECKING ||
      (phase == OWS_PHASE_RUNNING && !client_owns_screen (self)))
    {
      g_clear_handle_id (&self->dismiss_id, g_source_remove);
      show (self);
    }
  else if (phase == OWS_PHASE_RUNNING || phase == OWS_PHASE_IDLE)
    {
      g_clear_handle_id (&self->dismiss_id, g_source_remove);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
    }
  else if (phase != before && gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      g_clear_handle_id (&self->dismiss_id, g_source_remove);
      self->dismiss_id = g_timeout_add_seconds (KIOSK_DISMISS_S, dismiss_cb, self);
    }
}

/* Desktop, closed while setup ran: back when the user must choose again,
 * gone when setup is over. */
static void
follow_desktop (OwsWindow *self,
                OwsPhase   before)
{
  if (!self->closed)
    return;
  if (is_selection (self->phase) && !is_selection (before))
    show (self);
  else if (!ows_manager_get_setup_running (self->manager))
    gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
}

/* The notice speaks for the watchdog while setup matters: not on
 * "connected" (it says it all), not once the user chose to stay offline,
 * and not while the bus is away (nothing here could act on it). */
static void
follow_connectivity (OwsWindow *self,
                     gboolean   lost)
{
  const char *portal_uri = ows_connectivity_get_portal_uri (self->watchdog);

  ows_connectivity_notice_set_portal_uri (self->notice, portal_uri);
  ows_connectivity_notice_set_connectivity (self->notice,
                                            ows_connectivity_get_state (self->watchdog));
  gtk_widget_set_visible (GTK_WIDGET (self->notice),
                          !lost && self->phase != OWS_PHASE_CONNECTED &&
                          self->phase != OWS_PHASE_OFFLINE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.sign-in",
                                 portal_uri != NULL && !self->signing_in);
}

static gboolean
update_cb (gpointer user_data)
{
  OwsWindow *self = user_data;
  OwsPhase before = self->phase;
  GtkWidget *shown_before = gtk_stack_get_visible_child (self->stack);
  gboolean lost = bus_lost (self);
  GListModel *registry = G_LIST_MODEL (ows_manager_get_registry (self->manager));
  guint n_hidden = g_list_model_get_n_items (registry) - g_list_model_get_n_items (self->offered);
  gboolean selection_shown;
  gboolean viewing;

  self->update_id = 0;
  self->phase = ows_manager_get_phase (self->manager);
  if (self->phase != before)
    g_debug ("screen %s → %s", ows_phase_to_nick (before), ows_phase_to_nick (self->phase));

  ows_running_page_set_client (self->running_page, ows_manager_get_active_client (self->manager),
                               ows_manager_get_ovos_gui (self->manager));
  ows_offline_page_set_mode (self->offline_page, ows_manager_get_setup_mode (self->manager));
  ows_selection_page_set_outcome (self->selection_page, ows_manager_get_outcome (self->manager),
                                  ows_manager_get_outcome_client (self->manager));
  ows_selection_page_set_n_hidden (self->selection_page, n_hidden);
  ows_waiting_page_set_n_hidden (self->waiting_page, n_hidden);
  ows_unreachable_page_set_error (self->unreachable_page, self->bus_error);
  viewing = ows_service_get_role (self->service) == OWS_SERVICE_ROLE_VIEWING;
  /* Short, to fit a phone's header; the tooltip says it whole. */
  adw_window_title_set_subtitle (self->window_title, viewing ? _("Run by the setup service") : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title),
                               viewing ? _("The device’s setup service manages the network setup; "
                                           "this window shows what it does and passes on your "
                                           "choices.") : NULL);
  if (lost)
    gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->unreachable_page));
  else if (shows_network_page (self))
    gtk_stack_set_visible_child (self->stack, ensure_network_page (self));
  else if (shows_phone_page (self))
    gtk_stack_set_visible_child (self->stack, ensure_phone_page (self));
  else
    gtk_stack_set_visible_child_name (self->stack, ows_phase_to_nick (self->phase));
#if HAVE_LIBNM
  /* Each activation starts from the list, with nothing half typed. */
  if (self->network_page != NULL && shown_before != self->network_page &&
      gtk_stack_get_visible_child (self->stack) == self->network_page &&
      shown_before != GTK_WIDGET (self->unreachable_page))
    ows_network_page_reset (OWS_NETWORK_PAGE (self->network_page));
#endif
  follow_connectivity (self, lost);

  if (self->kiosk)
    follow_kiosk (self, before);
  else
    follow_desktop (self, before);

  /* The bus being away covers the screen but does not end it. */
  selection_shown = is_selection (self->phase) && gtk_widget_get_visible (GTK_WIDGET (self));
  if (self->selection_shown && !selection_shown)
    ows_service_request (self->service, OWS_PREFIX "client.select.page.removed", NULL);
  self->selection_shown = selection_shown;

  if (gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->selection_page) &&
      shown_before != GTK_WIDGET (self->selection_page))
    ows_selection_page_focus_first (self->selection_page);
  return G_SOURCE_REMOVE;
}

/* Several properties change for one message: look once, when they settle,
 * and before the next frame is drawn. */
static void
queue_update (OwsWindow *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_cb, self, NULL);
}

static void
bus_failed_cb (OwsWindow    *self,
               const GError *error)
{
  self->bus_lost = TRUE;
  g_clear_error (&self->bus_error);
  self->bus_error = error ? g_error_copy (error) : NULL;
  queue_update (self);
}

static void
bus_connected_cb (OwsWindow *self)
{
  if (ows_bus_get_connected (self->bus))
    {
      self->bus_lost = FALSE;
      g_clear_error (&self->bus_error);
    }
  queue_update (self);
}

static void
setup_requested_cb (OwsWindow *self)
{
  if (!self->kiosk)
    show (self);
}

static gboolean
offer_cb (gpointer item,
          gpointer user_data)
{
  OwsWindow *self = user_data;

  return ows_manager_offers (self->manager, item);
}

static void
offer_changed_cb (OwsWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->offer), GTK_FILTER_CHANGE_DIFFERENT);
  queue_update (self);
}

/* Actions: each tap is a request on the bus */

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OwsWindow *self = OWS_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  OwsClient *client = ows_registry_lookup_id (ows_manager_get_registry (self->manager), id);
  JsonObject *data;

  if (client == NULL)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "client", ows_client_get_name (client));
  json_object_set_string_member (data, "id", ows_client_get_id (client));
  ows_service_request (self->service, OWS_PREFIX "client.select", data);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ows_service_request (OWS_WINDOW (widget)->service, OWS_PREFIX "skip.setup", NULL);
}

/* Back to the choices, whatever runs: the manager deactivates it. */
static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ows_service_request (OWS_WINDOW (widget)->service, OWS_PREFIX "user.activated", NULL);
}

/* The built-in client's "Done" (already connected by cable): finished, as
 * any client says it; the manager checks the internet and completes. */
static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ows_service_request (OWS_WINDOW (widget)->service, OWS_PREFIX "remove.active.client", NULL);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OwsWindow *self = OWS_WINDOW (source);
  g_autoptr(GError) error = NULL;
  OwsSignInResult how = ows_sign_in_finish (GTK_WINDOW (self), result, &error);

  /* Cancelled: the window is going. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->signing_in = FALSE;
  queue_update (self);
  if (error != NULL)
    {
      g_debug ("%s", error->message);
      /* Said in the notice, beside the address: over the page, it would hide its buttons. */
      if (ows_connectivity_get_portal_uri (self->watchdog) != NULL)
        ows_connectivity_notice_set_problem (self->notice,
                                             _("No web browser on this device could open it."));
      return;
    }
  /* The sign-in window saw the internet: the manager completes the setup
   * (it believes this at once and checks it right after). Closed before,
   * the choices are still there, with the notice. */
  if (how == OWS_SIGN_IN_ONLINE)
    ows_service_request (self->service, "mycroft.internet.connected", NULL);
}

/* A captive portal: its sign-in page, in our sign-in window where it was
 * built, else in whatever opens web pages here; setup goes on regardless. */
static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwsWindow *self = OWS_WINDOW (widget);
  const char *uri = ows_connectivity_get_portal_uri (self->watchdog);
  OwsConfig *config = ows_service_get_config (self->service);

  if (uri == NULL || self->signing_in)
    return;
  self->signing_in = TRUE;
  queue_update (self);
  ows_sign_in_async (GTK_WINDOW (self), uri,
                     ows_config_get_string (config, "network_tests", "captive_portal_url", ""),
                     ows_config_get_string (config, "network_tests", "captive_portal_text", ""),
                     self->kiosk, self->cancellable, signed_in_cb, NULL);
}

static void
never_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   OwsWindow        *self)
{
  if (g_str_equal (response, "never"))
    ows_service_request (self->service, OWS_PREFIX "fully.offline", NULL);
}

/* "Never connect" is persistent and costly, so it asks first and says why. */
static void
never_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OwsWindow *self = OWS_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Never Connect?"), NULL));
  adw_message_dialog_set_body (dialog,
    _("This device will stay offline: it gets no updates, services that need the internet "
      "stop working, and its clock may be wrong. You can start Wi-Fi Setup again at any time."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "never", _("_Never Connect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "never", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (never_response_cb), self, 0);
  ows_a11y_name_buttons_by_content (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwsWindow *self = OWS_WINDOW (widget);

  if (self->kiosk)
    dismiss_cb (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* The on-screen keyboard */

static gboolean
is_text_field (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (GTK_IS_EDITABLE (widget))
      return TRUE;
  return FALSE;
}

/* Up while a text field has the focus: typing needs it, and nothing else
 * should lose half the screen to it. */
static void
focus_widget_cb (OwsWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  gtk_revealer_set_reveal_child (self->keyboard_revealer,
                                 is_text_field (focus) && gtk_widget_get_sensitive (focus));
}

static void
keyboard_hide_cb (OwsWindow *self)
{
  gtk_revealer_set_reveal_child (self->keyboard_revealer, FALSE);
}

/* Hidden by its key, it comes back when a text field is tapped, even the
 * one that kept the focus. */
static void
tap_cb (GtkGestureClick *gesture,
        int              n_press,
        double           x,
        double           y,
        OwsWindow       *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *target = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);

  if (is_text_field (target))
    gtk_revealer_set_reveal_child (self->keyboard_revealer, TRUE);
}

/* GtkWindow */

static gboolean
ows_window_close_request (GtkWindow *window)
{
  OwsWindow *self = OWS_WINDOW (window);

  if (self->kiosk)
    return TRUE;
  if (ows_manager_get_setup_running (self->manager))
    {
      self->closed = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      queue_update (self);
      return TRUE;
    }
  /* The app stops the service (a last word on the bus) before it goes. */
  return gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
}

static void
set_css_class (GtkWidget  *widget,
               const char *name,
               gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static gboolean
apply_compact_cb (gpointer user_data)
{
  OwsWindow *self = user_data;

  self->compact_id = 0;
  set_css_class (GTK_WIDGET (self), "compact", self->compact);
  set_css_class (GTK_WIDGET (self), "narrow", self->narrow);
  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      GtkWidget *status = gtk_widget_get_first_child (page);

      if (ADW_IS_STATUS_PAGE (status))
        set_css_class (status, "compact", self->compact);
    }
  return G_SOURCE_REMOVE;
}

/* No AdwBreakpoint on libadwaita 1.2: on a short screen the status pages
 * go compact, so that their buttons stay above the fold, and headings
 * shrink; on a narrow one a kiosk's text is not enlarged (style.css). One
 * idle later, as a resize from inside an allocation is not allowed. */
static void
ows_window_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  OwsWindow *self = OWS_WINDOW (widget);
  gboolean compact = height < COMPACT_HEIGHT;
  gboolean narrow = width < NARROW_WIDTH;

  GTK_WIDGET_CLASS (ows_window_parent_class)->size_allocate (widget, width, height, baseline);

  if (compact == self->compact && narrow == self->narrow)
    return;
  self->compact = compact;
  self->narrow = narrow;
  if (self->compact_id == 0)
    self->compact_id = g_idle_add (apply_compact_cb, self);
}

/* Tracing (G_MESSAGES_DEBUG=ows-window): the moment the selection screen is
 * first on screen, and each time the network page's list is first drawn
 * with networks in it, which the benchmarks measure. */
static void
after_paint_cb (GdkFrameClock *clock,
                OwsWindow     *self)
{
  GtkWidget *shown = gtk_stack_get_visible_child (self->stack);
  guint n_networks = 0;

  if (shown == self->traced)
    return;
#if HAVE_LIBNM
  if (shown == self->network_page &&
      ows_network_page_get_view (OWS_NETWORK_PAGE (shown)) == OWS_NETWORK_VIEW_LIST)
    n_networks = g_list_model_get_n_items (G_LIST_MODEL (self->wifi));
  /* Its first frame with networks in it, not its first. */
  if (shown == self->network_page && n_networks == 0)
    return;
#endif
  if (shown == GTK_WIDGET (self->selection_page))
    g_debug ("first frame of the selection screen");
  else if (n_networks > 0)
    g_debug ("first frame of the network list (%u networks)", n_networks);
  self->traced = shown;
}

static void
ows_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ows_window_parent_class)->realize (widget);

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (after_paint_cb), widget, 0);
}

/* A desktop window starts in the shape of its screen: a portrait phone or
 * panel gets a portrait window, never one wider than the screen. */
static void
fit_default_size (OwsWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle area;
  int width, height;

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &area);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (area.height > area.width)
    {
      int swap = width;

      width = height;
      height = swap;
    }
  gtk_window_set_default_size (GTK_WINDOW (self), MIN (width, area.width), MIN (height, area.height));
}

/* GObject */

static void
ows_window_constructed (GObject *object)
{
  OwsWindow *self = OWS_WINDOW (object);
  OwsRegistry *registry;

  G_OBJECT_CLASS (ows_window_parent_class)->constructed (object);

  self->manager = g_object_ref (ows_service_get_manager (self->service));
  self->watchdog = g_object_ref (ows_service_get_connectivity (self->service));
  self->bus = g_object_ref (ows_service_get_bus (self->service));
  registry = ows_manager_get_registry (self->manager);
  self->phase = ows_manager_get_phase (self->manager);

  ows_manager_set_has_screen (self->manager, TRUE);
  self->offer = gtk_custom_filter_new (offer_cb, self, NULL);
  self->offered = G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (registry)),
                                                           g_object_ref (GTK_FILTER (self->offer))));
  ows_selection_page_set_model (self->selection_page, self->offered);
  ows_unreachable_page_set_address (self->unreachable_page, ows_bus_get_url (self->bus));

  g_signal_connect_object (self->manager, "notify", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "offer-changed", G_CALLBACK (offer_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "setup-requested", G_CALLBACK (setup_requested_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->offered, "items-changed", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
  /* Clients that are not offered count too: the pages say how many. */
  g_signal_connect_object (registry, "items-changed", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watchdog, "notify", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bus, "connect-failed", G_CALLBACK (bus_failed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bus, "disconnected", G_CALLBACK (bus_failed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bus, "notify::connected", G_CALLBACK (bus_connected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::visible", G_CALLBACK (queue_update), NULL);
  g_signal_connect_object (self->service, "notify::role", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);

  if (self->kiosk)
    {
      /* A touchscreen kiosk has no keyboard, and cage no input method. */
      ows_window_set_on_screen_keyboard (self, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
      gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
      gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
    }
  else
    fit_default_size (self);
  update_cb (self);
}

static void
ows_window_dispose (GObject *object)
{
  OwsWindow *self = OWS_WINDOW (object);

  /* Destroyed is not finalized: nothing may queue an update from now on. */
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->manager, self);
      g_signal_handlers_disconnect_by_data (ows_manager_get_registry (self->manager), self);
      g_signal_handlers_disconnect_by_data (self->watchdog, self);
      g_signal_handlers_disconnect_by_data (self->bus, self);
      g_signal_handlers_disconnect_by_data (self->offered, self);
    }
  g_signal_handlers_disconnect_by_func (self, queue_update, NULL);
  g_signal_handlers_disconnect_by_func (self, focus_widget_cb, self);
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->compact_id, g_source_remove);
  g_clear_handle_id (&self->dismiss_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The tiles go with the template; the filter must not outlive the manager it asks. */
  if (self->offer != NULL)
    gtk_custom_filter_set_filter_func (self->offer, NULL, NULL, NULL);
  g_clear_object (&self->offer);
  g_clear_object (&self->offered);
  g_clear_object (&self->bus);
#if HAVE_LIBNM
  g_clear_object (&self->wifi);
#endif
  if (self->phone != NULL)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  g_clear_object (&self->phone);
  g_clear_object (&self->watchdog);
  g_clear_object (&self->manager);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (ows_window_parent_class)->dispose (object);
}

static void
ows_window_finalize (GObject *object)
{
  g_clear_error (&OWS_WINDOW (object)->bus_error);

  G_OBJECT_CLASS (ows_window_parent_class)->finalize (object);
}

static void
ows_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OwsWindow *self = OWS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  OwsWindow *self = OWS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      self->kiosk = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_window_class_init (OwsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ows_window_constructed;
  object_class->dispose = ows_window_dispose;
  object_class->finalize = ows_window_finalize;
  object_class->get_property = ows_window_get_property;
  object_class->set_property = ows_window_set_property;
  widget_class->size_allocate = ows_window_size_allocate;
  widget_class->realize = ows_window_realize;
  GTK_WINDOW_CLASS (klass)->close_request = ows_window_close_request;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, OWS_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "setup.select", "s", select_action);
  gtk_widget_class_install_action (widget_class, "setup.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "setup.never", NULL, never_action);
  gtk_widget_class_install_action (widget_class, "setup.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "setup.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "setup.dismiss", NULL, dismiss_action);
  gtk_widget_class_install_action (widget_class, "setup.sign-in", NULL, sign_in_action);

  g_type_ensure (OWS_TYPE_CHECKING_PAGE);
  g_type_ensure (OWS_TYPE_CONNECTED_PAGE);
  g_type_ensure (OWS_TYPE_CONNECTIVITY_NOTICE);
  g_type_ensure (OWS_TYPE_IDLE_PAGE);
  g_type_ensure (OWS_TYPE_OFFLINE_PAGE);
  g_type_ensure (OWS_TYPE_RUNNING_PAGE);
  g_type_ensure (OWS_TYPE_SELECTION_PAGE);
  g_type_ensure (OWS_TYPE_UNREACHABLE_PAGE);
  g_type_ensure (OWS_TYPE_WAITING_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/openvoiceos/WifiSetup/ows-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, notice);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, selection_page);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, running_page);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, offline_page);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, unreachable_page);
  gtk_widget_class_bind_template_child (widget_class, OwsWindow, keyboard_revealer);
}

static void
ows_window_init (OwsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ows_a11y_name_buttons_by_content (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* @app: may be NULL (tests). */
OwsWindow *
ows_window_new (GtkApplication *app,
                OwsService     *service,
                gboolean        kiosk)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (OWS_IS_SERVICE (service), NULL);

  return g_object_new (OWS_TYPE_WINDOW,
                       "application", app,
                       "service", service,
                       "kiosk", kiosk,
                       NULL);
}

#if HAVE_LIBNM
/* The built-in Wi-Fi client's model: its page shows while that client is
 * the active one. Set once. */
void
ows_window_set_wifi (OwsWindow *self,
                     OwsWifi   *wifi)
{
  g_return_if_fail (OWS_IS_WINDOW (self));
  g_return_if_fail (OWS_IS_WIFI (wifi));
  g_return_if_fail (self->wifi == NULL);

  self->wifi = g_object_ref (wifi);
  queue_update (self);
}

/* The network page's view, or -1 when it is not on screen. */
int
ows_window_get_network_view (OwsWindow *self)
{
  g_return_val_if_fail (OWS_IS_WINDOW (self), -1);

  if (self->network_page == NULL ||
      gtk_stack_get_visible_child (self->stack) != self->network_page)
    return -1;
  return ows_network_page_get_view (OWS_NETWORK_PAGE (self->network_page));
}
#endif

/* "Set Up With a Phone": its page shows while it is the active client. Set once. */
void
ows_window_set_phone (OwsWindow      *self,
                      OwsPhoneClient *phone)
{
  g_return_if_fail (OWS_IS_WINDOW (self));
  g_return_if_fail (OWS_IS_PHONE_CLIENT (phone));
  g_return_if_fail (self->phone == NULL);

  self->phone = g_object_ref (phone);
  g_signal_connect_object (phone, "notify", G_CALLBACK (sync_phone_page), self, G_CONNECT_SWAPPED);
  queue_update (self);
}

/* The phase whose page is on screen, unless the bus's absence covers it. */
OwsPhase
ows_window_get_phase (OwsWindow *self)
{
  g_return_val_if_fail (OWS_IS_WINDOW (self), OWS_PHASE_IDLE);
  return self->phase;
}

/* Whether the "bus unreachable" page covers the phase's. */
gboolean
ows_window_get_bus_lost (OwsWindow *self)
{
  g_return_val_if_fail (OWS_IS_WINDOW (self), FALSE);
  return gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->unreachable_page);
}

/* Our own keyboard under text fields: always on a kiosk, on a desktop
 * when asked for (--on-screen-keyboard). */
void
ows_window_set_on_screen_keyboard (OwsWindow *self,
                                   gboolean   enabled)
{
  GtkGesture *tap;

  g_return_if_fail (OWS_IS_WINDOW (self));

  if (!enabled || self->keyboard != NULL)
    return;
  self->keyboard = ows_keyboard_new ();
  gtk_revealer_set_child (self->keyboard_revealer, self->keyboard);
  g_signal_connect_object (self->keyboard, "hide-requested", G_CALLBACK (keyboard_hide_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self, "notify::focus-widget", G_CALLBACK (focus_widget_cb), self);
  tap = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (tap), GTK_PHASE_CAPTURE);
  g_signal_connect_object (tap, "pressed", G_CALLBACK (tap_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->stack), GTK_EVENT_CONTROLLER (tap));
  focus_widget_cb (self);
}

/* The on-screen keyboard, or NULL where there is none. */
GtkWidget *
ows_window_get_keyboard (OwsWindow *self)
{
  g_return_val_if_fail (OWS_IS_WINDOW (self), NULL);
  return self->keyboard;
}

gboolean
ows_window_get_kiosk (OwsWindow *self)
{
  g_return_val_if_fail (OWS_IS_WINDOW (self), FALSE);
  return self->kiosk;
}

/* A second launch or the menu entry: on the desktop, come forward; a kiosk
 * follows the manager alone. */
void
ows_window_show_status (OwsWindow *self)
{
  g_return_if_fail (OWS_IS_WINDOW (self));

  if (!self->kiosk)
    show (self);
}
