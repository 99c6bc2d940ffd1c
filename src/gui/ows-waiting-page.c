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
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/org/openvoiceos/WifiSetup/ows-waiting-page.ui");
}

static void
ows_waiting_page_init (OwsWaitingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
