/* ows-a11y.c: what screen readers hear, where GTK 4.8 gets it wrong.
 * SPDX-License-Identifier: Apache-2.0
 *
 * GTK 4.8's GtkButton makes its raw label, mnemonic underscore and all,
 * its accessible label, and AT-SPI then names the button by that label
 * followed by its content: "Connect _Later Connect Later". Without the
 * label, the name is the content alone, as the eye reads it.
 */
#include "config.h"

#include "ows-a11y.h"

/* Every button under @root (itself included) whose label has a mnemonic. */
void
ows_a11y_name_buttons_by_content (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ows_a11y_name_buttons_by_content (child);
}
