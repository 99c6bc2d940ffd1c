/* ows-network-page.c: the built-in Wi-Fi client's page: choose a network, join it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * GNOME Initial Setup's network page, made for a kiosk: every view has a way
 * on and the way back to the choices; a password is checked before anything
 * is sent, and forgotten once it was.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-a11y.h"
#include "ows-display-text.h"
#include "ows-network-page.h"
#include "ows-network-row.h"

/* Below this width the forms are one column (a portrait screen); from it,
 * the buttons go beside the fields, which keeps them above an on-screen
 * keyboard on 800×480. */
#define WIDE_WIDTH 600
/* Below this height (800×480, or any screen with the keyboard up), status
 * pages drop their big icons and the forms their space. */
#define COMPACT_HEIGHT 520

struct _OwsNetworkPage
{
  AdwBin parent_instance;

  OwsWifi *wifi;
  OwsWifiNetwork *chosen;     /* the network tapped: its password, or why it cannot be joined */
  gboolean other;             /* Other Network… is open (and its attempt's outcome) */
  gboolean wifi_anyway;       /* connected by cable, and the user wants Wi-Fi all the same */
  char *problem;              /* what is wrong with the form as typed, until it changes */
  OwsNetworkView view;
  gboolean wide;              /* the forms' buttons beside their fields */
  gboolean compact;           /* short: small status pages, close forms */
  guint layout_id;            /* compact and scrolling follow the size one idle later */
  int last_width;             /* the size last allocated */
  int last_height;
  gboolean reveal;            /* the form changed: scroll to what matters once laid out */

  GtkStack *views;
  GtkListBox *list;
  GtkWidget *looking;
  GtkScrolledWindow *password_scroller;
  GtkWidget *password_form;
  GtkLabel *password_heading;
  GtkGrid *password_grid;
  GtkEditable *password_entry;
  GtkLabel *password_error;
  GtkWidget *password_buttons;
  GtkScrolledWindow *hidden_scroller;
  GtkWidget *hidden_form;
  GtkLabel *hidden_heading;
  GtkGrid *hidden_grid;
  GtkEditable *hidden_name;
  GtkDropDown *hidden_security;
  GtkEditable *hidden_password;
  GtkLabel *hidden_error;
  GtkWidget *hidden_buttons;
  GtkWidget *back;
  GtkLabel *connecting_name;
  GtkLabel *connected_name;
  AdwStatusPage *failed_status;
  AdwStatusPage *unsupported_status;
};

G_DEFINE_FINAL_TYPE (OwsNetworkPage, ows_network_page, ADW_TYPE_BIN)

static const char *const view_nicks[] = {
  [OWS_NETWORK_VIEW_LIST] = "list",
  [OWS_NETWORK_VIEW_PASSWORD] = "password",
  [OWS_NETWORK_VIEW_HIDDEN] = "hidden",
  [OWS_NETWORK_VIEW_CONNECTING] = "connecting",
  [OWS_NETWORK_VIEW_CONNECTED] = "connected",
  [OWS_NETWORK_VIEW_FAILED] = "failed",
  [OWS_NETWORK_VIEW_UNSUPPORTED] = "unsupported",
  [OWS_NETWORK_VIEW_OFF] = "off",
  [OWS_NETWORK_VIEW_HARDWARE_OFF] = "hardware-off",
  [OWS_NETWORK_VIEW_ABSENT] = "absent",
  [OWS_NETWORK_VIEW_WIRED] = "wired",
};

const char *
ows_network_view_to_nick (OwsNetworkView view)
{
  g_return_val_if_fail (view < G_N_ELEMENTS (view_nicks), NULL);
  return view_nicks[view];
}

