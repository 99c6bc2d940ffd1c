/* ows-running-page.c: the screen while a client runs the setup.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-display-text.h"
#include "ows-running-page.h"

struct _OwsRunningPage
{
  AdwBin parent_instance;

  GtkLabel *display_text;
  GtkLabel *hint;
};

G_DEFINE_FINAL_TYPE (OwsRunningPage, ows_running_page, ADW_TYPE_BIN)

static void
ows_running_page_class_init (OwsRunningPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-running-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsRunningPage, display_text);
  gtk_widget_class_bind_template_child (widget_class, OwsRunningPage, hint);
}

static void
ows_running_page_init (OwsRunningPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
ows_running_page_set_client (OwsRunningPage *self,
                             OwsClient      *client)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OWS_IS_RUNNING_PAGE (self));
  g_return_if_fail (client == NULL || OWS_IS_CLIENT (client));

  if (client == NULL)
    return;
  text = ows_display_text_for_label (ows_client_get_display_text (client));
  gtk_label_set_text (self->display_text, text);
  gtk_label_set_text (self->hint,
                      ows_client_get_has_gui (client)
                      ? _("Follow the steps it shows on the screen.")
                      : _("This can take a few minutes."));
}
