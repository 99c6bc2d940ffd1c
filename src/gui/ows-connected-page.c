/* ows-connected-page.c: the screen that says the device is online.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "ows-connected-page.h"

struct _OwsConnectedPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (OwsConnectedPage, ows_connected_page, ADW_TYPE_BIN)

static void
ows_connected_page_class_init (OwsConnectedPageClass *klass)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/org/openvoiceos/WifiSetup/ows-connected-page.ui");
}

static void
ows_connected_page_init (OwsConnectedPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