/* In this order: the radio, then the attempt, then what the user opened. */
static OwsNetworkView
derive_view (OwsNetworkPage *self)
{
  if (self->wifi == NULL)
    return OWS_NETWORK_VIEW_ABSENT;

  switch (ows_wifi_get_state (self->wifi))
    {
    case OWS_WIFI_STATE_ABSENT:
      return OWS_NETWORK_VIEW_ABSENT;
    case OWS_WIFI_STATE_HARDWARE_OFF:
      return OWS_NETWORK_VIEW_HARDWARE_OFF;
    case OWS_WIFI_STATE_OFF:
      return OWS_NETWORK_VIEW_OFF;
    case OWS_WIFI_STATE_READY:
    default:
      break;
    }

  switch (ows_wifi_get_attempt (self->wifi))
    {
    case OWS_WIFI_ATTEMPT_CONNECTING:
      return OWS_NETWORK_VIEW_CONNECTING;
    case OWS_WIFI_ATTEMPT_CONNECTED:
      return OWS_NETWORK_VIEW_CONNECTED;
    case OWS_WIFI_ATTEMPT_FAILED:
      return OWS_NETWORK_VIEW_FAILED;
    case OWS_WIFI_ATTEMPT_WRONG_PASSWORD:
      return self->other ? OWS_NETWORK_VIEW_HIDDEN : OWS_NETWORK_VIEW_PASSWORD;
    case OWS_WIFI_ATTEMPT_NONE:
    default:
      break;
    }

  if (self->other)
    return OWS_NETWORK_VIEW_HIDDEN;
  if (self->chosen != NULL && !ows_wifi_network_is_supported (self->chosen))
    return OWS_NETWORK_VIEW_UNSUPPORTED;
  if (self->chosen != NULL && ows_wifi_network_needs_password (self->chosen))
    return OWS_NETWORK_VIEW_PASSWORD;
  if (ows_wifi_get_wired (self->wifi) && !self->wifi_anyway)
    return OWS_NETWORK_VIEW_WIRED;
  return OWS_NETWORK_VIEW_LIST;
}

/* A network's name comes from the air: shown as plain, tamed text. */
static char *
shown_name (const char *ssid)
{
  return ows_display_text_for_label (ssid);
}

static const char *
attempt_name (OwsNetworkPage *self)
{
  const char *ssid = ows_wifi_get_attempt_ssid (self->wifi);

  if (ssid == NULL && self->chosen != NULL)
    ssid = ows_wifi_network_get_ssid (self->chosen);
  return ssid;
}

/* Layout: what the page's size decides */

static void
place (GtkGrid   *grid,
       GtkWidget *child,
       int        column,
       int        row,
       int        width)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (grid));
  GtkGridLayoutChild *cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));

  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_column_span (cell, width);
}

/* A column on a portrait screen. On a wide one the buttons go beside the
 * fields, and what is wrong under both: with an on-screen keyboard up on
 * 800×480, the field, the error and Connect all stay in sight. */
