/* ows-checking-page.c: the screen while a client's work is checked against the internet.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A client said it was done; the watchdog's answer decides whether setup
 * is over. It takes seconds, but never strands the user: the choices are a
 * tap away.
 */
#include "config.h"

#include "ows-checking-page.h"

struct _OwsCheckingPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (OwsCheckingPage, ows_checking_page, ADW_TYPE_BIN)

static void
ows_checking_page_class_init (OwsCheckingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-checking-page.ui");
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_start);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_stop);
}

static void
ows_checking_page_init (OwsCheckingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
