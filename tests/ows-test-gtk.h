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

void       ows_test_gtk_collect  (GtkWidget  *root,
                                  GType       type,
                                  GPtrArray  *found);
GtkLabel  *ows_test_gtk_label_reading (GtkWidget  *root,
                                       const char *text);

/* For ows_test_wait_until (): a label under @root reads @text. */
typedef struct {
  GtkWidget *root;
  const char *text;
} OwsTestGtkText;

gboolean   ows_test_gtk_label_shown (gpointer   text);

G_END_DECLS