static void
place_form_children (OwsNetworkPage *self)
{
  gboolean wide = self->wide;

  place (self->password_grid, GTK_WIDGET (self->password_entry), 0, 0, 1);
  place (self->password_grid, GTK_WIDGET (self->password_error), 0, 1, wide ? 2 : 1);
  place (self->password_grid, self->password_buttons, wide ? 1 : 0, wide ? 0 : 2, 1);

  place (self->hidden_grid, GTK_WIDGET (self->hidden_name), 0, 0, 1);
  place (self->hidden_grid, GTK_WIDGET (self->hidden_security), wide ? 1 : 0, wide ? 0 : 1, 1);
  place (self->hidden_grid, GTK_WIDGET (self->hidden_password), 0, wide ? 1 : 2, 1);
  place (self->hidden_grid, GTK_WIDGET (self->hidden_error), 0, wide ? 2 : 3, wide ? 2 : 1);
  place (self->hidden_grid, self->hidden_buttons, wide ? 1 : 0, wide ? 1 : 4, 1);
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

static void
space_form (GtkWidget *form,
            GtkLabel  *heading,
            GtkGrid   *grid,
            gboolean   compact)
{
  int space = compact ? 6 : 12;

  gtk_box_set_spacing (GTK_BOX (form), space);
  gtk_widget_set_margin_top (form, space);
  gtk_widget_set_margin_bottom (form, space);
  gtk_grid_set_row_spacing (grid, space);
  set_css_class (GTK_WIDGET (heading), "title-2", !compact);
  set_css_class (GTK_WIDGET (heading), "title-4", compact);
}

/* The window makes its own status pages compact; these are the page's.
 * The forms close up: with the keyboard up on 800×480, a form with an
 * error, its heading and Back to Choices all fit above the keys. */
static void
apply_compact (OwsNetworkPage *self)
{
  for (GtkWidget *view = gtk_widget_get_first_child (GTK_WIDGET (self->views));
       view != NULL;
       view = gtk_widget_get_next_sibling (view))
    if (ADW_IS_STATUS_PAGE (view))
      set_css_class (view, "compact", self->compact);
  space_form (self->password_form, self->password_heading, self->password_grid, self->compact);
  space_form (self->hidden_form, self->hidden_heading, self->hidden_grid, self->compact);
  gtk_widget_set_margin_top (self->back, self->compact ? 0 : 6);
  gtk_widget_set_margin_bottom (self->back, self->compact ? 6 : 12);
}

/* The form on screen, and what of it must show: the buttons, what is
 * wrong, then the field being typed in (first, if not all fit). */
static GtkScrolledWindow *
shown_form (OwsNetworkPage *self,
            GtkWidget     **wanted)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkScrolledWindow *scroller;
  GtkWidget *field;

  if (self->view == OWS_NETWORK_VIEW_PASSWORD)
    {
      scroller = self->password_scroller;
      wanted[0] = self->password_buttons;
      wanted[1] = GTK_WIDGET (self->password_error);
      field = GTK_WIDGET (self->password_entry);
    }
  else if (self->view == OWS_NETWORK_VIEW_HIDDEN)
    {
      scroller = self->hidden_scroller;
      wanted[0] = self->hidden_buttons;
      wanted[1] = GTK_WIDGET (self->hidden_error);
      field = GTK_WIDGET (self->hidden_name);
    }
  else
    return NULL;
  /* The field with the focus (its GtkText has it), if it is this form's. */
  if (GTK_IS_TEXT (focus) && GTK_IS_EDITABLE (gtk_widget_get_parent (focus)) &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (scroller)))
    field = gtk_widget_get_parent (focus);
  wanted[2] = field;
  return scroller;
}

/* Scrolls the form so that what matters shows, when the page shrank (the
 * keyboard came up) or the form changed: GtkViewport only scrolls to the
 * focus when it moves. */
static void
reveal_form (OwsNetworkPage *self)
{
  GtkWidget *wanted[3] = { NULL };
  GtkScrolledWindow *scroller = shown_form (self, wanted);
  GtkWidget *viewport;
  GtkAdjustment *adjustment;
  double scrolled, value, page;

  if (scroller == NULL || !gtk_widget_get_mapped (GTK_WIDGET (scroller)))
    return;
  viewport = gtk_scrolled_window_get_child (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  scrolled = value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      graphene_rect_t bounds;
      double top, bottom;

      if (!gtk_widget_get_mapped (wanted[i]) ||
          !gtk_widget_compute_bounds (wanted[i], viewport, &bounds))
        continue;
      /* From the viewport's coordinates to the content's. */
      top = bounds.origin.y + scrolled;
      bottom = top + bounds.size.height;
      if (bottom > value + page)
        value = bottom - page;
      if (top < value)
        value = top;
    }
  gtk_adjustment_set_value (adjustment, value);
}

/* After an allocation: the layout its size asks for, or, once the layout
 * stands, the form scrolled to what matters. */
