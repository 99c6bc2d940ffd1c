/* ows-network-row.c: one Wi-Fi network in the network page's list.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Bound to its network: a new scan changes the icon and the words in place,
 * so the row keeps its focus and a screen reader its position.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-display-text.h"
#include "ows-network-row.h"

struct _OwsNetworkRow
{
  AdwActionRow parent_instance;

  OwsWifiNetwork *network;
  GtkImage *signal;
  GtkImage *lock;
};

G_DEFINE_FINAL_TYPE (OwsNetworkRow, ows_network_row, ADW_TYPE_ACTION_ROW)

static const char *
signal_icon (guint level)
{
  switch (level)
    {
    case 4:
      return "network-wireless-signal-excellent-symbolic";
    case 3:
      return "network-wireless-signal-good-symbolic";
    case 2:
      return "network-wireless-signal-ok-symbolic";
    default:
      return "network-wireless-signal-weak-symbolic";
    }
}

static const char *
status_text (OwsWifiNetwork *network)
{
  if (ows_wifi_network_get_connected (network))
    return _("Connected");
  if (!ows_wifi_network_is_supported (network))
    return _("Set up elsewhere");
  if (ows_wifi_network_get_saved (network))
    return _("Saved");
  return NULL;
}

/* What the eyes get from the icons, the ears get in words. */
static void
sync_row (OwsNetworkRow *self)
{
  OwsWifiNetwork *network = self->network;
  guint level = ows_wifi_network_get_signal_level (network);
  gboolean secured = ows_wifi_network_get_security (network) != OWS_WIFI_SECURITY_NONE;
  const char *status = status_text (network);
  g_autofree char *title = ows_display_text_for_label (ows_wifi_network_get_ssid (network));
  g_autofree char *signal = NULL;
  g_autofree char *description = NULL;

  gtk_image_set_from_icon_name (self->signal, signal_icon (level));
  gtk_widget_set_visible (GTK_WIDGET (self->lock), secured);
  /* A name from the air: no line breaks, nothing that reorders the text. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), status != NULL ? status : "");

  /* TRANSLATORS: how a screen reader describes a network row: "secured" or
   * "open", then the signal in bars out of four. */
  signal = g_strdup_printf (secured ? _("Secured, signal %u of 4") : _("Open, signal %u of 4"),
                            level);
  /* The description replaces the subtitle for screen readers: it says it first. */
  if (status != NULL)
    /* TRANSLATORS: a network row's status ("Connected", "Saved"), then
     * whether it is secured and its signal. */
    description = g_strdup_printf (_("%s. %s"), status, signal);
  else
    description = g_steal_pointer (&signal);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
ows_network_row_dispose (GObject *object)
{
  OwsNetworkRow *self = OWS_NETWORK_ROW (object);

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);
  G_OBJECT_CLASS (ows_network_row_parent_class)->dispose (object);
}

static void
ows_network_row_class_init (OwsNetworkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ows_network_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-network-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkRow, signal);
  gtk_widget_class_bind_template_child (widget_class, OwsNetworkRow, lock);
}

static void
ows_network_row_init (OwsNetworkRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ows_network_row_new (OwsWifiNetwork *network)
{
  OwsNetworkRow *self;

  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (network), NULL);

  self = g_object_new (OWS_TYPE_NETWORK_ROW, NULL);
  self->network = g_object_ref (network);
  g_signal_connect_object (network, "notify", G_CALLBACK (sync_row), self, G_CONNECT_SWAPPED);
  sync_row (self);
  return GTK_WIDGET (self);
}

OwsWifiNetwork *
ows_network_row_get_network (OwsNetworkRow *self)
{
  g_return_val_if_fail (OWS_IS_NETWORK_ROW (self), NULL);
  return self->network;
}
