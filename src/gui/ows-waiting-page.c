/* ows-waiting-page.c: the screen while no setup method has registered yet.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "ows-waiting-page.h"

struct _OwsWaitingPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (OwsWaitingPage, ows_waiting_page, ADW_TYPE_BIN)

static void
ows_waiting_page_class_init (OwsWaitingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-waiting-page.ui");
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_start);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_stop);
}

static void
ows_waiting_page_init (OwsWaitingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