static gboolean
layout_cb (gpointer user_data)
{
  OwsNetworkPage *self = user_data;
  gboolean compact = gtk_widget_get_height (GTK_WIDGET (self)) < COMPACT_HEIGHT;
  gboolean changed = FALSE;

  self->layout_id = 0;
  if (compact != self->compact)
    {
      self->compact = compact;
      apply_compact (self);
      changed = TRUE;
    }
  /* Changed, it is allocated again, and comes back here. */
  if (!changed && self->reveal)
    {
      self->reveal = FALSE;
      reveal_form (self);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
set_error (GtkLabel   *label,
           const char *text)
{
  gboolean changed = g_strcmp0 (gtk_label_get_text (label), text != NULL ? text : "") != 0 ||
                     gtk_widget_get_visible (GTK_WIDGET (label)) != (text != NULL);

  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  return changed;
}

/* What a screen reader says after a field's name: what is wrong with it,
 * else what it is for. GTK 4.8 cannot announce the error when it shows. */
static void
describe_field (GtkEditable *field,
                GtkLabel    *error,
                const char  *purpose)
{
  const char *description = gtk_widget_get_visible (GTK_WIDGET (error)) ? gtk_label_get_text (error)
                                                                       : purpose;

  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
sync_password (OwsNetworkPage *self)
{
  g_autofree char *name = shown_name (attempt_name (self));
  g_autofree char *heading = NULL;
  g_autofree char *wrong = NULL;

  /* TRANSLATORS: %s is a Wi-Fi network's name. */
  heading = g_strdup_printf (_("Password for “%s”"), name);
  gtk_label_set_text (self->password_heading, heading);
  if (ows_wifi_get_attempt (self->wifi) == OWS_WIFI_ATTEMPT_WRONG_PASSWORD)
    /* TRANSLATORS: %s is a Wi-Fi network's name. */
    wrong = g_strdup_printf (_("Wrong password for “%s”. Check it and type it again."), name);
  if (set_error (self->password_error, self->problem != NULL ? self->problem : wrong))
    self->reveal = TRUE;
  describe_field (self->password_entry, self->password_error, heading);
}

static void
sync_hidden (OwsNetworkPage *self)
{
  g_autofree char *wrong = NULL;
  gboolean secured = gtk_drop_down_get_selected (self->hidden_security) != 0;

  if (ows_wifi_get_attempt (self->wifi) == OWS_WIFI_ATTEMPT_WRONG_PASSWORD)
    {
      g_autofree char *name = shown_name (attempt_name (self));

      /* TRANSLATORS: %s is a Wi-Fi network's name. */
      wrong = g_strdup_printf (_("Wrong password for “%s”, or no network of that name is in reach."), name);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->hidden_password), secured);
  if (set_error (self->hidden_error, self->problem != NULL ? self->problem : wrong))
    self->reveal = TRUE;
  describe_field (self->hidden_name, self->hidden_error, NULL);
  describe_field (self->hidden_password, self->hidden_error, NULL);
}

static void
sync_unsupported (OwsNetworkPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *text = NULL;

  if (self->chosen == NULL)
    return;
  name = shown_name (ows_wifi_network_get_ssid (self->chosen));
  escaped = g_markup_escape_text (name, -1);
  if (ows_wifi_network_get_security (self->chosen) == OWS_WIFI_SECURITY_ENTERPRISE)
    /* TRANSLATORS: %s is a Wi-Fi network's name. */
    text = g_strdup_printf (_("“%s” signs in with an account (WPA Enterprise, 802.1X), which this "
                              "screen cannot set up. Set it up with NetworkManager’s own tools, "
                              "or choose another network."), escaped);
  else
    /* TRANSLATORS: %s is a Wi-Fi network's name. */
    text = g_strdup_printf (_("“%s” uses WEP, an old kind of security that this screen does not "
                              "set up. Choose another network, or switch the router to WPA2."),
                            escaped);
  adw_status_page_set_description (self->unsupported_status, text);
}

static void
sync_view (OwsNetworkPage *self)
{
  OwsNetworkView before = self->view;
  g_autofree char *name = NULL;
  g_autofree char *error = NULL;
  gboolean empty;

  self->view = derive_view (self);
  empty = self->wifi == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->wifi)) == 0;
  gtk_widget_set_visible (self->looking, empty);
  gtk_widget_set_visible (GTK_WIDGET (self->list), !empty);
  if (self->wifi != NULL)
    {
      name = shown_name (attempt_name (self));
      gtk_label_set_text (self->connecting_name, name);
      gtk_label_set_text (self->connected_name, name);
      if (ows_wifi_get_attempt_error (self->wifi) != NULL)
        error = g_markup_escape_text (ows_wifi_get_attempt_error (self->wifi), -1);
      adw_status_page_set_description (self->failed_status, error);
      sync_password (self);
      sync_hidden (self);
      sync_unsupported (self);
    }
  gtk_stack_set_visible_child_name (self->views, ows_network_view_to_nick (self->view));

  if (self->view == before)
    return;
  self->reveal = TRUE;
  /* The field to type in has the focus (and, on a kiosk, the keyboard). */
  if (self->view == OWS_NETWORK_VIEW_PASSWORD)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  else if (self->view == OWS_NETWORK_VIEW_HIDDEN)
    gtk_widget_grab_focus (GTK_WIDGET (self->hidden_name));
}

