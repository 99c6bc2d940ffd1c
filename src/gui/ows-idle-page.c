/* ows-idle-page.c: the screen while no setup runs, with a way to start one.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "ows-idle-page.h"

struct _OwsIdlePage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (OwsIdlePage, ows_idle_page, ADW_TYPE_BIN)

static void
ows_idle_page_class_init (OwsIdlePageClass *klass)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/org/openvoiceos/WifiSetup/ows-idle-page.ui");
}

static void
ows_idle_page_init (OwsIdlePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
