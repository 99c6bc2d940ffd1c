/* ows-unreachable-page.c: the screen while the messagebus does not answer.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Plain words first, for the person holding the device; below them, for
 * whoever looks after it, the address (the first thing to check in
 * mycroft.conf) and the last failure as it happens. The window leaves this
 * screen on its own when the bus answers again.
 */
#include "config.h"

#include "ows-unreachable-page.h"

struct _OwsUnreachablePage
{
  AdwBin parent_instance;

  GtkLabel *address;
  GtkLabel *detail;
};

G_DEFINE_FINAL_TYPE (OwsUnreachablePage, ows_unreachable_page, ADW_TYPE_BIN)

static void
ows_unreachable_page_class_init (OwsUnreachablePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-unreachable-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsUnreachablePage, address);
  gtk_widget_class_bind_template_child (widget_class, OwsUnreachablePage, detail);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_start);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_stop);
}

static void
ows_unreachable_page_init (OwsUnreachablePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ows_unreachable_page_set_error (self, NULL);
}

void
ows_unreachable_page_set_address (OwsUnreachablePage *self,
                                  const char         *url)
{
  g_return_if_fail (OWS_IS_UNREACHABLE_PAGE (self));
  gtk_label_set_text (self->address, url ? url : "");
}

void
ows_unreachable_page_set_error (OwsUnreachablePage *self,
                                const GError       *error)
{
  g_return_if_fail (OWS_IS_UNREACHABLE_PAGE (self));
  gtk_label_set_text (self->detail, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail), error != NULL);
}