static void
set_problem (OwsNetworkPage *self,
             const char     *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  sync_view (self);
}

/* Nothing typed outlives the attempt it was for. */
static void
forget_typed (OwsNetworkPage *self)
{
  gtk_editable_set_text (self->password_entry, "");
  gtk_editable_set_text (self->hidden_password, "");
}

static void
choose (OwsNetworkPage *self,
        OwsWifiNetwork *network)
{
  g_set_object (&self->chosen, network);
  g_clear_pointer (&self->problem, g_free);
}

static void
connect_password (OwsNetworkPage *self)
{
  const char *password = gtk_editable_get_text (self->password_entry);

  if (self->chosen == NULL)
    return;
  if (!ows_wifi_password_is_valid (ows_wifi_network_get_security (self->chosen), password))
    {
      set_problem (self, _("A Wi-Fi password has 8 to 63 characters, or 64 hexadecimal digits."));
      return;
    }
  g_clear_pointer (&self->problem, g_free);
  if (!ows_wifi_connect (self->wifi, self->chosen, password))
    set_problem (self, _("Wi-Fi is not ready. Wait a moment and try again."));
  forget_typed (self);
}

static OwsWifiSecurity
hidden_security (OwsNetworkPage *self)
{
  switch (gtk_drop_down_get_selected (self->hidden_security))
    {
    case 0:
      return OWS_WIFI_SECURITY_NONE;
    case 2:
      return OWS_WIFI_SECURITY_SAE;
    case 1:
    default:
      return OWS_WIFI_SECURITY_PERSONAL;
    }
}

static void
connect_hidden (OwsNetworkPage *self)
{
  const char *ssid = gtk_editable_get_text (self->hidden_name);
  OwsWifiSecurity security = hidden_security (self);
  const char *password = gtk_editable_get_text (self->hidden_password);

  if (*ssid == '\0' || strlen (ssid) > 32)
    {
      set_problem (self, _("Type the network’s name (up to 32 letters), exactly as the router shows it."));
      gtk_widget_grab_focus (GTK_WIDGET (self->hidden_name));
      return;
    }
  if (!ows_wifi_password_is_valid (security, password))
    {
      set_problem (self, _("A Wi-Fi password has 8 to 63 characters, or 64 hexadecimal digits."));
      gtk_widget_grab_focus (GTK_WIDGET (self->hidden_password));
      return;
    }
  g_clear_pointer (&self->problem, g_free);
  if (!ows_wifi_connect_hidden (self->wifi, ssid, security,
                                security == OWS_WIFI_SECURITY_NONE ? NULL : password))
    set_problem (self, _("Wi-Fi is not ready. Wait a moment and try again."));
  forget_typed (self);
}

