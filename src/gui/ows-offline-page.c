/* ows-offline-page.c: the screen after "Connect later" or "Never connect".
 * SPDX-License-Identifier: Apache-2.0
 *
 * Both say how to start the setup again: a device left offline by mistake
 * must not be a dead end.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-offline-page.h"

struct _OwsOfflinePage
{
  AdwBin parent_instance;

  AdwStatusPage *status;
};

G_DEFINE_FINAL_TYPE (OwsOfflinePage, ows_offline_page, ADW_TYPE_BIN)

static void
ows_offline_page_class_init (OwsOfflinePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-offline-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsOfflinePage, status);
}

static void
ows_offline_page_init (OwsOfflinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ows_offline_page_set_mode (self, OWS_SETUP_MODE_SKIPPED);
}

void
ows_offline_page_set_mode (OwsOfflinePage *self,
                           OwsSetupMode    mode)
{
  g_return_if_fail (OWS_IS_OFFLINE_PAGE (self));

  if (mode == OWS_SETUP_MODE_OFFLINE)
    {
      adw_status_page_set_title (self->status, _("Staying Offline"));
      adw_status_page_set_description (self->status,
        _("This device will not connect to the internet: it gets no updates, and its clock "
          "may be wrong. To connect it later, open Wi-Fi Setup from the menu."));
    }
  else
    {
      adw_status_page_set_title (self->status, _("Setup Postponed"));
      adw_status_page_set_description (self->status,
        _("This device stays offline until you set up the network. To do it later, open "
          "Wi-Fi Setup from the menu."));
    }
}
