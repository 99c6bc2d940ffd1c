/* ows-waiting-page.c: the screen while no setup method that can work here has registered.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Setup methods are other programs; they normally announce themselves
 * within seconds. The page says so at first, and says what may be wrong
 * once they are overdue, or when those that did announce themselves need
 * the OVOS screen, which is not there. The wait is timed only while the
 * page is on screen: no wakeups otherwise.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-waiting-page.h"

/* Setup methods start with the device: this long on screen, one is overdue. */
#define DEFAULT_PATIENCE_S 30

struct _OwsWaitingPage
{
  AdwBin parent_instance;

  guint n_hidden;
  guint patience_s;
  guint patience_id;
  gboolean overdue;

  AdwStatusPage *status;
};

enum {
  PROP_0,
  PROP_PATIENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (OwsWaitingPage, ows_waiting_page, ADW_TYPE_BIN)

static void
sync_text (OwsWaitingPage *self)
{
  g_autofree char *hidden = NULL;

  if (self->n_hidden > 0)
    {
      hidden = g_strdup_printf (ngettext (
        "%u setup method needs the OVOS screen, which is not running, so it cannot be "
        "offered here. Another one may still appear.",
        "%u setup methods need the OVOS screen, which is not running, so they cannot be "
        "offered here. Another one may still appear.",
        self->n_hidden), self->n_hidden);
      adw_status_page_set_title (self->status, _("No Setup Method Can Run Here"));
      adw_status_page_set_description (self->status, hidden);
    }
  else if (self->overdue)
    {
      adw_status_page_set_title (self->status, _("No Setup Methods Found"));
      adw_status_page_set_description (self->status,
        _("No program that sets up the network has started. They may not be installed, "
          "or may have stopped. Restarting the device often helps; if it does not, "
          "connect later and ask whoever looks after this device."));
    }
  else
    {
      adw_status_page_set_title (self->status, _("Waiting for Setup Methods"));
      adw_status_page_set_description (self->status,
        _("Setup methods are programs on this device, such as a Wi-Fi hotspot or a phone "
          "app, that offer to connect it. They announce themselves when they start; the "
          "first should appear here in a moment."));
    }
}

static gboolean
patience_cb (gpointer user_data)
{
  OwsWaitingPage *self = user_data;

  self->patience_id = 0;
  self->overdue = TRUE;
  sync_text (self);
  return G_SOURCE_REMOVE;
}

static void
ows_waiting_page_map (GtkWidget *widget)
{
  OwsWaitingPage *self = OWS_WAITING_PAGE (widget);

  GTK_WIDGET_CLASS (ows_waiting_page_parent_class)->map (widget);
  self->overdue = FALSE;
  sync_text (self);
  self->patience_id = g_timeout_add_seconds (self->patience_s, patience_cb, self);
}

static void
ows_waiting_page_unmap (GtkWidget *widget)
{
  OwsWaitingPage *self = OWS_WAITING_PAGE (widget);

  g_clear_handle_id (&self->patience_id, g_source_remove);
  GTK_WIDGET_CLASS (ows_waiting_page_parent_class)->unmap (widget);
}

static void
ows_waiting_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PATIENCE:
      g_value_set_uint (value, OWS_WAITING_PAGE (object)->patience_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_waiting_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_PATIENCE:
      OWS_WAITING_PAGE (object)->patience_s = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_waiting_page_class_init (OwsWaitingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ows_waiting_page_get_property;
  object_class->set_property = ows_waiting_page_set_property;
  widget_class->map = ows_waiting_page_map;
  widget_class->unmap = ows_waiting_page_unmap;

  /* Seconds on screen before the wait is overdue; read when the page is shown. */
  properties[PROP_PATIENCE] =
    g_param_spec_uint ("patience", NULL, NULL, 1, G_MAXUINT / 1000, DEFAULT_PATIENCE_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-waiting-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsWaitingPage, status);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_start);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_stop);
}

static void
ows_waiting_page_init (OwsWaitingPage *self)
{
  self->patience_s = DEFAULT_PATIENCE_S;
  gtk_widget_init_template (GTK_WIDGET (self));
  sync_text (self);
}

/* @n_hidden: registered clients the window does not offer (they need the
 * OVOS screen); with some, nothing is overdue: the page says why. */
void
ows_waiting_page_set_n_hidden (OwsWaitingPage *self,
                               guint           n_hidden)
{
  g_return_if_fail (OWS_IS_WAITING_PAGE (self));

  if (self->n_hidden == n_hidden)
    return;
  self->n_hidden = n_hidden;
  sync_text (self);
}