/* Actions */

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (widget);

  if (self->view == OWS_NETWORK_VIEW_PASSWORD)
    connect_password (self);
  else if (self->view == OWS_NETWORK_VIEW_HIDDEN)
    connect_hidden (self);
}

static void
entry_activate_cb (OwsNetworkPage *self)
{
  connect_action (GTK_WIDGET (self), NULL, NULL);
}

static void
security_changed_cb (OwsNetworkPage *self)
{
  g_clear_pointer (&self->problem, g_free);
  sync_view (self);
}

/* Back to the list: an attempt in progress stops, a form is dropped. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (widget);

  if (self->wifi == NULL)
    return;
  if (ows_wifi_get_attempt (self->wifi) == OWS_WIFI_ATTEMPT_CONNECTING)
    ows_wifi_cancel (self->wifi);
  else
    ows_wifi_reset_attempt (self->wifi);
  choose (self, NULL);
  self->other = FALSE;
  forget_typed (self);
  sync_view (self);
}

static void
other_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (widget);

  choose (self, NULL);
  self->other = TRUE;
  sync_view (self);
}

/* The password is not kept, so a network that needs one asks again; an
 * open or saved one is simply tried again. */
static void
try_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (widget);

  ows_wifi_reset_attempt (self->wifi);
  if (!self->other && self->chosen != NULL && !ows_wifi_network_needs_password (self->chosen))
    ows_wifi_connect (self->wifi, self->chosen, NULL);
  sync_view (self);
}

static void
turn_on_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ows_wifi_enable (OWS_NETWORK_PAGE (widget)->wifi);
}

static void
use_wifi_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (widget);

  self->wifi_anyway = TRUE;
  sync_view (self);
}

static void
row_activated_cb (OwsNetworkPage *self,
                  GtkListBoxRow  *row)
{
  OwsWifiNetwork *network = ows_network_row_get_network (OWS_NETWORK_ROW (row));

  choose (self, network);
  self->other = FALSE;
  forget_typed (self);
  if (ows_wifi_network_is_supported (network) && !ows_wifi_network_needs_password (network))
    ows_wifi_connect (self->wifi, network, NULL);
  sync_view (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return ows_network_row_new (item);
}

/* Scans only while someone can see the list: a hidden page costs nothing. */
static void
map_cb (OwsNetworkPage *self)
{
  if (self->wifi != NULL)
    ows_wifi_set_scanning (self->wifi, TRUE);
}

static void
unmap_cb (OwsNetworkPage *self)
{
  if (self->wifi != NULL)
    ows_wifi_set_scanning (self->wifi, FALSE);
}

/* GtkWidget: the child's size, as AdwBin's GtkBinLayout would, but with
 * size_allocate our own (a layout manager would bypass it). */

static GtkSizeRequestMode
ows_network_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
ows_network_page_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

/* The forms' columns follow the width before they are allocated: given a
 * phone's width, a wide form would be squeezed below its minimum. The rest
 * follows one idle later, as the window's compact style does: the compact
 * views, then the scrolling of a form shrunk by the keyboard, or changed,
 * once its parts have their places. */
static void
ows_network_page_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean wide = width >= WIDE_WIDTH;

  if (wide != self->wide)
    {
      self->wide = wide;
      place_form_children (self);
    }
  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  if (width != self->last_width || height != self->last_height)
    {
      self->last_width = width;
      self->last_height = height;
      self->reveal = TRUE;
    }
  /* After GTK's own layout and drawing, before anything else idle. */
  if (self->reveal && self->layout_id == 0)
    self->layout_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 30, layout_cb, self, NULL);
}

/* GObject */

