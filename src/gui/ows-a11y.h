/* ows-a11y.h: what screen readers hear, where GTK 4.8 gets it wrong.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ows_a11y_name_buttons_by_content (GtkWidget *root);

G_END_DECLS
