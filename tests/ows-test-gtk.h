/* ows-test-gtk.h: what every GUI test sets up in GTK before its windows.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       ows_test_gtk_styles (gboolean   app_style);
GtkWidget *ows_test_gtk_find   (GtkWidget *widget,
                                GType      type);
void       ows_test_gtk_save_png (GtkWidget  *widget,
                                  const char *path);

G_END_DECLS