static void
ows_network_page_dispose (GObject *object)
{
  OwsNetworkPage *self = OWS_NETWORK_PAGE (object);

  g_clear_handle_id (&self->layout_id, g_source_remove);

  if (self->wifi != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->wifi, self);
      ows_wifi_set_scanning (self->wifi, FALSE);
    }
  g_clear_object (&self->wifi);
  g_clear_object (&self->chosen);
  G_OBJECT_CLASS (ows_network_page_parent_class)->dispose (object);
}

static void
ows_network_page_finalize (GObject *object)
{
  g_free (OWS_NETWORK_PAGE (object)->problem);
  G_OBJECT_CLASS (ows_network_page_parent_class)->finalize (object);
}

static void
ows_network_page_class_init (OwsNetworkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ows_network_page_dispose;
  object_class->finalize = ows_network_page_finalize;
  widget_class->get_request_mode = ows_network_page_get_request_mode;
  widget_class->measure = ows_network_page_measure;
  widget_class->size_allocate = ows_network_page_size_allocate;

  g_type_ensure (OWS_TYPE_NETWORK_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-network-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, views);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, list);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, looking);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_scroller);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_form);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_heading);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_grid);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_error);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, password_buttons);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_scroller);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_form);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_heading);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_grid);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_name);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_security);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_password);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_error);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, hidden_buttons);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, back);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, connecting_name);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, connected_name);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, failed_status);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkPage, unsupported_status);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, security_changed_cb);

  gtk_widget_class_install_action (widget_class, "network.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "network.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "network.other", NULL, other_action);
  gtk_widget_class_install_action (widget_class, "network.try-again", NULL, try_again_action);
  gtk_widget_class_install_action (widget_class, "network.turn-on", NULL, turn_on_action);
  gtk_widget_class_install_action (widget_class, "network.use-wifi", NULL, use_wifi_action);
}

/* GTK 4.8 names the drop-down's own button by its type: a screen reader
 * would say "GtkToggleButton". */
static void
name_security_button (OwsNetworkPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->hidden_security));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Security"),
                                      -1);
}

static void
ows_network_page_init (OwsNetworkPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  ows_a11y_name_buttons_by_content (GTK_WIDGET (self));
  name_security_button (self);

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);
  self->view = OWS_NETWORK_VIEW_ABSENT;
  sync_view (self);
}

void
ows_network_page_set_wifi (OwsNetworkPage *self,
                           OwsWifi        *wifi)
{
  g_return_if_fail (OWS_IS_NETWORK_PAGE (self));
  g_return_if_fail (wifi == NULL || OWS_IS_WIFI (wifi));

  if (self->wifi != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->wifi, self);
      ows_wifi_set_scanning (self->wifi, FALSE);
    }
  g_set_object (&self->wifi, wifi);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (wifi), create_row, NULL, NULL);
  if (wifi != NULL)
    {
      g_signal_connect_object (wifi, "notify", G_CALLBACK (sync_view), self, G_CONNECT_SWAPPED);
      /* A saved network whose password was wrong is forgotten: it asks again. */
      g_signal_connect_object (wifi, "items-changed", G_CALLBACK (sync_view), self, G_CONNECT_SWAPPED);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ows_wifi_set_scanning (wifi, TRUE);
    }
  sync_view (self);
}

OwsNetworkView
ows_network_page_get_view (OwsNetworkPage *self)
{
  g_return_val_if_fail (OWS_IS_NETWORK_PAGE (self), OWS_NETWORK_VIEW_ABSENT);
  return self->view;
}

void
ows_network_page_reset (OwsNetworkPage *self)
{
  g_return_if_fail (OWS_IS_NETWORK_PAGE (self));

  if (self->wifi != NULL)
    ows_wifi_reset_attempt (self->wifi);
  choose (self, NULL);
  self->other = FALSE;
  self->wifi_anyway = FALSE;
  forget_typed (self);
  sync_view (self);
}
